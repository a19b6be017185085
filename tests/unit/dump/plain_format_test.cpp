// Plain SQL scripts (docs/archive-format.md §7): COPY data blocks
// are found only at the top level, end only at a line that is exactly `\.`,
// and everything is handed over byte for byte at any buffer size.

#include "archive_builders.hpp"
#include "dump/plain_format.hpp"

#include <catch2/catch.hpp>

using namespace pgscrub::test;

namespace {

class PlainRecorder final : public PlainVisitor {
public:
    enum class Mode { Stored, Decode, Ignore, StopAtFirstPiece };
    explicit PlainRecorder(Mode mode = Mode::Stored) : mode_(mode) {}

    void sql(std::string_view text) override {
        sql_text.append(text);
        everything.append(text);
    }
    void copy_data(const PlainCopyBlock& block, Payload& data) override {
        blocks.push_back(block);
        encodings.push_back(data.encoding());
        if (mode_ == Mode::Ignore) return;
        if (mode_ == Mode::StopAtFirstPiece) {
            // A consumer that has seen enough (preview's first rows) stops
            // the decode by throwing from its sink.
            struct Enough {};
            struct Stopper final : ByteSink {
                void write(std::string_view) override { throw Enough{}; }
            } stopper;
            try {
                data.decode(stopper);
            } catch (const Enough&) {
            }
            return;
        }
        StringSink sink;
        if (mode_ == Mode::Stored) data.copy_stored(sink);
        else data.decode(sink);
        copies.push_back(sink.data);
        everything.append(sink.data);
    }

    std::string sql_text;   // the sql() pieces
    std::string everything; // sql() pieces and COPY data, in order
    std::vector<PlainCopyBlock> blocks;
    std::vector<std::string> copies;
    std::vector<PayloadEncoding> encodings;

private:
    Mode mode_;
};

PlainRecorder read_script(const std::string& script, std::size_t max_read,
                          PlainRecorder::Mode mode = PlainRecorder::Mode::Stored) {
    MemoryInput in("dump.sql", script, max_read);
    PlainRecorder recorder(mode);
    read_plain(in, recorder);
    return recorder;
}

std::size_t line_of(const std::string& text, std::size_t offset) {
    return static_cast<std::size_t>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(offset), '\n')) + 1;
}

// In raw strings `\\.` is a data row holding `\.` (COPY doubles backslashes);
// `\.` alone on its line is the end marker.
const std::string kScript = R"(--
-- PostgreSQL database dump
--

\restrict abc123

SET statement_timeout = 0;
SET standard_conforming_strings = on;

CREATE FUNCTION public.load() RETURNS void
    LANGUAGE plpgsql
    AS $_$
BEGIN
COPY x FROM stdin;
  RAISE NOTICE 'not data; %', 1;
END
$_$;

CREATE FUNCTION public.f2() RETURNS text
    LANGUAGE sql
    AS $$SELECT 'COPY y FROM stdin;'$$;

COMMENT ON TABLE public.t IS 'it''s
COPY z FROM stdin;
multi-line';

/* a block comment
COPY w FROM stdin;
*/

--
-- Data for Name: t; Type: TABLE DATA; Schema: public; Owner: postgres
--

COPY public.t (id, txt) FROM stdin;
1	plain
2	a\\.b
\\.
a\.b
\\.\\.
\.x
\N
\.


--
-- Data for Name: empty0; Type: TABLE DATA; Schema: public; Owner: postgres
--

COPY public.empty0  FROM stdin;
\.


COPY "Weird"."Na me" ("a b", c) FROM stdin;
x	y
\.


SELECT pg_catalog.setval('public.s', 1, true);

--
-- PostgreSQL database dump complete
--

\unrestrict abc123
)";

const std::string kTData = "1\tplain\n2\ta\\\\.b\n\\\\.\na\\.b\n\\\\.\\\\.\n\\.x\n\\N\n\\.\n";

} // namespace

TEST_CASE("read_plain: SQL pieces and COPY data reassemble the script byte for byte", "[plain]") {
    const std::size_t max_read = GENERATE(1, 7, 4096, 65536);
    const PlainRecorder::Mode mode = GENERATE(PlainRecorder::Mode::Stored, PlainRecorder::Mode::Decode);
    INFO("max_read " << max_read);
    const PlainRecorder r = read_script(kScript, max_read, mode);
    CHECK(r.everything == kScript);
    for (PayloadEncoding e : r.encodings) CHECK(e == PayloadEncoding::Raw);
}

