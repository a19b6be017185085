#include "dump/copy_text.hpp"

#include <catch2/catch.hpp>

#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

using namespace pgscrub::dump::copy_text;
using namespace std::string_literals;

namespace {

struct SplitOutcome {
    std::vector<std::string> rows;
    std::vector<std::uint64_t> row_offsets;
    std::string trailer;
    StreamEnd end;
};

// Feeds `stream` cut at `cuts` (ascending offsets). Each piece is a fresh
// copy that dies after its rows are read, so a row that still points into an
// earlier piece shows up as garbage (or an ASan report).
SplitOutcome split_at_cuts(std::string_view stream, const std::vector<std::size_t>& cuts) {
    SplitOutcome outcome;
    RowSplitter splitter;
    std::size_t start = 0;
    for (std::size_t i = 0; i <= cuts.size(); ++i) {
        const std::size_t stop = i < cuts.size() ? cuts[i] : stream.size();
        const std::string piece(stream.substr(start, stop - start));
        start = stop;
        splitter.feed(piece);
        std::string_view row;
        while (splitter.next_row(row)) {
            outcome.rows.emplace_back(row);
            outcome.row_offsets.push_back(splitter.row_offset());
            CHECK(splitter.row_number() == outcome.rows.size());
        }
    }
    outcome.end = splitter.finish();
    outcome.trailer = std::string(splitter.trailer());
    return outcome;
}

SplitOutcome split_in_pieces(std::string_view stream, std::size_t piece_size) {
    std::vector<std::size_t> cuts;
    for (std::size_t at = piece_size; at < stream.size(); at += piece_size) cuts.push_back(at);
    return split_at_cuts(stream, cuts);
}

std::string join_rows(const std::vector<std::string>& rows, std::string_view trailer) {
    std::string stream;
    for (const auto& row : rows) stream += row + "\n";
    stream += trailer;
    return stream;
}

std::vector<std::uint64_t> row_offsets_of(const std::vector<std::string>& rows) {
    std::vector<std::uint64_t> offsets;
    std::uint64_t offset = 0;
    for (const auto& row : rows) {
        offsets.push_back(offset);
        offset += row.size() + 1;
    }
    return offsets;
}

std::string long_row() {
    std::string row;
    for (int i = 0; row.size() < 150000; ++i) {
        row += "chunk" + std::to_string(i);
        row += (i % 7 == 0) ? "\\\\" : (i % 11 == 0) ? "\t" : (i % 13 == 0) ? "\\\n" : "";
    }
    return row;
}

// Rows as COPY TO (and a few COPY FROM-only spellings) would put them in a stream.
std::vector<std::string> sample_rows() {
    return {
        "1\tAlice\t\\N",
        "",                                   // zero-column row, or one empty text
        "2\tline\\nbreak\ttab\\there",
        "\\\\.",                              // the text `\.`, not the end marker
        "\\\\.\tx",
        "\\N",
        "emoji \xF0\x9F\x98\x80 and \xC3\xA9",
        "escaped real newline a\\\nb",         // `\` + LF is data
        "ends in an escaped backslash \\\\",   // even run: the LF ends the row
        "odd run \\\\\\\nstill the same row",  // odd run: the LF is data
        "mid-row x\\\\.y and .\\\\",
        long_row(),
        "\\x41\t\\101\t\\\\x00ff",
        "last",
    };
}

} // namespace

// ---------------------------------------------------------------------------
// RowSplitter

TEST_CASE("RowSplitter gives the same rows and trailer for any piece size", "[copy_text][splitter]") {
    const auto rows = sample_rows();
    const std::string stream = join_rows(rows, kPgDumpTrailer);
    const std::size_t piece_size = GENERATE(1, 2, 3, 7, 4096, 65536, 1 << 20);
    CAPTURE(piece_size);

    const SplitOutcome outcome = split_in_pieces(stream, piece_size);
    REQUIRE(outcome.end);
    CHECK(outcome.rows == rows);
    CHECK(outcome.row_offsets == row_offsets_of(rows));
    CHECK(outcome.trailer == kPgDumpTrailer);
}

