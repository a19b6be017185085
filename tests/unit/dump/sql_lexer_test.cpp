#include "dump/sql_lexer.hpp"

#include <catch2/catch.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

using namespace pgscrub::dump;

namespace {

// pg_dump 15.20 `pg_dump -s` output (preamble, functions whose bodies hold
// COPY text, `;` in comments and strings, a BEGIN ATOMIC body, a quoted name
// with `;`). psql 15 runs it as exactly the 26 statements in kPsqlStatements.
constexpr std::string_view kRealDumpSql = R"dump(--
-- PostgreSQL database dump
--

\restrict 1hxh2AxTJVPveifozXXzNqpI2uUcbMct7fK6psOfYMRwmClLG4a0W77LXkSfwJE

-- Dumped from database version 15.20 (Debian 15.20-0+deb12u1)
-- Dumped by pg_dump version 15.20 (Debian 15.20-0+deb12u1)

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

--
-- Name: CRM; Type: SCHEMA; Schema: -; Owner: postgres
--

CREATE SCHEMA "CRM";


ALTER SCHEMA "CRM" OWNER TO postgres;

--
-- Name: mood; Type: TYPE; Schema: public; Owner: postgres
--

CREATE TYPE public.mood AS ENUM (
    'sad',
    'ok',
    'happy'
);


ALTER TYPE public.mood OWNER TO postgres;

--
-- Name: pair; Type: TYPE; Schema: public; Owner: postgres
--

CREATE TYPE public.pair AS (
	a integer,
	b text
);


ALTER TYPE public.pair OWNER TO postgres;

--
-- Name: copy_text(); Type: FUNCTION; Schema: public; Owner: postgres
--

CREATE FUNCTION public.copy_text() RETURNS text
    LANGUAGE plpgsql
    AS $_$
BEGIN
  -- a comment; with a semicolon
  RETURN $q$COPY public.t (a) FROM stdin;
1	x;y
\.
$q$ || E'\';' || 'it''s;' || /* c /* nested; */ ; */ '';
END
$_$;


ALTER FUNCTION public.copy_text() OWNER TO postgres;

--
-- Name: FUNCTION copy_text(); Type: COMMENT; Schema: public; Owner: postgres
--

COMMENT ON FUNCTION public.copy_text() IS 'returns COPY text; not run';


--
-- Name: f(); Type: FUNCTION; Schema: public; Owner: postgres
--

CREATE FUNCTION public.f() RETURNS void
    LANGUAGE plpgsql
    AS $$ BEGIN EXECUTE 'COPY x FROM stdin;'; END $$;


ALTER FUNCTION public.f() OWNER TO postgres;

--
-- Name: f2(); Type: FUNCTION; Schema: public; Owner: postgres
--

CREATE FUNCTION public.f2() RETURNS integer
    LANGUAGE sql
    BEGIN ATOMIC
 SELECT 1;
 SELECT 2;
END;


ALTER FUNCTION public.f2() OWNER TO postgres;

--
-- Name: Sp;ace; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public."Sp;ace" (
    "a;b" integer
);


ALTER TABLE public."Sp;ace" OWNER TO postgres;

--
-- Name: TABLE "Sp;ace"; Type: COMMENT; Schema: public; Owner: postgres
--

COMMENT ON TABLE public."Sp;ace" IS 'has ; and '' and $$';


--
-- PostgreSQL database dump complete
--

)dump";