TEST_CASE("read_plain: only top-level COPY ... FROM stdin statements start data blocks", "[plain]") {
    const std::size_t max_read = GENERATE(1, 7, 4096, 65536);
    const PlainRecorder r = read_script(kScript, max_read);
    // Not the COPY lines inside $_$ ... $_$, $$ ... $$, a string literal or a comment.
    REQUIRE(r.blocks.size() == 3);
    REQUIRE(r.copies.size() == 3);

    CHECK(r.blocks[0].qualified_name() == "public.t");
    CHECK(r.blocks[0].statement.columns == std::vector<std::string>{"id", "txt"});
    // Rows `\\.`, `a\.b` and `\.x` are data; the block ends at the line `\.`.
    CHECK(r.copies[0] == kTData);

    CHECK(r.blocks[1].qualified_name() == "public.empty0");
    CHECK(r.blocks[1].statement.columns.empty());
    CHECK(r.copies[1] == "\\.\n");

    CHECK(r.blocks[2].statement.schema == "Weird");
    CHECK(r.blocks[2].statement.table == "Na me");
    CHECK(r.blocks[2].statement.columns == std::vector<std::string>{"a b", "c"});
    CHECK(r.copies[2] == "x\ty\n\\.\n");

    // Each block's offset is where its data starts in the script.
    for (std::size_t i = 0; i < 3; ++i) {
        INFO("block " << i);
        CHECK(kScript.compare(r.blocks[i].offset, r.copies[i].size(), r.copies[i]) == 0);
    }
    CHECK(r.blocks[0].line == line_of(kScript, kScript.find("COPY public.t ")));
}

TEST_CASE("read_plain: blocks the visitor does not read are skipped up to their end marker", "[plain]") {
    const std::size_t max_read = GENERATE(1, 7, 4096, 65536);
    const PlainRecorder stored = read_script(kScript, 4096);
    const PlainRecorder r = read_script(kScript, max_read, PlainRecorder::Mode::Ignore);
    REQUIRE(r.blocks.size() == 3);
    REQUIRE(stored.copies.size() == 3);
    std::string without_data = kScript;
    for (std::size_t i = 3; i-- > 0;) {
        CHECK(r.blocks[i].offset == stored.blocks[i].offset);
        without_data.erase(r.blocks[i].offset, stored.copies[i].size());
    }
    CHECK(r.sql_text == without_data);
}

TEST_CASE("regression: a block whose consumer stops mid-decode is still skipped up to its end marker", "[plain][regression]") {
    // The payload moved its state on before its sink had taken the piece: a
    // sink that threw left the reader at the block's first row, believing
    // the block done, and its rows were read as SQL (preview of a script
    // lost every table after the first).
    const std::size_t max_read = GENERATE(1, 7, 4096, 65536);
    const PlainRecorder ignored = read_script(kScript, max_read, PlainRecorder::Mode::Ignore);
    const PlainRecorder stopped = read_script(kScript, max_read, PlainRecorder::Mode::StopAtFirstPiece);
    REQUIRE(stopped.blocks.size() == 3);
    CHECK(stopped.sql_text == ignored.sql_text);
    for (std::size_t i = 0; i < 3; ++i) {
        CHECK(stopped.blocks[i].line == ignored.blocks[i].line);
        CHECK(stopped.blocks[i].offset == ignored.blocks[i].offset);
    }
}

TEST_CASE("regression: read_plain numbers COPY statements after an earlier data block by their script line", "[plain][regression]") {
    // PlainCopyBlock::line is "line number of the COPY statement"; the data
    // lines of earlier blocks are consumed by the payload and must count too.
    const PlainRecorder r = read_script(kScript, 4096);
    REQUIRE(r.blocks.size() == 3);
    CHECK(r.blocks[1].line == line_of(kScript, kScript.find("COPY public.empty0")));
    CHECK(r.blocks[2].line == line_of(kScript, kScript.find("COPY \"Weird\"")));
}

TEST_CASE("regression: read_plain finds a COPY statement right after a psql backslash command", "[plain][regression]") {
    // psql runs `\connect db` / `\restrict key` at the end of their line; they
    // are not part of the next statement. Missing the COPY here passes its
    // rows through as SQL text, unscrubbed.
    for (const std::string& meta : {std::string("\\connect db\n"), std::string("\\restrict abc123\n"),
                                    std::string("SET a = 1;\n\\connect db\n")}) {
        INFO(meta);
        const std::string script = meta + "COPY public.t (a) FROM stdin;\nsecret\n\\.\n";
        const PlainRecorder r = read_script(script, 4096);
        CHECK(r.blocks.size() == 1);
        CHECK(r.everything == script);
    }
}

TEST_CASE("read_plain: a data block without its end marker is an error", "[plain][errors]") {
    const std::size_t max_read = GENERATE(1, 7, 4096);
    const PlainRecorder::Mode mode = GENERATE(PlainRecorder::Mode::Stored, PlainRecorder::Mode::Ignore);
    const std::string start = "SET x = 1;\nCOPY public.t (a) FROM stdin;\n";
    for (const std::string& data : {std::string("1\n2\n"), std::string(), std::string("1\n\\"), std::string("1\n\\."),
                                    std::string("1\n\\\\.\n"), std::string("1\nno newline")}) {
        INFO("data \"" << data << "\", max_read " << max_read);
        const auto error = catch_archive_error([&] { read_script(start + data, max_read, mode); });
        CHECK_THAT(error.what(), Catch::Contains("no end marker"));
        CHECK_THAT(error.describe(), Catch::Contains("dump.sql") && Catch::Contains("public.t"));
        CHECK(error.location().offset == std::optional<std::uint64_t>(start.size()));
    }
}

