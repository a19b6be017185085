#include "dump/sql_lexer.hpp"

#include <algorithm>
#include <array>

namespace pgscrub::dump {

namespace {

constexpr bool is_ascii_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
constexpr bool is_digit(char c) { return c >= '0' && c <= '9'; }
constexpr bool is_high_bit(char c) { return static_cast<unsigned char>(c) >= 0x80; }
// psql's ident_start / ident_cont, without the '$' that ident_cont also allows.
constexpr bool is_identifier_start(char c) { return is_ascii_letter(c) || c == '_' || is_high_bit(c); }
constexpr bool is_identifier_byte(char c) { return is_identifier_start(c) || is_digit(c); }
constexpr bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }
constexpr char to_lower_ascii(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

// is_identifier_byte as a table: the hot loop of SqlLexState::feed.
constexpr std::array<bool, 256> kIdentifierByte = [] {
    std::array<bool, 256> table{};
    for (int c = 0; c < 256; ++c) table[static_cast<std::size_t>(c)] = is_identifier_byte(static_cast<char>(c));
    return table;
}();
constexpr bool is_identifier_byte_fast(char c) { return kIdentifierByte[static_cast<unsigned char>(c)]; }

// PostgreSQL's op_chars, plus '`' and '?' which psql also lets through as operators.
constexpr bool is_operator_byte(char c) {
    switch (c) {
    case '~': case '!': case '@': case '#': case '^': case '&': case '|': case '`': case '?':
    case '+': case '-': case '*': case '/': case '%': case '<': case '>': case '=':
        return true;
    default:
        return false;
    }
}

} // namespace

// ---------------------------------------------------------------------------
// SqlLexState

void SqlLexState::reset() {
    *this = SqlLexState(standard_conforming_strings_);
}

bool SqlLexState::at_top_level() const {
    return mode_ == Mode::Normal && paren_depth_ == 0 && begin_depth_ == 0 && pending_ != Pending::Backslash;
}

void SqlLexState::open_dollar_quote() {
    dollar_delimiter_.clear();
    dollar_delimiter_.reserve(dollar_tag_.size() + 2);
    dollar_delimiter_ += '$';
    dollar_delimiter_ += dollar_tag_;
    dollar_delimiter_ += '$';
    dollar_matched_ = 0;
    mode_ = Mode::DollarQuoted;
}

// psql's heuristic (psqlscan.l, {identifier} rule): remember the initials of
// CREATE / OR / REPLACE / FUNCTION / PROCEDURE at the start of a statement;
// if it is CREATE [OR REPLACE] FUNCTION|PROCEDURE, count BEGIN/CASE … END at
// parenthesis depth 0 so a SQL-standard body's inner `;` do not end it.
void SqlLexState::note_identifier(std::string_view word) {
    if (identifier_count_ == 0) std::fill(std::begin(identifier_initials_), std::end(identifier_initials_), '\0');
    if (word == "create" || word == "function" || word == "procedure" || word == "or" || word == "replace") {
        if (identifier_count_ < static_cast<int>(sizeof identifier_initials_))
            identifier_initials_[identifier_count_] = word[0];
    }
    if (identifier_count_ < 1000) ++identifier_count_; // only "< 4" matters; saturate

    const char* initials = identifier_initials_;
    const bool creates_routine =
        initials[0] == 'c' &&
        (initials[1] == 'f' || initials[1] == 'p' ||
         (initials[1] == 'o' && initials[2] == 'r' && (initials[3] == 'f' || initials[3] == 'p')));
    if (!creates_routine || paren_depth_ != 0) return;
    if (word == "begin") {
        ++begin_depth_;
    } else if (word == "case") {
        if (begin_depth_ >= 1) ++begin_depth_; // CASE also ends with END
    } else if (word == "end") {
        if (begin_depth_ > 0) --begin_depth_;
    }
}

void SqlLexState::end_word(char next) {
    in_word_ = false;
    if (word_is_number_) return;
    // E'…', B'…', X'…', N'…' are literal prefixes, not identifiers.
    if (word_length_ == 1 && next == '\'') {
        const char prefix = word_[0];
        if (prefix == 'e' || prefix == 'b' || prefix == 'x' || prefix == 'n') return;
    }
    if (word_length_ > sizeof word_) {
        note_identifier({}); // too long to be a word the heuristic looks for
    } else {
        note_identifier(std::string_view(word_, word_length_));
    }
}

std::size_t SqlLexState::feed_normal(std::string_view piece, std::size_t i, std::vector<std::size_t>* semicolons) {
    const std::size_t n = piece.size();
    while (i < n) {
        const char c = piece[i];

        if (pending_ != Pending::None) {
            const Pending pending = pending_;
            pending_ = Pending::None;
            switch (pending) {
            case Pending::Dash:
                if (c == '-') {
                    mode_ = Mode::LineComment;
                    return i + 1;
                }
                statement_has_content_ = true;
                break;
            case Pending::Slash:
                if (c == '*') {
                    mode_ = Mode::BlockComment;
                    comment_depth_ = 1;
                    comment_previous_ = 0;
                    return i + 1;
                }
                statement_has_content_ = true;
                break;
            case Pending::Backslash:
                if (c == ';' || c == ':') { // "\;" and "\:" put the character into the query
                    statement_has_content_ = true;
                    ++i;
                    continue;
                }
                mode_ = Mode::MetaCommand;
                return i; // the backslash command runs to the end of this line
            case Pending::DollarTag:
                if (is_identifier_start(c) || (is_digit(c) && !dollar_tag_.empty())) {
                    dollar_tag_ += c;
                    pending_ = Pending::DollarTag;
                    ++i;
                    continue;
                }
                if (c == '$') {
                    open_dollar_quote();
                    return i + 1;
                }
                break; // "$1" or a stray '$': read c afresh
            case Pending::EscapeQuoteClosed:
                if (c == '\'') { // E'…''…' continues the same escape string
                    mode_ = Mode::EscapeQuoted;
                    return i + 1;
                }
                break;
            case Pending::None:
            case Pending::EscapeNext:
                break;
            }
        }

        if (is_identifier_byte_fast(c) || (c == '$' && in_word_ && !word_is_number_)) {
            if (!in_word_) {
                in_word_ = true;
                word_is_number_ = is_digit(c);
                word_length_ = 0;
            }
            statement_has_content_ = true;
            // The rest of the word in one go; '$' continues identifiers, not numbers.
            do {
                if (word_length_ < sizeof word_) word_[word_length_] = to_lower_ascii(piece[i]);
                ++word_length_;
                ++i;
            } while (i < n && (is_identifier_byte_fast(piece[i]) || (piece[i] == '$' && !word_is_number_)));
            continue;
        }

        bool escape_prefix = false;
        if (in_word_) {
            escape_prefix = c == '\'' && !word_is_number_ && word_length_ == 1 && word_[0] == 'e';
            end_word(c);
        }

        ++i;
        switch (c) {
        case ' ': case '\t': case '\n': case '\r': case '\f': case '\v':
            while (i < n && is_space(piece[i])) ++i;
            break;
        case '\'':
            statement_has_content_ = true;
            mode_ = (escape_prefix || !standard_conforming_strings_) ? Mode::EscapeQuoted : Mode::SingleQuoted;
            return i;
        case '"':
            statement_has_content_ = true;
            mode_ = Mode::DoubleQuoted;
            return i;
        case '$':
            statement_has_content_ = true;
            dollar_tag_.clear();
            pending_ = Pending::DollarTag;
            break;
        case '-':
            pending_ = Pending::Dash;
            break;
        case '/':
            pending_ = Pending::Slash;
            break;
        case '\\':
            pending_ = Pending::Backslash;
            break;
        case '(':
            statement_has_content_ = true;
            ++paren_depth_;
            break;
        case ')':
            statement_has_content_ = true;
            if (paren_depth_ > 0) --paren_depth_; // as psql: never below zero
            break;
        case ';':
            if (paren_depth_ == 0 && begin_depth_ == 0) {
                if (semicolons) semicolons->push_back(i - 1);
                identifier_count_ = 0;
                statement_has_content_ = false;
            } else {
                statement_has_content_ = true;
            }
            break;
        default:
            statement_has_content_ = true;
            break;
        }
    }
    return n;
}

void SqlLexState::feed(std::string_view piece, std::vector<std::size_t>* top_level_semicolons) {
    const std::size_t n = piece.size();
    std::size_t i = 0;
    while (i < n) {
        switch (mode_) {
        case Mode::Normal:
            i = feed_normal(piece, i, top_level_semicolons);
            break;

        case Mode::SingleQuoted: {
            // A doubled '' closes and reopens: the lexical state is the same.
            const std::size_t close = piece.find('\'', i);
            if (close == std::string_view::npos) return;
            mode_ = Mode::Normal;
            i = close + 1;
            break;
        }

        case Mode::EscapeQuoted: {
            if (pending_ == Pending::EscapeNext) {
                pending_ = Pending::None;
                ++i;
                break;
            }
            while (i < n && piece[i] != '\'' && piece[i] != '\\') ++i;
            if (i == n) return;
            if (piece[i] == '\\') {
                pending_ = Pending::EscapeNext;
            } else {
                mode_ = Mode::Normal;
                pending_ = Pending::EscapeQuoteClosed;
            }
            ++i;
            break;
        }

        case Mode::DoubleQuoted: {
            const std::size_t close = piece.find('"', i);
            if (close == std::string_view::npos) return;
            mode_ = Mode::Normal;
            i = close + 1;
            break;
        }

        case Mode::DollarQuoted:
            // The delimiter "$tag$" has '$' only at its ends, so after a
            // mismatch the only prefix that can still match is a fresh '$'.
            while (i < n) {
                if (dollar_matched_ == 0) {
                    const std::size_t dollar = piece.find('$', i);
                    if (dollar == std::string_view::npos) return;
                    dollar_matched_ = 1;
                    i = dollar + 1;
                    continue;
                }
                const char c = piece[i++];
                if (c == dollar_delimiter_[dollar_matched_]) {
                    if (++dollar_matched_ == dollar_delimiter_.size()) {
                        dollar_matched_ = 0;
                        mode_ = Mode::Normal;
                        break;
                    }
                } else {
                    dollar_matched_ = c == '$' ? 1 : 0;
                }
            }
            break;

        case Mode::LineComment:
            while (i < n && piece[i] != '\n' && piece[i] != '\r') ++i;
            if (i == n) return;
            mode_ = Mode::Normal;
            ++i;
            break;

        case Mode::BlockComment:
            while (i < n && mode_ == Mode::BlockComment) {
                const char c = piece[i++];
                if (c == '*' && comment_previous_ == '/') {
                    ++comment_depth_;
                    comment_previous_ = 0; // "/*/" does not close
                } else if (c == '/' && comment_previous_ == '*') {
                    comment_previous_ = 0;
                    if (--comment_depth_ == 0) mode_ = Mode::Normal;
                } else {
                    comment_previous_ = c;
                }
            }
            break;

        case Mode::MetaCommand: {
            const std::size_t newline = piece.find('\n', i);
            if (newline == std::string_view::npos) return;
            mode_ = Mode::Normal;
            i = newline + 1;
            break;
        }
        }
    }
}

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

std::vector<std::string_view> split_sql_statements(std::string_view sql) {
    SqlLexState state;
    std::vector<std::size_t> semicolons;
    state.feed(sql, &semicolons);

    std::vector<std::string_view> statements;
    std::size_t start = 0;
    for (const std::size_t semicolon : semicolons) {
        statements.push_back(sql.substr(start, semicolon - start));
        start = semicolon + 1;
    }
    const std::string_view rest = sql.substr(start);
    if (!tokenize_sql(rest).empty()) statements.push_back(rest);
    return statements;
}

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
