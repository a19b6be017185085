#pragma once
// A minimal streaming JSON writer for reports and --json output: objects and
// arrays nest, commas and escaping are handled here, not by callers.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace pgscrub::common {

class JsonWriter {
public:
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
    JsonWriter& value(double number);
    JsonWriter& value(bool flag);
    JsonWriter& null();

    const std::string& text() const { return out_; }

private:
    void before_value();
    std::string out_;
    std::vector<bool> first_in_scope_;
    bool after_key_ = false;
};

// Appends `text` as a JSON string literal (quotes included). Invalid UTF-8
// bytes are written as \u00XX escapes of the byte so output stays valid JSON.
void append_json_string(std::string& out, std::string_view text);

} // namespace pgscrub::common
