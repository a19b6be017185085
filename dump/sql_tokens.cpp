#include "dump/sql_lexer.hpp"

#include "dump/sql_chars.hpp"

#include <algorithm>
#include <array>

namespace pgscrub::dump {

using namespace sql_chars;

// ---------------------------------------------------------------------------
// Tokenizer

namespace {

class Tokenizer {
public:
    explicit Tokenizer(std::string_view sql) : sql_(sql) {}

    std::vector<SqlToken> run() {
        std::vector<SqlToken> tokens;
        while (skip_space_and_comments()) tokens.push_back(next_token());
        return tokens;
    }

private:
    bool at(std::size_t i, char c) const { return i < sql_.size() && sql_[i] == c; }

    // Returns false at the end of the text.
    bool skip_space_and_comments() {
        for (;;) {
            while (pos_ < sql_.size() && is_space(sql_[pos_])) ++pos_;
            if (at(pos_, '-') && at(pos_ + 1, '-')) {
                while (pos_ < sql_.size() && sql_[pos_] != '\n' && sql_[pos_] != '\r') ++pos_;
            } else if (at(pos_, '/') && at(pos_ + 1, '*')) {
                skip_block_comment();
            } else {
                return pos_ < sql_.size();
            }
        }
    }

    void skip_block_comment() {
        int depth = 0;
        while (pos_ < sql_.size()) {
            if (at(pos_, '/') && at(pos_ + 1, '*')) {
                ++depth;
                pos_ += 2;
            } else if (at(pos_, '*') && at(pos_ + 1, '/')) {
                pos_ += 2;
                if (--depth == 0) return;
            } else {
                ++pos_;
            }
        }
    }

    SqlToken make(SqlTokenKind kind, std::size_t start, std::string value) const {
        SqlToken token;
        token.kind = kind;
        token.offset = start;
        token.length = pos_ - start;
        token.value = std::move(value);
        return token;
    }

    // '…' from pos_ (at the opening quote). Doubled '' is a quote; with
    // backslash escapes, \x is kept as x except for the common C escapes.
    std::string read_quoted_string(bool backslash_escapes) {
        std::string value;
        ++pos_;
        while (pos_ < sql_.size()) {
            const char c = sql_[pos_++];
            if (c == '\'') {
                if (at(pos_, '\'')) {
                    value += '\'';
                    ++pos_;
                    continue;
                }
                return value;
            }
            if (c == '\\' && backslash_escapes && pos_ < sql_.size()) {
                const char escaped = sql_[pos_++];
                switch (escaped) {
                case 'n': value += '\n'; break;
                case 't': value += '\t'; break;
                case 'r': value += '\r'; break;
                case 'b': value += '\b'; break;
                case 'f': value += '\f'; break;
                default: value += escaped; break;
                }
                continue;
            }
            value += c;
        }
        return value;
    }

    std::string read_quoted_identifier() {
        std::string value;
        ++pos_;
        while (pos_ < sql_.size()) {
            const char c = sql_[pos_++];
            if (c == '"') {
                if (at(pos_, '"')) {
                    value += '"';
                    ++pos_;
                    continue;
                }
                return value;
            }
            value += c;
        }
        return value;
    }

    // At '$': a dollar-quoted string, a parameter, or a lone '$'.
    SqlToken read_dollar(std::size_t start) {
        std::size_t tag_end = pos_ + 1;
        if (tag_end < sql_.size() && is_digit(sql_[tag_end])) {
            while (tag_end < sql_.size() && is_digit(sql_[tag_end])) ++tag_end;
            pos_ = tag_end;
            return make(SqlTokenKind::Parameter, start, std::string(sql_.substr(start, pos_ - start)));
        }
        if (tag_end < sql_.size() && is_identifier_start(sql_[tag_end])) {
            while (tag_end < sql_.size() && is_identifier_byte(sql_[tag_end])) ++tag_end;
        }
        if (!at(tag_end, '$')) {
            ++pos_;
            return make(SqlTokenKind::Operator, start, "$");
        }
        const std::string_view delimiter = sql_.substr(start, tag_end + 1 - start);
        const std::size_t body_start = tag_end + 1;
        const std::size_t close = sql_.find(delimiter, body_start);
        if (close == std::string_view::npos) {
            pos_ = sql_.size();
            return make(SqlTokenKind::String, start, std::string(sql_.substr(body_start)));
        }
        pos_ = close + delimiter.size();
        return make(SqlTokenKind::String, start, std::string(sql_.substr(body_start, close - body_start)));
    }

