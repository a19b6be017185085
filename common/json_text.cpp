#include "common/json_text.hpp"

#include <cstring>

namespace pgscrub::common::json {

namespace {

bool is_ws(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}
bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

void append_utf8(std::string& out, std::uint32_t cp) {
    if (cp < 0x80) {
        out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
        out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
        out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
        out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
}

// Bytes that end the fast scan of a string body: '"', '\\' and controls.
struct StopTable {
    bool stop[256] = {};
    constexpr StopTable() {
        for (int c = 0; c < 0x20; ++c) stop[c] = true;
        stop[static_cast<unsigned char>('"')] = true;
        stop[static_cast<unsigned char>('\\')] = true;
    }
};
constexpr StopTable string_stop{};

class Parser {
public:
    explicit Parser(std::string_view text) : begin_(text.data()), p_(text.data()), end_(text.data() + text.size()) {}

    // Into `root`, reusing its strings and vectors (see parse(text, into)).
    void document(Value& root) {
        skip_ws();
        value(root, 0);
        skip_ws();
        if (p_ != end_) fail("unexpected text after the JSON value");
    }

private:
    [[noreturn]] void fail(const char* message) const {
        throw ParseError(static_cast<std::size_t>(p_ - begin_), message);
    }

    void skip_ws() {
        while (p_ != end_ && is_ws(*p_)) ++p_;
    }

    // `out` may hold an earlier document's node: every field is overwritten,
    // children are reused by position and the surplus dropped.
    void value(Value& out, int depth) {
        if (p_ == end_) fail("expected a JSON value, found the end of the text");
        out.boolean = false;
        if (*p_ != '{' && *p_ != '[') {
            out.items.clear();
            out.keys.clear();
        }
        switch (*p_) {
        case '{':
            object(out, depth + 1);
            return;
        case '[':
            array(out, depth + 1);
            return;
        case '"':
            out.type = Type::string;
            string(out.text);
            return;
        case 't':
            literal("true", out, Type::boolean, true);
            return;
        case 'f':
            literal("false", out, Type::boolean, false);
            return;
        case 'n':
            literal("null", out, Type::null, false);
            return;
        default:
            if (*p_ == '-' || is_digit(*p_)) {
                number(out);
                return;
            }
            fail("expected a JSON value");
        }
    }

    void literal(std::string_view word, Value& out, Type type, bool b) {
        if (static_cast<std::size_t>(end_ - p_) < word.size() || std::memcmp(p_, word.data(), word.size()) != 0)
            fail("expected a JSON value");
        p_ += word.size();
        out.type = type;
        out.boolean = b;
        out.text.clear();
    }

    void number(Value& out) {
        const char* start = p_;
        if (*p_ == '-') ++p_;
        if (p_ == end_ || !is_digit(*p_)) fail("expected a digit in a number");
        if (*p_ == '0') {
            ++p_;
        } else {
            while (p_ != end_ && is_digit(*p_)) ++p_;
        }
        if (p_ != end_ && *p_ == '.') {
            ++p_;
            if (p_ == end_ || !is_digit(*p_)) fail("expected a digit after the decimal point");
            while (p_ != end_ && is_digit(*p_)) ++p_;
        }
        if (p_ != end_ && (*p_ == 'e' || *p_ == 'E')) {
            ++p_;
            if (p_ != end_ && (*p_ == '+' || *p_ == '-')) ++p_;
            if (p_ == end_ || !is_digit(*p_)) fail("expected a digit in the exponent");
            while (p_ != end_ && is_digit(*p_)) ++p_;
        }
        out.type = Type::number;
        out.text.assign(start, static_cast<std::size_t>(p_ - start));
    }

    std::uint32_t hex4() {
        if (end_ - p_ < 4) fail("expected four hex digits after \\u");
        std::uint32_t v = 0;
        for (int i = 0; i < 4; ++i) {
            const int h = hex_value(p_[i]);
            if (h < 0) fail("expected four hex digits after \\u");
            v = (v << 4) | static_cast<std::uint32_t>(h);
        }
        p_ += 4;
        return v;
    }

    // At the opening quote; decodes into `out` (replacing its content).
    void string(std::string& out) {
        ++p_;
        const char* run = p_;
        while (p_ != end_ && !string_stop.stop[static_cast<unsigned char>(*p_)]) ++p_;
        if (p_ != end_ && *p_ == '"') { // the common case: no escapes
            out.assign(run, static_cast<std::size_t>(p_ - run));
            ++p_;
            return;
        }
        out.assign(run, static_cast<std::size_t>(p_ - run));
        for (;;) {
            if (p_ == end_) fail("unterminated string");
            const char c = *p_;
            if (c == '"') {
                ++p_;
                return;
            }
            if (static_cast<unsigned char>(c) < 0x20) fail("control character in a string must be escaped");
            if (c != '\\') {
                run = p_;
                while (p_ != end_ && !string_stop.stop[static_cast<unsigned char>(*p_)]) ++p_;
                out.append(run, static_cast<std::size_t>(p_ - run));
                continue;
            }
            ++p_;
            if (p_ == end_) fail("unterminated escape in a string");
            const char e = *p_++;
            switch (e) {
            case '"':
                out.push_back('"');
                break;
            case '\\':
                out.push_back('\\');
                break;
            case '/':
                out.push_back('/');
                break;
            case 'b':
                out.push_back('\b');
                break;
            case 'f':
                out.push_back('\f');
                break;
            case 'n':
                out.push_back('\n');
                break;
            case 'r':
                out.push_back('\r');
                break;
            case 't':
                out.push_back('\t');
                break;
            case 'u': {
                std::uint32_t cp = hex4();
                if (cp >= 0xD800 && cp <= 0xDBFF) {
                    if (end_ - p_ >= 6 && p_[0] == '\\' && p_[1] == 'u') {
                        const char* save = p_;
                        p_ += 2;
                        const std::uint32_t low = hex4();
                        if (low >= 0xDC00 && low <= 0xDFFF) {
                            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
                        } else {
                            p_ = save; // a lone high surrogate; the next escape stands alone
                            cp = 0xFFFD;
                        }
                    } else {
                        cp = 0xFFFD;
                    }
                } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
                    cp = 0xFFFD;
                }
                append_utf8(out, cp);
                break;
            }
            default:
                --p_;
                fail("invalid escape in a string");
            }
        }
    }

    void array(Value& out, int depth) {
        if (depth > max_depth) fail("JSON nested too deeply");
        ++p_;
        out.type = Type::array;
        out.text.clear();
        out.keys.clear();
        skip_ws();
        if (p_ != end_ && *p_ == ']') {
            ++p_;
            out.items.clear();
            return;
        }
        out.items.reserve(4);
        std::size_t n = 0;
        for (;;) {
            skip_ws();
            if (n == out.items.size()) out.items.emplace_back();
            value(out.items[n++], depth);
            skip_ws();
            if (p_ == end_) fail("unterminated array");
            if (*p_ == ',') {
                ++p_;
                continue;
            }
            if (*p_ == ']') {
                ++p_;
                out.items.resize(n);
                return;
            }
            fail("expected ',' or ']' in an array");
        }
    }

    void object(Value& out, int depth) {
        if (depth > max_depth) fail("JSON nested too deeply");
        ++p_;
        out.type = Type::object;
        out.text.clear();
        skip_ws();
        if (p_ != end_ && *p_ == '}') {
            ++p_;
            out.keys.clear();
            out.items.clear();
            return;
        }
        out.keys.reserve(8);
        out.items.reserve(8);
        std::size_t n = 0; // members read; keys and items beyond it are an earlier document's
        for (;;) {
            skip_ws();
            if (p_ == end_ || *p_ != '"') fail("expected a string as an object key");
            if (n == out.keys.size()) out.keys.emplace_back();
            string(out.keys[n]);
            skip_ws();
            if (p_ == end_ || *p_ != ':') fail("expected ':' after an object key");
            ++p_;
            skip_ws();
            if (n == out.items.size()) out.items.emplace_back();
            value(out.items[n++], depth);
            skip_ws();
            if (p_ == end_) fail("unterminated object");
            if (*p_ == ',') {
                ++p_;
                continue;
            }
            if (*p_ == '}') {
                ++p_;
                out.keys.resize(n);
                out.items.resize(n);
                return;
            }
            fail("expected ',' or '}' in an object");
        }
    }

    const char* begin_;
    const char* p_;
    const char* end_;
};

struct EscapeTable {
    bool escape[256] = {};
    constexpr EscapeTable() {
        for (int c = 0; c < 0x20; ++c) escape[c] = true;
        escape[static_cast<unsigned char>('"')] = true;
        escape[static_cast<unsigned char>('\\')] = true;
    }
};
constexpr EscapeTable escape_table{};

void write(const Value& value, std::string& out) {
    switch (value.type) {
    case Type::null:
        out += "null";
        return;
    case Type::boolean:
        out += value.boolean ? "true" : "false";
        return;
    case Type::number:
        out += value.text;
        return;
    case Type::string:
        append_quoted(out, value.text);
        return;
    case Type::array:
        out.push_back('[');
        for (std::size_t i = 0; i < value.items.size(); ++i) {
            if (i > 0) out += ", ";
            write(value.items[i], out);
        }
        out.push_back(']');
        return;
    case Type::object:
        out.push_back('{');
        for (std::size_t i = 0; i < value.items.size(); ++i) {
            if (i > 0) out += ", ";
            append_quoted(out, value.keys[i]);
            out += ": ";
            write(value.items[i], out);
        }
        out.push_back('}');
        return;
    }
}

} // namespace

void Value::become_null() {
    type = Type::null;
    boolean = false;
    text.clear();
    items.clear();
    keys.clear();
}

void Value::become_string(std::string s) {
    type = Type::string;
    boolean = false;
    text = std::move(s);
    items.clear();
    keys.clear();
}

ParseError::ParseError(std::size_t offset, const std::string& message)
    : std::runtime_error("invalid JSON at byte " + std::to_string(offset) + ": " + message), offset_(offset) {}

Value parse(std::string_view text) {
    Value root;
    Parser(text).document(root);
    return root;
}

void parse(std::string_view text, Value& into) {
    Parser(text).document(into);
}

const Value* member(const Value& object, std::string_view key) {
    if (object.type != Type::object) return nullptr;
    const Value* found = nullptr;
    for (std::size_t i = 0; i < object.keys.size() && i < object.items.size(); ++i) {
        if (object.keys[i] == key) found = &object.items[i];
    }
    return found;
}

void append_quoted(std::string& out, std::string_view s) {
    out.push_back('"');
    const char* p = s.data();
    const char* end = p + s.size();
    while (p != end) {
        const char* run = p;
        while (p != end && !escape_table.escape[static_cast<unsigned char>(*p)]) ++p;
        out.append(run, static_cast<std::size_t>(p - run));
        if (p == end) break;
        const char c = *p++;
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\b':
            out += "\\b";
            break;
        case '\f':
            out += "\\f";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\t':
            out += "\\t";
            break;
        default: {
            static constexpr char hex[] = "0123456789abcdef";
            const auto u = static_cast<unsigned char>(c);
            out += "\\u00";
            out.push_back(hex[u >> 4]);
            out.push_back(hex[u & 0xF]);
        }
        }
    }
    out.push_back('"');
}

void serialise(const Value& value, std::string& out) {
    write(value, out);
}

std::string serialise(const Value& value) {
    std::string out;
    write(value, out);
    return out;
}

bool is_number(std::string_view s) {
    std::size_t i = 0;
    const std::size_t n = s.size();
    if (i < n && s[i] == '-') ++i;
    if (i == n || !is_digit(s[i])) return false;
    if (s[i] == '0') {
        ++i;
    } else {
        while (i < n && is_digit(s[i])) ++i;
    }
    if (i < n && s[i] == '.') {
        ++i;
        if (i == n || !is_digit(s[i])) return false;
        while (i < n && is_digit(s[i])) ++i;
    }
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        ++i;
        if (i < n && (s[i] == '+' || s[i] == '-')) ++i;
        if (i == n || !is_digit(s[i])) return false;
        while (i < n && is_digit(s[i])) ++i;
    }
    return i == n;
}

} // namespace pgscrub::common::json
