#pragma once
// Lexical analysis of PostgreSQL SQL as pg_dump writes it.
//
// Two tools with different jobs:
// - SqlLexState follows the lexical state of SQL text that arrives in pieces
//   (a plain-format dump read in blocks) and reports the top-level `;` that
//   end statements, the way psql splits a script. It never holds the text.
// - tokenize_sql turns one complete statement (a TOC entry's DDL) into tokens
//   with positions, for the schema parser and parse_copy_statement.
// They share only their byte classes (sql_chars.hpp): sql_lexer.cpp holds
// SqlLexState and split_sql_statements, sql_tokens.cpp the tokenizer and
// what is read from its tokens (quote_identifier, split_qualified_name,
// parse_copy_statement).

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pgscrub::dump {

// Follows psql's statement lexer (psqlscan.l) over text fed in arbitrary
// pieces: '…' strings ('' doubled), E'…' strings (backslash escapes), "…"
// identifiers, $tag$…$tag$ quotes ($1 is a parameter), -- and nested /* */
// comments, parenthesis depth, psql backslash commands (`\connect`, `\restrict`)
// and psql's BEGIN … END tracking for SQL-standard function bodies
// (`CREATE FUNCTION … BEGIN ATOMIC …; …; END;`), whose inner `;` do not end
// the statement. A piece may end anywhere, even inside `$tag$` or `E'\'`.
//
// COPY data that follows a `COPY … FROM stdin;` is not SQL: the caller stops
// feeding at the end of the COPY statement's line and resumes after `\.`.
class SqlLexState {
public:
    // With standard_conforming_strings off (old dumps say so in a SET), every
    // '…' string treats backslash as an escape, as E'…' always does.
    explicit SqlLexState(bool standard_conforming_strings = true)
        : standard_conforming_strings_(standard_conforming_strings) {}

    // Advances over `piece`. Appends to `top_level_semicolons` (if given) the
    // offset within `piece` of every `;` that ends a statement. O(piece.size()).
    void feed(std::string_view piece, std::vector<std::size_t>* top_level_semicolons = nullptr);

    // True when the text fed so far ends outside any quote, comment or
    // backslash command, at parenthesis depth 0 and outside BEGIN … END.
    bool at_top_level() const;
    // True when the current statement (since the last top-level `;` or
    // reset) holds anything other than white space and comments.
    bool statement_has_content() const { return statement_has_content_; }
    int paren_depth() const { return paren_depth_; }

    void set_standard_conforming_strings(bool on) { standard_conforming_strings_ = on; }
    // Forgets all state (keeps the standard_conforming_strings setting).
    void reset();

private:
    enum class Mode : std::uint8_t {
        Normal,
        SingleQuoted,   // '…' without backslash escapes
        EscapeQuoted,   // E'…', or '…' with standard_conforming_strings off
        DoubleQuoted,   // "…"
        DollarQuoted,   // $tag$…$tag$
        LineComment,    // -- to end of line
        BlockComment,   // /* … */, nested
        MetaCommand,    // psql backslash command, to end of line
    };
    // A construct whose meaning depends on the next byte, which may be in the next piece.
    enum class Pending : std::uint8_t {
        None,
        Dash,               // Normal: '-' that may start "--"
        Slash,              // Normal: '/' that may start "/*"
        Backslash,          // Normal: '\' that starts a backslash command unless "\;" or "\:"
        DollarTag,          // Normal: "$tag" that may become a dollar-quote opener
        EscapeNext,         // EscapeQuoted: the byte after '\' is literal
        EscapeQuoteClosed,  // EscapeQuoted just ended: a following '\'' continues it ('')
    };

    std::size_t feed_normal(std::string_view piece, std::size_t i, std::vector<std::size_t>* semicolons);
    void end_word(char next);
    void note_identifier(std::string_view lowered_word);
    void open_dollar_quote();

    bool standard_conforming_strings_;
    Mode mode_ = Mode::Normal;
    Pending pending_ = Pending::None;
    int paren_depth_ = 0;
    int comment_depth_ = 0;
    char comment_previous_ = 0; // last byte inside a block comment, for "*/" and "/*"
    bool statement_has_content_ = false;

    // The identifier or number being read in Normal mode.
    bool in_word_ = false;
    bool word_is_number_ = false;
    std::size_t word_length_ = 0;
    char word_[10] = {}; // lower-cased start of the word; only short keywords matter

    // psql's heuristic for CREATE [OR REPLACE] FUNCTION|PROCEDURE … BEGIN … END.
    int identifier_count_ = 0;
    char identifier_initials_[4] = {};
    int begin_depth_ = 0;

    // Dollar quotes: the tag being read after '$', then the closing delimiter
    // "$tag$" and how much of it the text has matched so far.
    std::string dollar_tag_;
    std::string dollar_delimiter_;
    std::size_t dollar_matched_ = 0;
};

enum class SqlTokenKind : std::uint8_t {
    Identifier,       // unquoted; value folded to lower case
    QuotedIdentifier, // "…"; value without quotes, "" undoubled
    String,           // '…', E'…', $$…$$ and B'…'/X'…'/N'…'; value is the content
    Number,
    Parameter,        // $1
    Operator,         // + - * / < > = ~ ! @ # % ^ & | ` ? and runs of them, "::"
    Punctuation,      // ( ) [ ] , ; . :
};

struct SqlToken {
    SqlTokenKind kind = SqlTokenKind::Punctuation;
    std::size_t offset = 0; // in the tokenized text
    std::size_t length = 0; // bytes of source text, quotes included
    std::string value;

    std::size_t end() const { return offset + length; }
    // An unquoted identifier equal to `lower_case_keyword`.
    bool is_keyword(std::string_view lower_case_keyword) const {
        return kind == SqlTokenKind::Identifier && value == lower_case_keyword;
    }
    bool is_punctuation(char c) const {
        return kind == SqlTokenKind::Punctuation && value.size() == 1 && value[0] == c;
    }
    bool is_name() const { return kind == SqlTokenKind::Identifier || kind == SqlTokenKind::QuotedIdentifier; }
};

// Tokens of complete SQL text; comments and white space are dropped. Never
// fails: an unterminated quote or comment runs to the end of the text.
std::vector<SqlToken> tokenize_sql(std::string_view sql);

// The statements of complete SQL text, split at top-level `;` (each without
// its `;`, untrimmed); a final statement without `;` is included if not blank.
std::vector<std::string_view> split_sql_statements(std::string_view sql);

// An identifier as pg_dump's fmtId writes it: bare when it is lower-case
// letters, digits and underscores, does not start with a digit and is not a
// keyword that needs quoting; otherwise in double quotes with " doubled.
std::string quote_identifier(std::string_view name);

// `public."Weird ""Name"""` → {"public", "Weird \"Name\""}. Unquoted parts
// are folded to lower case, as PostgreSQL does. Empty when malformed.
std::vector<std::string> split_qualified_name(std::string_view text);

// A TABLE DATA entry's copyStmt.
struct CopyStatement {
    std::string schema; // empty when the statement does not qualify the table
    std::string table;
    std::vector<std::string> columns; // names as stored; empty for the zero-column form
};

// Parses `COPY [schema.]table [(col, …)] FROM stdin;` with optional trailing
// white space. nullopt for anything else (other COPY forms included).
std::optional<CopyStatement> parse_copy_statement(std::string_view statement);

} // namespace pgscrub::dump