TEST_CASE("read_plain: text without COPY blocks, and a last line without newline, pass through", "[plain]") {
    const std::size_t max_read = GENERATE(1, 7, 4096);
    for (const std::string& script : {std::string(), std::string("SELECT 1;"), std::string("--\n-- x\n--\n\nSET a = 1;\n-- end"),
                                     std::string("COPY public.t (a) FROM stdin;\n1\n\\.\n-- trailing, no newline")}) {
        INFO(script);
        const PlainRecorder r = read_script(script, max_read);
        CHECK(r.everything == script);
    }
}

TEST_CASE("read_plain: a COPY statement spread over several lines still starts a data block", "[plain]") {
    // psql executes the statement once its `;` arrives, then reads the data.
    const std::string script = "COPY public.multi (a,\n    b) FROM stdin;\n1\t2\n\\.\n\nSELECT 1;\n";
    const PlainRecorder r = read_script(script, 7);
    REQUIRE(r.blocks.size() == 1);
    CHECK(r.blocks[0].statement.columns == std::vector<std::string>{"a", "b"});
    CHECK(r.copies[0] == "1\t2\n\\.\n");
    CHECK(r.everything == script);
}

TEST_CASE("read_plain: rows and end markers that straddle the 256 KiB read window", "[plain]") {
    const std::size_t max_read = GENERATE(1, 4096, 65536);
    // read_plain looks at the data through a window of the input buffer's
    // size, starting where the data starts.
    const std::size_t window = 256 * 1024;
    const std::string head = "COPY public.big (a) FROM stdin;\n";
    // Rows of exactly `size` bytes in all.
    const auto filler = [](std::size_t size) {
        std::string rows;
        while (rows.size() + 16 + 2 <= size) rows += "abcdefghijklmno\n";
        rows += std::string(size - rows.size() - 1, 'z') + "\n";
        return rows;
    };
    REQUIRE(filler(window - 1).size() == window - 1);

    SECTION("a data row `\\\\.` whose backslash ends the window") {
        const std::string data = filler(window - 1) + "\\\\.\nrow after\n" + std::string(window + 100, 'L') + "\n\\.\n";
        const std::string script = head + data + "SELECT 1;\n";
        const PlainRecorder r = read_script(script, max_read);
        REQUIRE(r.copies.size() == 1);
        CHECK(r.copies[0].size() == data.size());
        CHECK(r.copies[0] == data);
        CHECK(r.everything == script);
    }
    SECTION("the end marker whose backslash ends the window") {
        const std::string data = filler(window - 1) + "\\.\n";
        const std::string script = head + data + "\nCOPY public.next (a) FROM stdin;\n1\n\\.\n";
        const PlainRecorder r = read_script(script, max_read);
        REQUIRE(r.copies.size() == 2);
        CHECK(r.copies[0] == data);
        CHECK(r.copies[1] == "1\n\\.\n");
        CHECK(r.everything == script);
    }
    SECTION("the end marker whose dot ends the window") {
        const std::string data = filler(window - 2) + "\\.\n";
        const std::string script = head + data + "SELECT 2;\n";
        const PlainRecorder r = read_script(script, max_read);
        REQUIRE(r.copies.size() == 1);
        CHECK(r.copies[0] == data);
        CHECK(r.everything == script);
    }
    SECTION("a row longer than the window") {
        const std::string data = std::string(window * 2 + 3, 'w') + "\n\\.\n";
        const std::string script = head + data;
        const PlainRecorder r = read_script(script, max_read);
        REQUIRE(r.copies.size() == 1);
        CHECK(r.copies[0] == data);
        CHECK(r.everything == script);
    }
}

TEST_CASE("looks_like_sql recognises dump scripts and refuses binary data", "[plain][format_detect]") {
    CHECK(looks_like_sql("--\n-- PostgreSQL database dump\n--\n"));
    CHECK(looks_like_sql("\n\n  SET statement_timeout = 0;"));
    CHECK(looks_like_sql("CREATE TABLE t (a int);"));
    CHECK(looks_like_sql("\\connect postgres\n"));
    CHECK(looks_like_sql("/* comment */"));
    CHECK_FALSE(looks_like_sql(""));
    CHECK_FALSE(looks_like_sql("   \n\t"));
    CHECK_FALSE(looks_like_sql("hello world"));
    CHECK_FALSE(looks_like_sql(std::string("-- text with a NUL\0", 19)));
    CHECK_FALSE(looks_like_sql("PGDMP\x01\x0e"));
}
