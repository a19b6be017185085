#pragma once
// A small, fast JSON reader and writer (RFC 8259) with a value model: the
// `json` transform and the leak scan (anonymise/) rewrite and search jsonb
// values with it, and `pgscrub report` reads a scrub report back. It knows
// nothing of transforms, hence common/. Reports and --json output are written
// with common::JsonWriter, which streams instead of building a tree.
//
// parse() builds a DOM that keeps object members in their order (duplicates
// included, as the json type does) and numbers as their exact text
// (12345678901234567890.5e-3 stays as written). Strings are decoded: every
// escape, \uXXXX and surrogate pairs included, so "a\u0040b.org" is the
// string a@b.org. A lone surrogate decodes to U+FFFD.
//
// serialise() writes PostgreSQL's jsonb text style: `{"k": "v", "a": [1, 2]}`,
// escaping only `"`, `\` and control characters (\b \f \n \r \t, others as
// \u00XX); non-ASCII is written as UTF-8. A jsonb value therefore serialises
// back to the very bytes PostgreSQL printed.

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace pgscrub::common::json {

enum class Type : std::uint8_t { null, boolean, number, string, array, object };

struct Value {
    Type type = Type::null;
    bool boolean = false;
    std::string text;              // number: its literal text; string: decoded UTF-8
    std::vector<Value> items;      // array elements, or object member values
    std::vector<std::string> keys; // object: keys[i] names items[i] (decoded)

    static Value make_null() { return {}; }
    static Value make_boolean(bool b) {
        Value v;
        v.type = Type::boolean;
        v.boolean = b;
        return v;
    }
    static Value make_number(std::string literal) {
        Value v;
        v.type = Type::number;
        v.text = std::move(literal);
        return v;
    }
    static Value make_string(std::string s) {
        Value v;
        v.type = Type::string;
        v.text = std::move(s);
        return v;
    }
    // Turns this value into a leaf of another kind, dropping any children.
    void become_null();
    void become_string(std::string s);
};

// Malformed JSON; offset is the byte where reading stopped. The message says
// what was expected, never the text itself.
class ParseError : public std::runtime_error {
public:
    ParseError(std::size_t offset, const std::string& message);
    std::size_t offset() const { return offset_; }

private:
    std::size_t offset_;
};

// Exactly one JSON value, with optional white space around it. Nesting deeper
// than max_depth (arrays and objects) is an error rather than a stack overflow.
inline constexpr int max_depth = 5000;
Value parse(std::string_view text);
// The same into `into`, reusing the strings and vectors an earlier document
// left in it (the json transform parses one document per row into a
// per-thread Value, so a row costs no allocation once it has grown). After
// a ParseError `into` holds a partial document.
void parse(std::string_view text, Value& into);

// The member `key` of an object, or nullptr (not an object, or no such key).
// With duplicate keys the last one counts, as PostgreSQL's jsonb keeps it.
const Value* member(const Value& object, std::string_view key);

// Appends the jsonb-style text of `value` to `out`.
void serialise(const Value& value, std::string& out);
std::string serialise(const Value& value);
// Appends `s` as a quoted JSON string.
void append_quoted(std::string& out, std::string_view s);
// True when `s` is a JSON number literal (-?int frac? exp?).
bool is_number(std::string_view s);

} // namespace pgscrub::common::json