TEST_CASE("RowSplitter survives random cut points", "[copy_text][splitter]") {
    const auto rows = sample_rows();
    const std::string stream = join_rows(rows, "\\.\n\n\n");
    std::mt19937 random(20240601);
    for (int round = 0; round < 200; ++round) {
        std::uniform_int_distribution<std::size_t> cut_count(0, 40);
        std::uniform_int_distribution<std::size_t> position(0, stream.size());
        std::vector<std::size_t> cuts(cut_count(random));
        for (auto& cut : cuts) cut = position(random);
        std::sort(cuts.begin(), cuts.end()); // equal cuts give empty pieces, which must be harmless
        const SplitOutcome outcome = split_at_cuts(stream, cuts);
        REQUIRE(outcome.end);
        REQUIRE(outcome.rows == rows);
        REQUIRE(outcome.trailer == kPgDumpTrailer);
    }
}

TEST_CASE("RowSplitter handles escapes and the end marker split between pieces", "[copy_text][splitter]") {
    SECTION("`\\` and `.` of the end marker in different pieces") {
        const auto outcome = split_at_cuts("a\n\\.\n\n\n", {2, 3});
        REQUIRE(outcome.end);
        CHECK(outcome.rows == std::vector<std::string>{"a"});
        CHECK(outcome.trailer == "\\.\n\n\n");
    }
    SECTION("`\\\\.` split after its first backslash is data") {
        const auto outcome = split_at_cuts("\\\\.\n\\.\n\n\n", {1});
        REQUIRE(outcome.end);
        CHECK(outcome.rows == std::vector<std::string>{"\\\\."});
    }
    SECTION("`\\N` split after the backslash") {
        const auto outcome = split_at_cuts("\\N\n\\.\n\n\n", {1});
        REQUIRE(outcome.end);
        CHECK(outcome.rows == std::vector<std::string>{"\\N"});
    }
    SECTION("backslash at a piece end escapes the LF at the next piece start") {
        const auto outcome = split_at_cuts("a\\\nb\n\\.\n\n\n", {2, 4});
        REQUIRE(outcome.end);
        CHECK(outcome.rows == std::vector<std::string>{"a\\\nb"});
    }
    SECTION("an even backslash run spread over pieces does not escape the LF") {
        const auto outcome = split_at_cuts("x\\\\\ny\n\\.\n\n\n", {2, 3});
        REQUIRE(outcome.end);
        CHECK(outcome.rows == std::vector<std::string>{"x\\\\", "y"});
    }
    SECTION("an odd backslash run spread over pieces escapes the LF") {
        const auto outcome = split_at_cuts("x\\\\\\\ny\n\\.\n\n\n", {2, 3, 4});
        REQUIRE(outcome.end);
        CHECK(outcome.rows == std::vector<std::string>{"x\\\\\\\ny"});
    }
    SECTION("a UTF-8 character split inside") {
        const std::string stream = "\xF0\x9F\x98\x80\n\\.\n\n\n";
        for (std::size_t cut = 1; cut < 4; ++cut) {
            const auto outcome = split_at_cuts(stream, {cut});
            REQUIRE(outcome.end);
            CHECK(outcome.rows == std::vector<std::string>{"\xF0\x9F\x98\x80"});
        }
    }
}

TEST_CASE("RowSplitter keeps the trailer verbatim", "[copy_text][splitter]") {
    const std::size_t piece_size = GENERATE(1, 3, 4096);
    SECTION("empty table") {
        const auto outcome = split_in_pieces(kPgDumpTrailer, piece_size);
        REQUIRE(outcome.end);
        CHECK(outcome.rows.empty());
        CHECK(outcome.trailer == kPgDumpTrailer);
    }
    SECTION("bytes after the marker line, including row-like ones") {
        const auto outcome = split_in_pieces("a\n\\.\n\n\nnot\ta row\n\\.\n", piece_size);
        REQUIRE(outcome.end);
        CHECK(outcome.rows == std::vector<std::string>{"a"});
        CHECK(outcome.trailer == "\\.\n\n\nnot\ta row\n\\.\n");
    }
    SECTION("zero-column table rows are empty lines") {
        const auto outcome = split_in_pieces("\n\n\n\\.\n\n\n", piece_size);
        REQUIRE(outcome.end);
        CHECK(outcome.rows == std::vector<std::string>{"", "", ""});
    }
}