// How each statement psql sent begins (from `psql -e`).
const std::vector<std::string_view> kPsqlStatements = {
    "SET statement_timeout = 0",
    "SET lock_timeout = 0",
    "SET idle_in_transaction_session_timeout = 0",
    "SET client_encoding = 'UTF8'",
    "SET standard_conforming_strings = on",
    "SELECT pg_catalog.set_config('search_path', '', false)",
    "SET check_function_bodies = false",
    "SET xmloption = content",
    "SET client_min_messages = warning",
    "SET row_security = off",
    "CREATE SCHEMA \"CRM\"",
    "ALTER SCHEMA \"CRM\" OWNER TO postgres",
    "CREATE TYPE public.mood AS ENUM (",
    "ALTER TYPE public.mood OWNER TO postgres",
    "CREATE TYPE public.pair AS (",
    "ALTER TYPE public.pair OWNER TO postgres",
    "CREATE FUNCTION public.copy_text() RETURNS text",
    "ALTER FUNCTION public.copy_text() OWNER TO postgres",
    "COMMENT ON FUNCTION public.copy_text() IS 'returns COPY text; not run'",
    "CREATE FUNCTION public.f() RETURNS void",
    "ALTER FUNCTION public.f() OWNER TO postgres",
    "CREATE FUNCTION public.f2() RETURNS integer",
    "ALTER FUNCTION public.f2() OWNER TO postgres",
    "CREATE TABLE public.\"Sp;ace\" (",
    "ALTER TABLE public.\"Sp;ace\" OWNER TO postgres",
    "COMMENT ON TABLE public.\"Sp;ace\" IS 'has ; and '' and $$'",
};

// Drops the white space, -- comment lines and psql backslash-command lines
// that precede a statement.
std::string_view statement_head(std::string_view statement) {
    for (;;) {
        const std::size_t start = statement.find_first_not_of(" \t\r\n");
        if (start == std::string_view::npos) return {};
        statement.remove_prefix(start);
        if (statement.starts_with("--") || statement.starts_with("\\")) {
            const std::size_t newline = statement.find('\n');
            if (newline == std::string_view::npos) return {};
            statement.remove_prefix(newline + 1);
            continue;
        }
        return statement;
    }
}

std::vector<std::size_t> semicolons_whole(std::string_view text, bool standard_strings = true) {
    SqlLexState state(standard_strings);
    std::vector<std::size_t> found;
    state.feed(text, &found);
    return found;
}

// Feeds `text` in pieces of `piece_size` bytes; offsets made absolute.
std::vector<std::size_t> semicolons_in_pieces(std::string_view text, std::size_t piece_size) {
    SqlLexState state;
    std::vector<std::size_t> found;
    std::vector<std::size_t> in_piece;
    for (std::size_t start = 0; start < text.size(); start += piece_size) {
        in_piece.clear();
        state.feed(text.substr(start, piece_size), &in_piece);
        for (const std::size_t offset : in_piece) found.push_back(start + offset);
    }
    return found;
}

std::string repeated_until(std::string_view text, std::size_t minimum_size) {
    std::string big;
    while (big.size() < minimum_size) big += text;
    return big;
}

} // namespace

TEST_CASE("SqlLexState splits a real pg_dump script exactly where psql does", "[sql_lexer]") {
    const std::vector<std::string_view> statements = split_sql_statements(kRealDumpSql);
    REQUIRE(statements.size() == kPsqlStatements.size());
    for (std::size_t i = 0; i < statements.size(); ++i) {
        INFO("statement " << i);
        CHECK(statement_head(statements[i]).starts_with(kPsqlStatements[i]));
    }
    // The COPY inside the function body stays inside its statement.
    CHECK(statements[16].find("RETURN $q$COPY public.t (a) FROM stdin;") != std::string_view::npos);
    CHECK(statements[16].ends_with("$_$"));
    CHECK(statements[21].ends_with("END"));
}

