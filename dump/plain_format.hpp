#pragma once
// Plain SQL format (pg_dump -Fp): a psql script. Everything outside
// `COPY … FROM stdin;` data blocks is passed through byte for byte; each data
// block (rows up to the `\.` line) is handed over as a payload.
// See docs/archive-format.md §7.

#include "dump/archive_io.hpp"
#include "dump/sql_lexer.hpp"

#include <cstdint>
#include <memory>
#include <string>

namespace pgscrub::dump {

struct PlainCopyBlock {
    CopyStatement statement;
    std::uint64_t line = 0;   // line number of the COPY statement
    std::uint64_t offset = 0; // byte offset where the data starts
    std::string qualified_name() const;
};

class PlainVisitor {
public:
    virtual ~PlainVisitor() = default;
    // SQL text outside data blocks, verbatim (the COPY statement included).
    virtual void sql(std::string_view text) = 0;
    // Every line of that text goes through here first; `starts_statement` is
    // true for the first line of a statement (not a comment, blank line or
    // backslash command). A visitor that rewrites whole statements holds
    // lines back from here until statement() has the whole of one.
    // `line_number` counts from 1 over the whole script, COPY data included.
    virtual void sql_line(std::string_view line, bool starts_statement, std::uint64_t line_number) {
        (void)starts_statement;
        (void)line_number;
        sql(line);
    }
    // Each complete top-level statement, without leading comments, after its
    // text went through sql(): lets a visitor learn the schema (CREATE TABLE,
    // ATTACH PARTITION) before the data arrives.
    virtual void statement(std::string_view) {}
    // A line on which one statement ends and another begins (`SET a = 1; SELECT …`).
    virtual void statements_share_line(std::uint64_t line_number) { (void)line_number; }
    // A data block: the payload yields the rows and the `\.` line.
    virtual void copy_data(const PlainCopyBlock& block, Payload& data) = 0;
};

// Reads a plain script from `in`, calling `visitor` in order. Throws
// ArchiveError when a data block has no `\.` line.
void read_plain(common::InputStream& in, PlainVisitor& visitor);

// True when `head` (the first bytes of an input) looks like SQL text rather
// than binary data.
bool looks_like_sql(std::string_view head);

} // namespace pgscrub::dump