TEST_CASE("RowSplitter reports a missing end marker and a truncated last row", "[copy_text][splitter]") {
    const std::size_t piece_size = GENERATE(1, 7, 65536);
    CAPTURE(piece_size);

    SECTION("rows but no marker") {
        const auto outcome = split_in_pieces("a\nb\n", piece_size);
        CHECK(outcome.rows == std::vector<std::string>{"a", "b"});
        REQUIRE_FALSE(outcome.end);
        CHECK(outcome.end.error == StreamError::missing_end_marker);
        CHECK(outcome.end.row_number == 3);
        CHECK(outcome.end.offset == 4);
        CHECK(outcome.end.message() == "row 3 (byte offset 4): missing end-of-data marker \\.");
    }
    SECTION("empty stream") {
        const auto outcome = split_in_pieces("", piece_size);
        CHECK(outcome.end.error == StreamError::missing_end_marker);
        CHECK(outcome.end.row_number == 1);
        CHECK(outcome.end.offset == 0);
    }
    SECTION("last row without LF") {
        const auto outcome = split_in_pieces("a\nbcd", piece_size);
        CHECK(outcome.rows == std::vector<std::string>{"a"});
        CHECK(outcome.end.error == StreamError::unterminated_last_row);
        CHECK(outcome.end.row_number == 2);
        CHECK(outcome.end.offset == 2);
        CHECK_THAT(outcome.end.message(), Catch::Contains("row 2 (byte offset 2)") &&
                                              Catch::Contains("not terminated"));
    }
    SECTION("last row is a lone backslash") {
        const auto outcome = split_in_pieces("a\n\\", piece_size);
        CHECK(outcome.end.error == StreamError::unterminated_last_row);
        CHECK(outcome.end.row_number == 2);
    }
    SECTION("last LF is escaped") {
        const auto outcome = split_in_pieces("a\nb\\\n", piece_size);
        CHECK(outcome.rows == std::vector<std::string>{"a"});
        CHECK(outcome.end.error == StreamError::unterminated_last_row);
        CHECK(outcome.end.offset == 2);
    }
}

TEST_CASE("RowSplitter callback form and counters", "[copy_text][splitter]") {
    RowSplitter splitter;
    std::vector<std::string> rows;
    std::vector<std::uint64_t> offsets;
    auto collect = [&](std::string_view row) {
        rows.emplace_back(row);
        offsets.push_back(splitter.row_offset());
    };
    splitter.feed("one\ttwo\nthr", collect);
    splitter.feed("ee\n\\", collect);
    CHECK_FALSE(splitter.end_marker_seen());
    splitter.feed(".\n\n\n", collect);
    CHECK(splitter.end_marker_seen());
    REQUIRE(splitter.finish());
    CHECK(rows == std::vector<std::string>{"one\ttwo", "three"});
    CHECK(offsets == std::vector<std::uint64_t>{0, 8});
    CHECK(splitter.rows_returned() == 2);
    CHECK(splitter.bytes_fed() == 19);
    CHECK(splitter.trailer() == kPgDumpTrailer);
}

// ---------------------------------------------------------------------------
// Fields

TEST_CASE("split_fields splits at unescaped tabs only", "[copy_text][fields]") {
    std::vector<std::string_view> fields{"stale"};
    using Fields = std::vector<std::string_view>;

    split_fields("a\tb\tc", fields);
    CHECK(fields == Fields{"a", "b", "c"});
    split_fields("", fields);
    CHECK(fields == Fields{""});
    split_fields("\t", fields);
    CHECK(fields == Fields{"", ""});
    split_fields("a\\\tb\tc", fields); // `\`+TAB is data
    CHECK(fields == Fields{"a\\\tb", "c"});
    split_fields("a\\\\\tb", fields); // `\\` then a real TAB
    CHECK(fields == Fields{"a\\\\", "b"});
    split_fields("a\\\\\\\tb", fields); // `\\` then `\`+TAB
    CHECK(fields == Fields{"a\\\\\\\tb"});
    split_fields("\\N\t\\N\t", fields);
    CHECK(fields == Fields{"\\N", "\\N", ""});
    split_fields("x\\", fields); // lone trailing backslash stays in the field
    CHECK(fields == Fields{"x\\"});
    split_fields("\\t\\\\\t\\x41", fields);
    CHECK(fields == Fields{"\\t\\\\", "\\x41"});
}