TEST_CASE("SqlLexState gives the same semicolons whatever the piece size", "[sql_lexer]") {
    const std::string big = repeated_until(kRealDumpSql, 200'000);
    const std::vector<std::size_t> expected = semicolons_whole(big);
    REQUIRE(expected.size() == kPsqlStatements.size() * (big.size() / kRealDumpSql.size()));

    for (const std::size_t piece_size : {std::size_t{1}, std::size_t{7}, std::size_t{4096}, std::size_t{65536}}) {
        INFO("piece size " << piece_size);
        CHECK(semicolons_in_pieces(big, piece_size) == expected);
    }
}

TEST_CASE("SqlLexState gives the same semicolons split at every byte position", "[sql_lexer]") {
    const std::string_view tricky =
        "SELECT 'a;b', E'\\';', \"x;y\" FROM (SELECT 1 AS \"x;y\") s;\n"
        "SELECT $$ ; $$ AS a, $tag$ $$ ; $tag$ AS b, $a$b$ ; $a$ AS c;\n"
        "/* outer /* inner ; */ still ; */ SELECT 2;\n"
        "SELECT 3 -- comment ;\n;\n"
        "SELECT E'\\\\'  , 'x''y;';\n"
        "CREATE FUNCTION pg_temp.f3() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT CASE WHEN true THEN 2 END; END;\n"
        "SELECT (1\n;2);\n"
        "SELECT e'it''s \\' ; ';\n"
        "SELECT U&'d\\0061t;' , B'101', X'1F';\n"
        "SELECT a$b FROM (SELECT 1 AS a$b) t;\n"
        "SELECT 1 \\; SELECT 2;\n";
    const std::string text = std::string(tricky) + std::string(kRealDumpSql);
    const std::vector<std::size_t> expected = semicolons_whole(text);
    // psql 15 runs the tricky part as 11 statements (checked with `psql -e`).
    REQUIRE(expected.size() == 11 + kPsqlStatements.size());

    for (std::size_t split = 0; split <= text.size(); ++split) {
        SqlLexState state;
        std::vector<std::size_t> found;
        std::vector<std::size_t> second;
        state.feed(std::string_view(text).substr(0, split), &found);
        state.feed(std::string_view(text).substr(split), &second);
        for (const std::size_t offset : second) found.push_back(split + offset);
        if (found != expected) FAIL("different semicolons when split at byte " << split);
    }
}

TEST_CASE("SqlLexState: a dollar quote hides COPY statements and semicolons", "[sql_lexer]") {
    const std::string_view text =
        "CREATE FUNCTION public.f() RETURNS text LANGUAGE sql AS $body$\n"
        "SELECT 'x';\n"
        "COPY x FROM stdin;\n"
        "1\t2\n"
        "\\.\n"
        "$notbody$ ; $body$;\n"
        "COPY public.t (a) FROM stdin;\n";
    const std::vector<std::size_t> found = semicolons_whole(text);
    REQUIRE(found.size() == 2);
    CHECK(text.substr(found[0] - 6, 7) == "$body$;");
    CHECK(text.substr(0, found[1] + 1).ends_with("COPY public.t (a) FROM stdin;"));

    SqlLexState state;
    state.feed(text.substr(0, text.find("COPY x")));
    CHECK_FALSE(state.at_top_level()); // inside $body$
    state.feed(text.substr(text.find("COPY x"), text.find("COPY public") - text.find("COPY x")));
    CHECK(state.at_top_level());
    CHECK_FALSE(state.statement_has_content());
}

TEST_CASE("SqlLexState: $1 is a parameter, not a dollar quote", "[sql_lexer]") {
    CHECK(semicolons_whole("PREPARE p AS SELECT $1; SELECT 2;").size() == 2);
    CHECK(semicolons_whole("SELECT $1$2; SELECT 3;").size() == 2);
    CHECK(semicolons_whole("SELECT a$b$c; SELECT 1;").size() == 2); // '$' inside an identifier
}

TEST_CASE("SqlLexState: nested block comments", "[sql_lexer]") {
    const std::string_view text = "/* a /* b ; */ c ; */ SELECT 1; /*/ ; */ SELECT 2;";
    const std::vector<std::size_t> found = semicolons_whole(text);
    REQUIRE(found.size() == 2);
    CHECK(found[0] == text.find("1;") + 1);
    CHECK(found[1] == text.size() - 1);

    SqlLexState state;
    state.feed("/* a /* b */");
    CHECK_FALSE(state.at_top_level());
    state.feed(" */");
    CHECK(state.at_top_level());
    CHECK_FALSE(state.statement_has_content());
}

TEST_CASE("SqlLexState: E'' strings with escaped quotes, in any pieces", "[sql_lexer]") {
    const std::string_view text = "SELECT E'\\'', E'a''b\\';c', e'\\\\'; SELECT 'x\\'; SELECT 2;";
    // E'\'' , E'a''b\';c' , e'\\' ; then 'x\' is a plain string ending at its quote.
    const std::vector<std::size_t> found = semicolons_whole(text);
    REQUIRE(found.size() == 3);
    CHECK(found[0] == text.find("; SELECT 'x"));
    for (const std::size_t piece : {std::size_t{1}, std::size_t{2}, std::size_t{3}})
        CHECK(semicolons_in_pieces(text, piece) == found);

    SqlLexState state;
    state.feed("SELECT E'\\");
    CHECK_FALSE(state.at_top_level());
    state.feed("'");
    CHECK_FALSE(state.at_top_level()); // the quote was escaped
    state.feed("'");
    CHECK(state.at_top_level());
}

TEST_CASE("SqlLexState: standard_conforming_strings off makes backslash escape in '…'", "[sql_lexer]") {
    const std::string_view text = "SELECT 'a\\';b'; SELECT 2;";
    // On: 'a\' is a string, the first ';' ends the statement and "b'" opens
    // a string that never closes. Off: 'a\';b' is one string.
    CHECK(semicolons_whole(text, true).size() == 1);
    CHECK(semicolons_whole(text, false).size() == 2);
}

TEST_CASE("SqlLexState: quoted identifiers, line comments, parentheses", "[sql_lexer]") {
    CHECK(semicolons_whole("SELECT 1 AS \"a\"\";b\"; SELECT 2;").size() == 2);
    CHECK(semicolons_whole("SELECT 1 -- x ; y\n; SELECT 2 --;").size() == 1);
    CHECK(semicolons_whole("SELECT (1; 2)); SELECT 3;").size() == 2); // depth never below 0

    SqlLexState state;
    state.feed("SELECT (1,");
    CHECK(state.paren_depth() == 1);
    CHECK_FALSE(state.at_top_level());
    state.feed(" 2)");
    CHECK(state.at_top_level());
    CHECK(state.statement_has_content());
    state.reset();
    CHECK_FALSE(state.statement_has_content());
}

TEST_CASE("SqlLexState: psql backslash commands run to the end of their line", "[sql_lexer]") {
    const std::string_view text =
        "\\connect -reuse-previous=on \"dbname='a;b'\"\n"
        "\\restrict abc;def\n"
        "SELECT 1;\n";
    const std::vector<std::size_t> found = semicolons_whole(text);
    REQUIRE(found.size() == 1);
    CHECK(found[0] == text.size() - 2);
}

TEST_CASE("SqlLexState: CREATE PROCEDURE … BEGIN ATOMIC bodies hold their semicolons", "[sql_lexer]") {
    const std::string_view text =
        "CREATE OR REPLACE PROCEDURE public.p()\n LANGUAGE sql\n BEGIN ATOMIC\n INSERT INTO t VALUES (1);\n"
        " SELECT CASE WHEN true THEN 1 ELSE 2 END;\nEND;\n"
        "BEGIN; SELECT 1; END;\n"; // a transaction block is not a routine body
    const std::vector<std::size_t> found = semicolons_whole(text);
    REQUIRE(found.size() == 4);
    CHECK(text.substr(found[0] - 3, 4) == "END;");
}

TEST_CASE("tokenize_sql: kinds, values and positions", "[sql_lexer]") {
    const std::string_view sql =
        "ALTER TABLE ONLY public.\"Weird Name\" ALTER COLUMN \"ID\" SET DEFAULT "
        "nextval('public.\"Weird Name_ID_seq\"'::regclass); -- done";
    const std::vector<SqlToken> tokens = tokenize_sql(sql);
    REQUIRE(tokens.size() == 18); // the comment is dropped
    CHECK(tokens[0].is_keyword("alter"));
    CHECK(tokens[3].kind == SqlTokenKind::Identifier);
    CHECK(tokens[3].value == "public");
    CHECK(tokens[4].is_punctuation('.'));
    CHECK(tokens[5].kind == SqlTokenKind::QuotedIdentifier);
    CHECK(tokens[5].value == "Weird Name");
    CHECK(sql.substr(tokens[5].offset, tokens[5].length) == "\"Weird Name\"");
    CHECK(tokens[8].value == "ID");
    CHECK(tokens[13].kind == SqlTokenKind::String);
    CHECK(tokens[13].value == "public.\"Weird Name_ID_seq\"");
    CHECK(tokens[14].kind == SqlTokenKind::Operator);
    CHECK(tokens[14].value == "::");
    CHECK(tokens[15].value == "regclass");
    CHECK(tokens[17].is_punctuation(';'));
}

TEST_CASE("tokenize_sql: literals, numbers, parameters, operators", "[sql_lexer]") {
    const std::string_view sql = "x >= -1.5e-3 AND $body$ it's $x$ $body$ <> E'a\\tb\\'c' /* c /* d */ */ $2 || B'01' ::int[]";
    const std::vector<SqlToken> tokens = tokenize_sql(sql);
    REQUIRE(tokens.size() == 15);
    CHECK(tokens[1].value == ">=");
    CHECK(tokens[2].value == "-");
    CHECK(tokens[3].kind == SqlTokenKind::Number);
    CHECK(tokens[3].value == "1.5e-3");
    CHECK(tokens[5].kind == SqlTokenKind::String);
    CHECK(tokens[5].value == " it's $x$ ");
    CHECK(tokens[6].value == "<>");
    CHECK(tokens[7].kind == SqlTokenKind::String);
    CHECK(tokens[7].value == "a\tb'c");
    CHECK(tokens[8].kind == SqlTokenKind::Parameter);
    CHECK(tokens[9].value == "||");
    CHECK(tokens[10].kind == SqlTokenKind::String);
    CHECK(tokens[10].value == "01");
    CHECK(tokens[11].value == "::");
    CHECK(tokens[13].is_punctuation('['));
    CHECK(tokens[14].is_punctuation(']'));
}

TEST_CASE("tokenize_sql never fails on unterminated text", "[sql_lexer]") {
    for (const std::string_view broken : {"SELECT 'abc", "SELECT \"abc", "SELECT $$abc", "/* open", "E'\\", "$", "\\x"}) {
        const std::vector<SqlToken> tokens = tokenize_sql(broken);
        for (const SqlToken& t : tokens) CHECK(t.end() <= broken.size());
    }
}

TEST_CASE("quote_identifier follows pg_dump's fmtId", "[sql_lexer]") {
    CHECK(quote_identifier("users") == "users");
    CHECK(quote_identifier("user_id") == "user_id");
    CHECK(quote_identifier("_x1") == "_x1");
    CHECK(quote_identifier("at") == "at"); // unreserved keyword: pg_dump leaves it bare
    CHECK(quote_identifier("Weird Name") == "\"Weird Name\"");
    CHECK(quote_identifier("ID") == "\"ID\"");
    CHECK(quote_identifier("1abc") == "\"1abc\"");
    CHECK(quote_identifier("x\"y") == "\"x\"\"y\"");
    CHECK(quote_identifier("") == "\"\"");
    for (const char* keyword : {"user", "order", "group", "table", "select", "from", "where", "integer", "position"})
        CHECK(quote_identifier(keyword) == "\"" + std::string(keyword) + "\"");
    CHECK(quote_identifier("caf\xc3\xa9") == "\"caf\xc3\xa9\"");
}

TEST_CASE("split_qualified_name", "[sql_lexer]") {
    using Parts = std::vector<std::string>;
    CHECK(split_qualified_name("public.\"Weird \"\"Name\"\"\"") == Parts{"public", "Weird \"Name\""});
    CHECK(split_qualified_name("\"CRM\".\"Newsletter Signup\"") == Parts{"CRM", "Newsletter Signup"});
    CHECK(split_qualified_name("Public.Users") == Parts{"public", "users"});
    CHECK(split_qualified_name("t") == Parts{"t"});
    CHECK(split_qualified_name("a.\"b.c\"") == Parts{"a", "b.c"});
    CHECK(split_qualified_name("").empty());
    CHECK(split_qualified_name("a.").empty());
    CHECK(split_qualified_name("a b").empty());
    CHECK(split_qualified_name("a..b").empty());
}

TEST_CASE("parse_copy_statement", "[sql_lexer]") {
    SECTION("quoted names and a column list") {
        const auto copy = parse_copy_statement("COPY public.\"Weird Name\" (\"Col A\", b, \"x\"\"y\") FROM stdin;");
        REQUIRE(copy);
        CHECK(copy->schema == "public");
        CHECK(copy->table == "Weird Name");
        CHECK(copy->columns == std::vector<std::string>{"Col A", "b", "x\"y"});
    }
    SECTION("as stored in a TOC copyStmt, with its newline") {
        const auto copy = parse_copy_statement(
            "COPY \"CRM\".\"Newsletter Signup\" (\"ID\", \"Email Address\", consent) FROM stdin;\n");
        REQUIRE(copy);
        CHECK(copy->schema == "CRM");
        CHECK(copy->table == "Newsletter Signup");
        CHECK(copy->columns == std::vector<std::string>{"ID", "Email Address", "consent"});
    }
    SECTION("zero columns: two spaces and no list") {
        const auto copy = parse_copy_statement("COPY public.empty0  FROM stdin;\n");
        REQUIRE(copy);
        CHECK(copy->table == "empty0");
        CHECK(copy->columns.empty());
    }
    SECTION("an unqualified table, as very old dumps wrote") {
        const auto copy = parse_copy_statement("copy users (id) from stdin;");
        REQUIRE(copy);
        CHECK(copy->schema.empty());
        CHECK(copy->table == "users");
    }
    SECTION("anything else is not a COPY … FROM stdin statement") {
        CHECK_FALSE(parse_copy_statement("COPY public.t (a) TO stdout;"));
        CHECK_FALSE(parse_copy_statement("COPY public.t (a) FROM '/tmp/x';"));
        CHECK_FALSE(parse_copy_statement("COPY public.t (a FROM stdin;"));
        CHECK_FALSE(parse_copy_statement("COPY public.t (a) FROM stdin WITH (FORMAT csv);"));
        CHECK_FALSE(parse_copy_statement("SELECT 1;"));
        CHECK_FALSE(parse_copy_statement(""));
        CHECK_FALSE(parse_copy_statement("COPY (SELECT 1) TO stdout;"));
    }
}

TEST_CASE("SqlLexState: random text gives the same semicolons in random pieces", "[sql_lexer]") {
    // Text made of the bytes that change lexical state, so every pending
    // construct (--, /*, */, $tag$, E'\', '', "", \;) lands on piece edges.
    constexpr std::string_view alphabet = "';\"$-/*\\()Ee1a_ \n$$;'";
    std::uint32_t seed = 2024;
    auto next = [&seed] { return seed = seed * 1664525u + 1013904223u; };
    for (int round = 0; round < 2000; ++round) {
        std::string text(next() % 200, ' ');
        for (char& c : text) c = alphabet[(next() >> 8) % alphabet.size()];
        const std::vector<std::size_t> expected = semicolons_whole(text);

        SqlLexState state;
        std::vector<std::size_t> found;
        std::vector<std::size_t> in_piece;
        for (std::size_t start = 0; start < text.size();) {
            const std::size_t size = 1 + (next() >> 8) % 9;
            in_piece.clear();
            state.feed(std::string_view(text).substr(start, size), &in_piece);
            for (const std::size_t offset : in_piece) found.push_back(start + offset);
            start += size;
        }
        if (found != expected) FAIL("pieces disagree on: " << text);
    }
}
