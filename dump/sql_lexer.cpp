#include "dump/sql_lexer.hpp"

#include "dump/sql_chars.hpp"

#include <algorithm>
#include <iterator>

namespace pgscrub::dump {

using namespace sql_chars;

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

} // namespace pgscrub::dump