TEST_CASE("is_null matches exactly \\N", "[copy_text][fields]") {
    CHECK(is_null("\\N"));
    CHECK_FALSE(is_null("\\\\N"));
    CHECK_FALSE(is_null("N"));
    CHECK_FALSE(is_null("\\N "));
    CHECK_FALSE(is_null(""));
}

namespace {
std::optional<std::string> decoded(std::string_view raw) {
    std::string out;
    if (!decode_field(raw, out)) return std::nullopt;
    return out;
}
} // namespace

TEST_CASE("decode_field handles every escape", "[copy_text][decode]") {
    CHECK(decoded("\\b") == "\b");
    CHECK(decoded("\\f") == "\f");
    CHECK(decoded("\\n") == "\n");
    CHECK(decoded("\\r") == "\r");
    CHECK(decoded("\\t") == "\t");
    CHECK(decoded("\\v") == "\v");
    CHECK(decoded("\\\\") == "\\");
    CHECK(decoded("\\\n") == "\n"); // deprecated `\` + real LF
    CHECK(decoded("\\\r") == "\r");
    CHECK(decoded("\\.") == ".");
    CHECK(decoded("\\N") == "N"); // only the whole field `\N` is NULL
    CHECK(decoded("\\a\\q\\\"") == "aq\"");
    CHECK(decoded("\\8\\9") == "89");
    CHECK(decoded("a\\tb\\\\c") == "a\tb\\c");

    SECTION("hex: one or two digits, else a literal x") {
        CHECK(decoded("\\x4") == "\x04"s);
        CHECK(decoded("\\x41") == "A");
        CHECK(decoded("\\x414") == "A4");
        CHECK(decoded("\\x4g") == "\x04g"s);
        CHECK(decoded("\\xg") == "xg");
        CHECK(decoded("\\x") == "x");
        CHECK(decoded("\\xAf") == "\xAF"s);
        CHECK(decoded("\\xfF\\xFf") == "\xFF\xFF"s);
        CHECK(decoded("\\X41") == "X41");
    }
    SECTION("octal: one to three digits, value & 0377") {
        CHECK(decoded("\\101") == "A");
        CHECK(decoded("\\1234") == "S4");
        CHECK(decoded("\\18") == "\x01"
                                 "8"s);
        CHECK(decoded("\\777") == "\xFF"s);
        CHECK(decoded("\\477") == "\x3F"s);
        for (unsigned value = 1; value <= 255; ++value) {
            CAPTURE(value);
            const std::string three_digits = {'\\', char('0' + (value >> 6)), char('0' + ((value >> 3) & 7)),
                                              char('0' + (value & 7))};
            const std::string expected(1, static_cast<char>(value));
            CHECK(decoded(three_digits) == expected);
            // Shortest spelling, followed by a non-octal byte that must survive.
            std::string shortest = "\\";
            if (value >= 64) shortest += char('0' + (value >> 6));
            if (value >= 8) shortest += char('0' + ((value >> 3) & 7));
            shortest += char('0' + (value & 7));
            CHECK(decoded(shortest + "9") == expected + "9");
        }
    }
    SECTION("NUL from octal or hex is rejected, as COPY FROM does") {
        for (std::string_view raw : {"\\0", "\\00", "\\000", "\\400", "\\x0", "\\x00"}) {
            CAPTURE(raw);
            std::string out;
            const DecodeResult result = decode_field(raw, out);
            CHECK(result.error == DecodeError::nul_byte);
            CHECK(result.offset == 0);
        }
        std::string out;
        const DecodeResult result = decode_field("ab\\0", out);
        CHECK(result.error == DecodeError::nul_byte);
        CHECK(result.offset == 2);
        CHECK(out == "ab");
        CHECK_THAT(result.message(), Catch::Contains("NUL"));
    }
    SECTION("a lone trailing backslash is an error") {
        std::string out;
        const DecodeResult result = decode_field("abc\\", out);
        CHECK_FALSE(result);
        CHECK(result.error == DecodeError::trailing_backslash);
        CHECK(result.offset == 3);
        CHECK(out == "abc");
        CHECK(result.message() == "lone backslash at the end of a field (byte 3)");
    }
}