    SqlToken read_number(std::size_t start) {
        while (pos_ < sql_.size()) {
            const char c = sql_[pos_];
            if (is_digit(c) || c == '_' || is_ascii_letter(c)) {
                // Exponent sign: 1e-5, 1E+5.
                if ((c == 'e' || c == 'E') && (at(pos_ + 1, '-') || at(pos_ + 1, '+'))) ++pos_;
                ++pos_;
            } else if (c == '.' && !at(pos_ + 1, '.')) {
                ++pos_;
            } else {
                break;
            }
        }
        return make(SqlTokenKind::Number, start, std::string(sql_.substr(start, pos_ - start)));
    }

    SqlToken read_operator(std::size_t start) {
        // A run of operator bytes, stopping before a comment start.
        while (pos_ < sql_.size() && is_operator_byte(sql_[pos_])) {
            if (pos_ > start && ((at(pos_, '-') && at(pos_ + 1, '-')) || (at(pos_, '/') && at(pos_ + 1, '*')))) break;
            ++pos_;
        }
        return make(SqlTokenKind::Operator, start, std::string(sql_.substr(start, pos_ - start)));
    }

    SqlToken next_token() {
        const std::size_t start = pos_;
        const char c = sql_[pos_];

        // Literal prefixes: E'…' B'…' X'…' N'…'.
        if (at(pos_ + 1, '\'') && (c == 'e' || c == 'E' || c == 'b' || c == 'B' || c == 'x' || c == 'X' ||
                                   c == 'n' || c == 'N')) {
            ++pos_;
            const bool escapes = c == 'e' || c == 'E';
            std::string value = read_quoted_string(escapes);
            return make(SqlTokenKind::String, start, std::move(value));
        }
        if (is_identifier_start(c)) {
            std::string value;
            while (pos_ < sql_.size() && (is_identifier_byte(sql_[pos_]) || sql_[pos_] == '$'))
                value += to_lower_ascii(sql_[pos_++]);
            return make(SqlTokenKind::Identifier, start, std::move(value));
        }
        if (is_digit(c) || (c == '.' && pos_ + 1 < sql_.size() && is_digit(sql_[pos_ + 1]))) return read_number(start);
        switch (c) {
        case '\'': {
            std::string value = read_quoted_string(false);
            return make(SqlTokenKind::String, start, std::move(value));
        }
        case '"': {
            std::string value = read_quoted_identifier();
            return make(SqlTokenKind::QuotedIdentifier, start, std::move(value));
        }
        case '$':
            return read_dollar(start);
        case ':':
            if (at(pos_ + 1, ':')) {
                pos_ += 2;
                return make(SqlTokenKind::Operator, start, "::");
            }
            ++pos_;
            return make(SqlTokenKind::Punctuation, start, ":");
        case '(': case ')': case '[': case ']': case ',': case ';': case '.':
            ++pos_;
            return make(SqlTokenKind::Punctuation, start, std::string(1, c));
        default:
            break;
        }
        if (is_operator_byte(c)) return read_operator(start);
        ++pos_; // anything else (a stray backslash, a control byte) stands alone
        return make(SqlTokenKind::Operator, start, std::string(1, c));
    }

