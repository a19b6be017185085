#pragma once
// A minimal streaming JSON writer for reports, manifests and --json output:
// objects and arrays nest, commas and escaping are handled here, not by
// callers. Compact by default (one line, `{"k":1}`); indented, each member
// and element on its own line and `"k": 1`, for files people read, such as
// the backup manifest (docs/commands.md, `pgscrub backup`).

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace pgscrub::common {

class JsonWriter {
public:
    JsonWriter() = default;
    // `indent` spaces per level of nesting; 0 is compact.
    explicit JsonWriter(int indent) : indent_(indent) {}

    JsonWriter& begin_object();
    JsonWriter& end_object();
    JsonWriter& begin_array();
    JsonWriter& end_array();
    JsonWriter& key(std::string_view name);
    JsonWriter& value(std::string_view text);
    JsonWriter& value(const char* text) { return value(std::string_view(text)); }
    JsonWriter& value(std::int64_t number);
    JsonWriter& value(std::uint64_t number);
    JsonWriter& value(int number) { return value(static_cast<std::int64_t>(number)); }
    JsonWriter& value(double number); // %.6g
    // A number with exactly `decimals` digits after the point (3.214 seconds).
    JsonWriter& value_fixed(double number, int decimals);
    JsonWriter& value(bool flag);
    JsonWriter& null();

    const std::string& text() const { return out_; }

private:
    void before_value();
    void end_scope(char close);
    void new_line();
    int indent_ = 0;
    std::string out_;
    std::vector<bool> first_in_scope_;
    bool after_key_ = false;
};

// Appends `text` as a JSON string literal (quotes included). Invalid UTF-8
// bytes are written as \u00XX escapes of the byte so output stays valid JSON.
void append_json_string(std::string& out, std::string_view text);

} // namespace pgscrub::common