TEST_CASE("decode_field appends and has a no-escape fast path", "[copy_text][decode]") {
    std::string out = "prefix:";
    CHECK_FALSE(has_escapes("plain text \xC3\xA9"));
    CHECK_FALSE(has_escapes(""));
    CHECK(has_escapes("a\\tb"));
    REQUIRE(decode_field("plain", out));
    CHECK(out == "prefix:plain");
    REQUIRE(decode_field("\\t", out));
    CHECK(out == "prefix:plain\t");
    REQUIRE(decode_field("", out));
    CHECK(out == "prefix:plain\t");
}

// ---------------------------------------------------------------------------
// Encoding of values

TEST_CASE("encode_field escapes exactly what COPY TO escapes", "[copy_text][encode]") {
    auto encoded = [](std::string_view value) {
        std::string out;
        encode_field(value, out);
        return out;
    };
    // COPY TO of the text a<TAB>b\c
    CHECK(encoded("a\tb\\c") == "a\\tb\\\\c");
    CHECK(encoded("\\") == "\\\\");
    CHECK(encoded("\b\f\n\r\t\v") == "\\b\\f\\n\\r\\t\\v");
    CHECK(encoded("\\N") == "\\\\N");
    CHECK_FALSE(is_null(encoded("\\N")));
    CHECK(encoded("") == "");
    CHECK(encoded("N") == "N");

    // Other controls, DEL and non-ASCII go raw.
    const std::string raw_bytes = "\x01\x02\x07\x0E\x1B\x1F\x7F\x80\xC3\xA9\xFF";
    CHECK(encoded(raw_bytes) == raw_bytes);
    CHECK_FALSE(needs_escaping(raw_bytes));
    CHECK(needs_escaping("a\tb"));
    CHECK_FALSE(needs_escaping("plain"));

    std::string out = "x";
    encode_null(out);
    CHECK(out == "x\\N");
    encode_field("y\n", out);
    CHECK(out == "x\\Ny\\n");
}

TEST_CASE("encode then decode round-trips every byte value and random strings", "[copy_text][encode]") {
    std::vector<std::string_view> fields;
    auto check_round_trip = [&](const std::string& value) {
        std::string encoded;
        encode_field(value, encoded);
        CHECK(encoded.find('\n') == std::string::npos);
        CHECK(encoded.find('\t') == std::string::npos);
        CHECK_FALSE(is_null(encoded));
        split_fields(encoded, fields);
        CHECK(fields.size() == 1);
        CHECK(has_escapes(encoded) == needs_escaping(value));
        std::string decoded_value;
        REQUIRE(decode_field(encoded, decoded_value));
        CHECK(decoded_value == value);
    };

    for (int byte = 1; byte <= 255; ++byte) {
        CAPTURE(byte);
        check_round_trip(std::string(1, static_cast<char>(byte)));
        check_round_trip("a" + std::string(2, static_cast<char>(byte)) + "z");
    }

    std::mt19937 random(7);
    std::uniform_int_distribution<int> any_byte(1, 255);
    std::uniform_int_distribution<int> special(0, 9);
    std::uniform_int_distribution<std::size_t> length(0, 200);
    const char specials[] = {'\\', '\t', '\n', '\r', '\b', '\f', '\v', 'N', '.', 'x'};
    for (int round = 0; round < 2000; ++round) {
        std::string value(length(random), ' ');
        for (char& c : value) {
            c = special(random) < 3 ? specials[special(random)] : static_cast<char>(any_byte(random));
        }
        check_round_trip(value);
    }
}