    std::string_view sql_;
    std::size_t pos_ = 0;
};

// Keywords that fmtId quotes: every category but unreserved. PostgreSQL 15's
// list (`SELECT word FROM pg_get_keywords() WHERE catcode <> 'U'`) plus the
// ones later versions added; quoting too much is harmless, too little is not.
constexpr std::array<std::string_view, 164> kQuotedKeywords = {
    "all", "analyse", "analyze", "and", "any", "array", "as", "asc", "asymmetric", "authorization",
    "between", "bigint", "binary", "bit", "boolean", "both", "case", "cast", "char", "character",
    "check", "coalesce", "collate", "collation", "column", "concurrently", "constraint", "create",
    "cross", "current_catalog", "current_date", "current_role", "current_schema", "current_time",
    "current_timestamp", "current_user", "dec", "decimal", "default", "deferrable", "desc", "distinct",
    "do", "else", "end", "except", "exists", "extract", "false", "fetch", "float", "for", "foreign",
    "freeze", "from", "full", "grant", "greatest", "group", "grouping", "having", "ilike", "in",
    "initially", "inner", "inout", "int", "integer", "intersect", "interval", "into", "is", "isnull",
    "join", "json", "json_array", "json_arrayagg", "json_exists", "json_object", "json_objectagg",
    "json_query", "json_scalar", "json_serialize", "json_table", "json_value", "lateral", "leading",
    "least", "left", "like", "limit", "localtime", "localtimestamp", "merge_action", "national",
    "natural", "nchar", "none", "normalize", "not", "notnull", "null", "nullif", "numeric", "offset",
    "on", "only", "or", "order", "out", "outer", "overlaps", "overlay", "placing", "position",
    "precision", "primary", "real", "references", "returning", "right", "row", "select",
    "session_user", "setof", "similar", "smallint", "some", "substring", "symmetric", "system_user",
    "table", "tablesample", "then", "time", "timestamp", "to", "trailing", "treat", "trim", "true",
    "union", "unique", "user", "using", "values", "varchar", "variadic", "verbose", "when", "where",
    "window", "with", "xmlattributes", "xmlconcat", "xmlelement", "xmlexists", "xmlforest",
    "xmlnamespaces", "xmlparse", "xmlpi", "xmlroot", "xmlserialize", "xmltable",
};

static_assert(std::is_sorted(kQuotedKeywords.begin(), kQuotedKeywords.end()), "binary search needs sorted keywords");

bool is_quoted_keyword(std::string_view word) {
    return std::binary_search(kQuotedKeywords.begin(), kQuotedKeywords.end(), word);
}

} // namespace

std::vector<SqlToken> tokenize_sql(std::string_view sql) { return Tokenizer(sql).run(); }

std::string quote_identifier(std::string_view name) {
    bool bare = !name.empty() && ((name[0] >= 'a' && name[0] <= 'z') || name[0] == '_');
    for (std::size_t i = 0; bare && i < name.size(); ++i) {
        const char c = name[i];
        bare = (c >= 'a' && c <= 'z') || is_digit(c) || c == '_';
    }
    if (bare && !is_quoted_keyword(name)) return std::string(name);

    std::string quoted;
    quoted.reserve(name.size() + 2);
    quoted += '"';
    for (const char c : name) {
        if (c == '"') quoted += '"';
        quoted += c;
    }
    quoted += '"';
    return quoted;
}

std::vector<std::string> split_qualified_name(std::string_view text) {
    const std::vector<SqlToken> tokens = tokenize_sql(text);
    std::vector<std::string> parts;
    for (std::size_t i = 0; i < tokens.size(); ++i) {
        const bool expect_name = i % 2 == 0;
        if (expect_name) {
            if (!tokens[i].is_name()) return {};
            parts.push_back(tokens[i].value);
        } else if (!tokens[i].is_punctuation('.')) {
            return {};
        }
    }
    if (tokens.size() % 2 == 0) return {}; // empty, or ends with '.'
    return parts;
}

std::optional<CopyStatement> parse_copy_statement(std::string_view statement) {
    const std::vector<SqlToken> tokens = tokenize_sql(statement);
    std::size_t i = 0;
    auto next_is_keyword = [&](std::string_view keyword) {
        if (i < tokens.size() && tokens[i].is_keyword(keyword)) {
            ++i;
            return true;
        }
        return false;
    };
    auto next_is_punctuation = [&](char c) {
        if (i < tokens.size() && tokens[i].is_punctuation(c)) {
            ++i;
            return true;
        }
        return false;
    };

    if (!next_is_keyword("copy")) return std::nullopt;

    std::vector<std::string> name;
    do {
        if (i >= tokens.size() || !tokens[i].is_name()) return std::nullopt;
        name.push_back(tokens[i++].value);
    } while (next_is_punctuation('.'));
    if (name.size() > 3) return std::nullopt;

    CopyStatement copy;
    copy.table = name.back();
    if (name.size() >= 2) copy.schema = name[name.size() - 2];

    if (next_is_punctuation('(')) {
        for (;;) {
            if (i >= tokens.size() || !tokens[i].is_name()) return std::nullopt;
            copy.columns.push_back(tokens[i++].value);
            if (next_is_punctuation(')')) break;
            if (!next_is_punctuation(',')) return std::nullopt;
        }
    }
    if (!next_is_keyword("from") || !next_is_keyword("stdin")) return std::nullopt;
    next_is_punctuation(';');
    if (i != tokens.size()) return std::nullopt;
    return copy;
}

} // namespace pgscrub::dump
