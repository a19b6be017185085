#include "dump/plain_format.hpp"

#include "dump/archive_error.hpp"

#include <algorithm>
#include <cstring>
#include <vector>

namespace pgscrub::dump {

std::string PlainCopyBlock::qualified_name() const {
    return statement.schema.empty() ? statement.table : statement.schema + "." + statement.table;
}

namespace {

constexpr std::size_t kPiece = 256 * 1024;

// The COPY data of one block, read in place up to and including the `\.` line.
// A data row can never be the line `\.`: COPY doubles every backslash.
class PlainCopyPayload final : public Payload {
public:
    PlainCopyPayload(common::InputStream& in, ErrorLocation where) : in_(in), where_(std::move(where)) {}

    PayloadEncoding encoding() const override { return PayloadEncoding::Raw; }
    ErrorLocation location() const override { return where_; }

    // The reader's state moves on only once the sink has taken a piece: a
    // sink that stops the decode (preview has its rows) leaves the rest to
    // drain(), which must find the block's end where it is.
    void copy_stored_to(ChunkAwareSink& sink) override {
        while (!done_) {
            std::string_view window = in_.peek(kPiece);
            std::size_t consumed = 0;
            bool line_start = line_start_;
            bool done = false;
            while (consumed < window.size()) {
                const char* nl = static_cast<const char*>(std::memchr(window.data() + consumed, '\n', window.size() - consumed));
                if (!nl) {
                    // A line start that may still become the marker waits for
                    // its next bytes; anything else is row data.
                    if (line_start && could_be_marker(window.substr(consumed))) break;
                    consumed = window.size();
                    line_start = false;
                    break;
                }
                std::size_t line_end = static_cast<std::size_t>(nl - window.data()) + 1;
                std::string_view line = window.substr(consumed, line_end - consumed);
                bool marker = line_start && (line == "\\.\n" || line == "\\.\r\n");
                consumed = line_end;
                line_start = true;
                if (marker) {
                    done = true;
                    break;
                }
            }
            if (consumed == 0) {
                throw ArchiveError("COPY data has no end marker (a line \"\\.\"); the script is truncated", where_);
            }
            std::string_view piece = window.substr(0, consumed);
            sink.write(piece);
            lines_ += static_cast<std::uint64_t>(std::count(piece.begin(), piece.end(), '\n'));
            line_start_ = line_start;
            done_ = done;
            in_.skip(consumed, "COPY data");
        }
    }

    // Script lines the data occupied, the `\.` line included.
    std::uint64_t lines() const { return lines_; }

    void drain() {
        common::DiscardSink discard;
        if (!done_) copy_stored(discard);
    }

private:
    common::InputStream& in_;
    ErrorLocation where_;
    bool done_ = false;
    bool line_start_ = true;
    std::uint64_t lines_ = 0;

    static bool could_be_marker(std::string_view partial) {
        return partial == "\\" || partial == "\\." || partial == "\\.\r";
    }
};

bool is_meta_command(std::string_view line) {
    std::size_t i = line.find_first_not_of(" \t");
    return i != std::string_view::npos && line[i] == '\\';
}

bool line_is_blank_or_comment(std::string_view line) {
    std::size_t i = line.find_first_not_of(" \t\r\n");
    return i == std::string_view::npos || line.substr(i, 2) == "--";
}

} // namespace

void read_plain(common::InputStream& in, PlainVisitor& visitor) {
    SqlLexState lexer;
    std::string statement; // text of the current top-level statement, for COPY detection
    std::string line;
    std::vector<std::size_t> semicolons;
    std::uint64_t line_no = 0;
    char buffer[65536];

    auto read_line = [&](std::string& out) -> bool {
        out.clear();
        for (;;) {
            std::string_view window = in.peek(sizeof buffer);
            if (window.empty()) return !out.empty();
            const void* nl = std::memchr(window.data(), '\n', window.size());
            std::size_t take = nl ? static_cast<std::size_t>(static_cast<const char*>(nl) - window.data()) + 1 : window.size();
            out.append(window.substr(0, take));
            in.skip(take, "SQL text");
            if (nl) return true;
        }
    };

    while (read_line(line)) {
        ++line_no;
        bool statement_start = lexer.at_top_level() && !lexer.statement_has_content();
        semicolons.clear();
        lexer.feed(line, &semicolons);
        // psql runs backslash commands (\connect, \restrict) on their own
        // line; they are not part of the next statement.
        bool outside_statement = statement_start && (line_is_blank_or_comment(line) || is_meta_command(line));
        if (!outside_statement) statement += line;
        visitor.sql_line(line, statement_start && !outside_statement, line_no);
        if (semicolons.empty()) continue;

        std::string finished = std::move(statement);
        statement.clear();
        // Text after the last `;` on this line starts the next statement.
        std::size_t after = semicolons.back() + 1;
        if (after < line.size() && !line_is_blank_or_comment(line.substr(after))) statement = line.substr(after);
        if (semicolons.size() != 1 || !statement.empty()) {
            visitor.statements_share_line(line_no);
            continue;
        }

        visitor.statement(finished);
        // Old dumps switch backslash escapes on in '' strings; the lexer must follow.
        if (finished.find("standard_conforming_strings") != std::string::npos) {
            if (finished.find("= off") != std::string::npos) lexer.set_standard_conforming_strings(false);
            if (finished.find("= on") != std::string::npos) lexer.set_standard_conforming_strings(true);
        }
        auto copy = parse_copy_statement(finished);
        if (!copy) continue;
        PlainCopyBlock block{std::move(*copy), line_no, in.position()};
        ErrorLocation where{in.name(), in.position(), {}, "COPY data for " + block.qualified_name() + " at line " + std::to_string(line_no)};
        PlainCopyPayload payload(in, where);
        try {
            visitor.copy_data(block, payload);
            payload.drain();
        } catch (common::Error& error) {
            common::rethrow_with(error, where);
        }
        line_no += payload.lines();
        lexer.reset();
    }
}

bool looks_like_sql(std::string_view head) {
    if (head.empty()) return false;
    for (unsigned char c : head) {
        if (c == 0) return false;
    }
    std::size_t i = head.find_first_not_of(" \t\r\n");
    if (i == std::string_view::npos) return false;
    std::string_view start = head.substr(i);
    for (std::string_view word : {"--", "/*", "SET ", "CREATE ", "SELECT ", "BEGIN", "COPY ", "\\", "INSERT ", "ALTER "}) {
        if (start.substr(0, word.size()) == word) return true;
    }
    return false;
}

} // namespace pgscrub::dump
