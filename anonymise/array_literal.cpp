#include "anonymise/array_literal.hpp"

namespace pgscrub::anonymise::array_literal {

namespace {

// array_isspace() in PostgreSQL's arrayfuncs.c.
bool array_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

bool equals_null(std::string_view s) {
    if (s.size() != 4) return false;
    for (std::size_t i = 0; i < 4; ++i) {
        const char c = s[i] >= 'a' && s[i] <= 'z' ? static_cast<char>(s[i] - 'a' + 'A') : s[i];
        if (c != "NULL"[i]) return false;
    }
    return true;
}

} // namespace

// array_out's quoting: quote when empty, "NULL" in any case, or holding
// " \ { } , or white space; inside quotes escape " and \.
void append_element(std::string& out, std::string_view value) {
    bool quote = value.empty() || equals_null(value);
    for (char c : value) {
        if (quote) break;
        quote = c == '"' || c == '\\' || c == '{' || c == '}' || c == ',' || array_space(c);
    }
    if (!quote) {
        out.append(value);
        return;
    }
    out.push_back('"');
    for (char c : value) {
        if (c == '"' || c == '\\') out.push_back('\\');
        out.push_back(c);
    }
    out.push_back('"');
}

namespace {

constexpr int max_dimensions = 32; // PostgreSQL allows 6; deeper input is refused, not recursed into

class Rewriter {
public:
    Rewriter(std::string_view text, const ElementFunction& each, std::string& out)
        : text_(text), each_(each), out_(out) {}

    bool changed = false;

    void run() {
        out_.clear();
        out_.reserve(text_.size() + 16);
        skip_space();
        if (pos_ < text_.size() && text_[pos_] == '[') bounds();
        skip_space();
        if (pos_ >= text_.size() || text_[pos_] != '{') fail("expected '{'");
        level(1);
        skip_space();
        if (pos_ != text_.size()) fail("unexpected text after the closing '}'");
    }

private:
    [[noreturn]] void fail(const char* message) const {
        throw TransformError("array: invalid array literal at byte " + std::to_string(pos_) + ": " + message);
    }

    void skip_space() {
        while (pos_ < text_.size() && array_space(text_[pos_])) ++pos_;
    }

    // [lo:hi][lo:hi]= ... copied as written.
    void bounds() {
        const std::size_t start = pos_;
        while (pos_ < text_.size() && text_[pos_] == '[') {
            ++pos_;
            const auto integer = [&] {
                if (pos_ < text_.size() && (text_[pos_] == '-' || text_[pos_] == '+')) ++pos_;
                const std::size_t digits = pos_;
                while (pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9') ++pos_;
                if (pos_ == digits) fail("expected a number in the array bounds");
            };
            integer();
            if (pos_ < text_.size() && text_[pos_] == ':') {
                ++pos_;
                integer();
            }
            if (pos_ >= text_.size() || text_[pos_] != ']') fail("expected ']' in the array bounds");
            ++pos_;
        }
        skip_space();
        if (pos_ >= text_.size() || text_[pos_] != '=') fail("expected '=' after the array bounds");
        ++pos_;
        out_.append(text_.substr(start, pos_ - start));
    }

    // At '{'.
    void level(int depth) {
        if (depth > max_dimensions) fail("too many dimensions");
        ++pos_;
        out_.push_back('{');
        skip_space();
        if (pos_ < text_.size() && text_[pos_] == '}') {
            ++pos_;
            out_.push_back('}');
            return;
        }
        for (;;) {
            skip_space();
            if (pos_ >= text_.size()) fail("unterminated array");
            if (text_[pos_] == '{')
                level(depth + 1);
            else
                element();
            skip_space();
            if (pos_ >= text_.size()) fail("unterminated array");
            if (text_[pos_] == ',') {
                ++pos_;
                out_.push_back(',');
                continue;
            }
            if (text_[pos_] == '}') {
                ++pos_;
                out_.push_back('}');
                return;
            }
            fail("expected ',' or '}'");
        }
    }

    void element() {
        value_.clear();
        bool null = false;
        if (text_[pos_] == '"') {
            ++pos_;
            for (;;) {
                if (pos_ >= text_.size()) fail("unterminated quoted element");
                const char c = text_[pos_++];
                if (c == '"') break;
                if (c == '\\') {
                    if (pos_ >= text_.size()) fail("unterminated quoted element");
                    value_.push_back(text_[pos_++]);
                } else {
                    value_.push_back(c);
                }
            }
        } else {
            bool escaped = false;
            std::size_t kept = 0; // value_ length up to the last escaped or non-space character
            for (;;) {
                if (pos_ >= text_.size()) fail("unterminated array");
                const char c = text_[pos_];
                if (c == ',' || c == '}') break;
                if (c == '{' || c == '"') fail("unexpected '{' or '\"' inside an unquoted element");
                ++pos_;
                if (c == '\\') {
                    if (pos_ >= text_.size()) fail("unterminated escape");
                    value_.push_back(text_[pos_++]);
                    escaped = true;
                    kept = value_.size();
                } else {
                    value_.push_back(c);
                    if (!array_space(c)) kept = value_.size();
                }
            }
            value_.resize(kept);
            if (value_.empty() && !escaped) fail("empty unquoted element");
            null = !escaped && equals_null(value_);
        }
        const bool not_null =
            null ? each_(std::nullopt, result_) : each_(std::optional<std::string_view>(value_), result_);
        if (!not_null) {
            out_ += "NULL";
            changed = changed || !null;
        } else {
            append_element(out_, result_);
            changed = changed || null || result_ != value_;
        }
    }

    std::string_view text_;
    const ElementFunction& each_;
    std::size_t pos_ = 0;
    std::string& out_;
    std::string value_;  // the element read, reused for every element
    std::string result_; // its new value, likewise
};

} // namespace

void rewrite(std::string_view literal, const ElementFunction& each, bool& changed, std::string& out) {
    Rewriter rewriter(literal, each, out);
    rewriter.run();
    changed = rewriter.changed;
}

std::string rewrite(std::string_view literal, const ElementFunction& each, bool& changed) {
    std::string out;
    rewrite(literal, each, changed, out);
    return out;
}

std::vector<std::optional<std::string>> elements(std::string_view literal) {
    std::vector<std::optional<std::string>> found;
    bool changed = false;
    const ElementFunction collect = [&](const std::optional<std::string_view>& value, std::string&) {
        if (value)
            found.emplace_back(std::string(*value));
        else
            found.emplace_back(std::nullopt);
        return false;
    };
    (void)rewrite(literal, collect, changed);
    return found;
}

} // namespace pgscrub::anonymise::array_literal