// ---------------------------------------------------------------------------
// Rows back out

TEST_CASE("CopyRowWriter joins fields and copies raw ones byte for byte", "[copy_text][writer]") {
    std::string out;
    CopyRowWriter writer(out);
    writer.raw_field("1");
    writer.value_field("a\tb");
    writer.null_field();
    writer.raw_field("\\x41 stays \\101");
    writer.end_row();
    writer.end_row(); // zero-column row
    writer.value_field("");
    writer.end_row();
    CHECK(out == "1\ta\\tb\t\\N\t\\x41 stays \\101\n\n\n");

    // Re-emitting the raw fields of a row reproduces it exactly, whatever
    // COPY FROM-only spellings it uses.
    const std::string row = "\\x41\t\\101\t\\\\\t\\N\t\\\n\tplain\t\\q";
    std::vector<std::string_view> fields;
    split_fields(row, fields);
    std::string rebuilt;
    CopyRowWriter(rebuilt).raw_row(fields);
    CHECK(rebuilt == row + "\n");
}

TEST_CASE("A written table reads back through splitter, fields and decoding", "[copy_text][writer]") {
    std::mt19937 random(99);
    std::uniform_int_distribution<int> any_byte(1, 255);
    std::uniform_int_distribution<std::size_t> length(0, 40);
    std::uniform_int_distribution<int> percent(0, 99);

    constexpr int kColumns = 4;
    std::vector<std::vector<std::optional<std::string>>> table;
    std::string stream;
    CopyRowWriter writer(stream);
    for (int row = 0; row < 300; ++row) {
        auto& values = table.emplace_back();
        for (int column = 0; column < kColumns; ++column) {
            if (percent(random) < 10) {
                values.emplace_back(std::nullopt);
                writer.null_field();
                continue;
            }
            std::string value(length(random), ' ');
            for (char& c : value) c = static_cast<char>(any_byte(random));
            writer.value_field(value);
            values.emplace_back(std::move(value));
        }
        writer.end_row();
    }
    stream += kPgDumpTrailer;

    const std::size_t piece_size = GENERATE(1, 7, 4096, 65536);
    const auto outcome = split_in_pieces(stream, piece_size);
    REQUIRE(outcome.end);
    REQUIRE(outcome.rows.size() == table.size());
    std::vector<std::string_view> fields;
    for (std::size_t row = 0; row < table.size(); ++row) {
        split_fields(outcome.rows[row], fields);
        REQUIRE(fields.size() == kColumns);
        for (int column = 0; column < kColumns; ++column) {
            const auto& expected = table[row][static_cast<std::size_t>(column)];
            const std::string_view raw = fields[static_cast<std::size_t>(column)];
            REQUIRE(is_null(raw) == !expected.has_value());
            if (!expected) continue;
            std::string value;
            REQUIRE(decode_field(raw, value));
            REQUIRE(value == *expected);
        }
    }
}

// ---------------------------------------------------------------------------
// Encodings

TEST_CASE("encoding_is_ascii_safe", "[copy_text][encoding]") {
    for (std::string_view name : {"UTF8", "utf8", "UTF-8", "Unicode", "SQL_ASCII", "LATIN1", "latin9", "ISO_8859_5",
                                  "iso-8859-15", "WIN1252", "WIN1251", "WIN866", "windows-1250", "KOI8R", "KOI8U",
                                  "EUC_JP", "EUC_CN", "EUC_KR", "EUC_TW", "EUC_JIS_2004", "MULE_INTERNAL"}) {
        CAPTURE(name);
        CHECK(encoding_is_ascii_safe(name));
    }
    for (std::string_view name : {"SJIS", "Shift_JIS", "mskanji", "SHIFT_JIS_2004", "BIG5", "GBK", "UHC", "GB18030",
                                  "JOHAB", "WIN932", "WIN936", "win949", "windows-950", "", "EBCDIC", "utf16",
                                  "UTF8 but much too long to be an encoding name that PostgreSQL accepts at all"}) {
        CAPTURE(name);
        CHECK_FALSE(encoding_is_ascii_safe(name));
    }
}
