#pragma once
// A read position over the tokens of one SQL statement, for the DDL reader
// (ddl_parser.hpp); internal to dump/.
//
// The reader is a set of small recursive-descent readers, one per statement
// and clause, over the tokens of tokenize_sql (sql_lexer.hpp). They share
// this cursor: its accept_* functions consume what they match and nothing
// otherwise, so a reader tries alternatives in turn without backtracking by
// hand, and a clause it does not know is stepped over whole (skip_item: one
// token or a bracketed group). sub() limits a cursor to a range, such as one
// element between the commas of a table's column list, so that reading one
// element can never run into the next.

#include "dump/schema_model.hpp"
#include "dump/sql_lexer.hpp"

#include <algorithm>
#include <initializer_list>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace pgscrub::dump::ddl {

inline bool is_open_bracket(const SqlToken& t) { return t.is_punctuation('(') || t.is_punctuation('['); }
inline bool is_close_bracket(const SqlToken& t) { return t.is_punctuation(')') || t.is_punctuation(']'); }

template <typename Keywords>
bool is_one_of(const SqlToken& t, const Keywords& keywords) {
    if (t.kind != SqlTokenKind::Identifier) return false;
    return std::find(std::begin(keywords), std::end(keywords), t.value) != std::end(keywords);
}

// A read position over tokens [begin, end) of one statement.
class Cursor {
public:
    Cursor(std::string_view text, const std::vector<SqlToken>& tokens, std::size_t begin, std::size_t end)
        : text_(text), tokens_(&tokens), pos_(begin), end_(std::min(end, tokens.size())) {}

    // The same tokens, limited to [begin, end).
    Cursor sub(std::size_t begin, std::size_t end) const { return Cursor(text_, *tokens_, begin, end); }

    bool done() const { return pos_ >= end_; }
    std::size_t position() const { return pos_; }
    std::size_t end() const { return end_; }
    void seek(std::size_t position) { pos_ = std::min(position, end_); }
    const SqlToken* peek(std::size_t ahead = 0) const {
        return pos_ + ahead < end_ ? &(*tokens_)[pos_ + ahead] : nullptr;
    }
    const SqlToken* previous() const { return pos_ > 0 && pos_ <= tokens_->size() ? &(*tokens_)[pos_ - 1] : nullptr; }
    bool peek_keyword(std::string_view keyword, std::size_t ahead = 0) const {
        const SqlToken* t = peek(ahead);
        return t && t->is_keyword(keyword);
    }
    bool peek_punctuation(char c, std::size_t ahead = 0) const {
        const SqlToken* t = peek(ahead);
        return t && t->is_punctuation(c);
    }

    bool accept_keyword(std::string_view keyword) {
        if (!peek_keyword(keyword)) return false;
        ++pos_;
        return true;
    }
    // All of them in a row, or nothing consumed.
    bool accept_keywords(std::initializer_list<std::string_view> keywords) {
        std::size_t ahead = 0;
        for (std::string_view k : keywords)
            if (!peek_keyword(k, ahead++)) return false;
        pos_ += keywords.size();
        return true;
    }
    bool accept_punctuation(char c) {
        if (!peek_punctuation(c)) return false;
        ++pos_;
        return true;
    }

    std::optional<std::string> accept_name() {
        const SqlToken* t = peek();
        if (!t || !t->is_name()) return std::nullopt;
        ++pos_;
        return t->value;
    }

    // name or schema.name (database.schema.name keeps the last two).
    std::optional<QualifiedName> accept_qualified_name(const std::string& default_schema) {
        std::vector<std::string> parts;
        const std::size_t start = pos_;
        for (;;) {
            std::optional<std::string> part = accept_name();
            if (!part) {
                pos_ = start;
                return std::nullopt;
            }
            parts.push_back(std::move(*part));
            if (!peek_punctuation('.')) break;
            ++pos_;
        }
        if (parts.size() == 1) return QualifiedName{default_schema, parts[0]};
        return QualifiedName{parts[parts.size() - 2], parts.back()};
    }

    // "(a, "B", c)": names only; nullopt (nothing consumed) for anything else.
    std::optional<std::vector<std::string>> accept_name_list() {
        const std::size_t start = pos_;
        if (!accept_punctuation('(')) return std::nullopt;
        std::vector<std::string> names;
        for (;;) {
            std::optional<std::string> name = accept_name();
            if (!name) break;
            names.push_back(std::move(*name));
            if (accept_punctuation(')')) return names;
            if (!accept_punctuation(',')) break;
        }
        pos_ = start;
        return std::nullopt;
    }

    // Index just past the bracket that closes the one at `open`, or end().
    std::size_t group_end(std::size_t open) const {
        int depth = 0;
        for (std::size_t i = open; i < end_; ++i) {
            const SqlToken& t = (*tokens_)[i];
            if (is_open_bracket(t)) {
                ++depth;
            } else if (is_close_bracket(t)) {
                if (--depth == 0) return i + 1;
            }
        }
        return end_;
    }

    // Where the inside of the group [open, close) ends: before its closing
    // bracket, or at `close` when the text ended before the group did.
    std::size_t inner_end(std::size_t open, std::size_t close) const {
        int depth = 0;
        for (std::size_t i = open; i < close; ++i) {
            const SqlToken& t = (*tokens_)[i];
            if (is_open_bracket(t)) ++depth;
            if (is_close_bracket(t)) --depth;
        }
        return depth == 0 && close > open + 1 ? close - 1 : close;
    }

    // One token, or a whole bracketed group.
    void skip_item() {
        const SqlToken* t = peek();
        if (!t) return;
        pos_ = is_open_bracket(*t) ? group_end(pos_) : pos_ + 1;
    }

    // [begin, end) ranges between the commas at bracket depth 0 of [begin, end).
    std::vector<std::pair<std::size_t, std::size_t>> split_at_commas(std::size_t begin, std::size_t end) const {
        std::vector<std::pair<std::size_t, std::size_t>> ranges;
        int depth = 0;
        std::size_t start = begin;
        for (std::size_t i = begin; i < end && i < end_; ++i) {
            const SqlToken& t = (*tokens_)[i];
            if (is_open_bracket(t)) {
                ++depth;
            } else if (is_close_bracket(t)) {
                --depth;
            } else if (depth == 0 && t.is_punctuation(',')) {
                ranges.emplace_back(start, i);
                start = i + 1;
            }
        }
        if (start < end) ranges.emplace_back(start, std::min(end, end_));
        return ranges;
    }

    // The source text of tokens [first, last), as written.
    std::string text_between(std::size_t first, std::size_t last) const {
        if (first >= last || last > tokens_->size()) return {};
        const std::size_t from = (*tokens_)[first].offset;
        return std::string(text_.substr(from, (*tokens_)[last - 1].end() - from));
    }

private:
    std::string_view text_;
    const std::vector<SqlToken>* tokens_;
    std::size_t pos_;
    std::size_t end_;
};

} // namespace pgscrub::dump::ddl
