// Pure parts of the leak proof (issue #4): value pieces, fingerprints, the
// bounded index of originals, name-list checks, the rules' reviewed:
// grammar and column dispositions, database addresses with passwords masked.

#include "anonymise/fingerprint.hpp"
#include "anonymise/name_lists.hpp"
#include "anonymise/value_pieces.hpp"
#include "dump/archive_error.hpp"
#include "scrub/original_values.hpp"
#include "scrub/scan.hpp"

#include <catch2/catch.hpp>

#include <set>
#include <string>
#include <utility>
#include <vector>

using namespace pgscrub;
using anonymise::Piece;
using anonymise::PieceKind;

namespace {

// Every piece of `value`, as "kind:text" (tokens as "token/<pii kind>:text").
std::vector<std::string> pieces_of(std::string_view value, bool structure, bool array_typed = false) {
    std::vector<std::string> out;
    anonymise::ValueExplorer explorer(structure);
    explorer.explore(value, array_typed, [&](const Piece& p) {
        std::string kind = p.kind == PieceKind::token ? std::string("token/") + anonymise::pii_kind_name(*p.pii)
                                                      : anonymise::piece_kind_name(p.kind);
        out.push_back(kind + (p.synthetic ? "(synthetic)" : "") + ":" + std::string(p.text));
    });
    return out;
}

bool has(const std::vector<std::string>& pieces, const std::string& piece) {
    return std::find(pieces.begin(), pieces.end(), piece) != pieces.end();
}

} // namespace

TEST_CASE("ValueExplorer: JSON leaves, decoded \\u escapes and the tokens inside them", "[leak_proof]") {
    auto p = pieces_of(R"({"name": "Ann Baker", "email": "ann\u0040gmail.com", "age": 41, "tags": ["x", true]})", true);
    CHECK(has(p, R"(value:{"name": "Ann Baker", "email": "ann\u0040gmail.com", "age": 41, "tags": ["x", true]})"));
    CHECK(has(p, "JSON leaf:Ann Baker"));
    CHECK(has(p, "JSON leaf:ann@gmail.com"));
    CHECK(has(p, "token/email:ann@gmail.com"));
    CHECK(has(p, "JSON leaf:41"));
    CHECK(has(p, "JSON leaf:x"));
    CHECK_FALSE(has(p, "JSON leaf:true")); // booleans carry nothing personal
}

TEST_CASE("ValueExplorer: array literals give their elements, JSON-looking text is tried as JSON first", "[leak_proof]") {
    auto p = pieces_of(R"({ann@gmail.com,"b c@outlook.com",NULL})", true, true);
    CHECK(has(p, "array element:ann@gmail.com"));
    CHECK(has(p, "token/email:ann@gmail.com"));
    CHECK(has(p, "array element:b c@outlook.com"));
    // Not an array column, not JSON: still read as an array literal.
    auto q = pieces_of("{alpha,beta}", true);
    CHECK(has(q, "array element:alpha"));
    // Neither: plain text.
    auto r = pieces_of("{not closed, call 07911 123456", true);
    CHECK(has(r, "value:{not closed, call 07911 123456"));
    CHECK(has(r, "token/phone:07911 123456"));
}

TEST_CASE("ValueExplorer: percent-encoded form posts are decoded before detection", "[leak_proof]") {
    auto p = pieces_of("title=Contact+us&to_address=ann%40gmail.com%2C+ben%40outlook.com", false);
    CHECK(has(p, "token/email:ann@gmail.com"));
    CHECK(has(p, "token/email:ben@outlook.com"));
}

TEST_CASE("ValueExplorer: tokens-only mode parses JSON only where escapes hide tokens", "[leak_proof]") {
    auto plain = pieces_of(R"({"e": "ann@gmail.com"})", false);
    REQUIRE(plain.size() == 1);
    CHECK(plain[0] == "token/email:ann@gmail.com");
    auto escaped = pieces_of(R"({"e": "ann\u0040gmail.com"})", false);
    CHECK(escaped == std::vector<std::string>{"token/email:ann@gmail.com"});
}

TEST_CASE("ValueExplorer: reserved-range values are flagged synthetic", "[leak_proof]") {
    auto p = pieces_of("write to user-1@example.com or ann@gmail.com", false);
    CHECK(has(p, "token/email(synthetic):user-1@example.com"));
    CHECK(has(p, "token/email:ann@gmail.com"));
}

TEST_CASE("canonical_piece: spellings of one value compare equal", "[leak_proof]") {
    auto canon = [](PieceKind kind, std::optional<anonymise::PiiKind> pii, std::string_view text) {
        std::string out;
        anonymise::canonical_piece(Piece{kind, text, pii, false}, out);
        return out;
    };
    using anonymise::PiiKind;
    CHECK(canon(PieceKind::token, PiiKind::email, " Ann.Baker@GMAIL.com ") == canon(PieceKind::token, PiiKind::email, "ann.baker@gmail.com"));
    CHECK(canon(PieceKind::token, PiiKind::phone, "07911-123 456") == "07911123456");
    CHECK(canon(PieceKind::token, PiiKind::iban, "gb82 west 1234 5698 7654 32") == "GB82WEST12345698765432");
    CHECK(canon(PieceKind::value, std::nullopt, "  Ben.Okafor ") == "ben.okafor");
}

TEST_CASE("distinctive_piece: short words, counts and flags are not remembered", "[leak_proof]") {
    CHECK_FALSE(anonymise::distinctive_piece("ab"));
    CHECK_FALSE(anonymise::distinctive_piece("true"));
    CHECK_FALSE(anonymise::distinctive_piece("2024"));
    CHECK_FALSE(anonymise::distinctive_piece("12345"));
    CHECK(anonymise::distinctive_piece("07911123456"));
    CHECK(anonymise::distinctive_piece("ben.okafor"));
    CHECK(anonymise::distinctive_piece("zoë")); // three characters, four bytes
}

TEST_CASE("Fingerprinter: SipHash-2-4 reference vectors", "[leak_proof]") {
    std::array<std::uint8_t, 16> key{};
    for (std::size_t i = 0; i < key.size(); ++i) key[i] = static_cast<std::uint8_t>(i);
    anonymise::Fingerprinter f(key);
    // From the SipHash paper's test vectors (message 00 01 02 ... of length n).
    std::string message;
    CHECK(f(message) == 0x726fdb47dd0e0e31ULL);
    for (int i = 0; i < 15; ++i) message.push_back(static_cast<char>(i));
    CHECK(f(message) == 0xa129ca6149be45e5ULL);
    // Random keys differ from run to run.
    CHECK(anonymise::Fingerprinter()("ann@gmail.com") != anonymise::Fingerprinter()("ann@gmail.com"));
}

TEST_CASE("OriginalValueIndex: finds what it holds with its source, grows, and stops at its memory limit", "[leak_proof]") {
    scrub::OriginalValueIndex index(std::uint64_t{64} << 20);
    for (std::uint64_t i = 0; i < 100000; ++i) index.insert(i * 0x9e3779b97f4a7c15ULL, static_cast<std::uint32_t>(i % 7));
    CHECK(index.size() == 100000);
    for (std::uint64_t i = 0; i < 100000; i += 997) {
        auto found = index.find(i * 0x9e3779b97f4a7c15ULL);
        REQUIRE(found);
        CHECK(*found == i % 7);
    }
    CHECK_FALSE(index.find(12345));
    // Fingerprint 0 (i == 0 above, source 0) is a valid value too; the first source wins.
    index.insert(0, 5);
    CHECK(index.find(0) == std::optional<std::uint32_t>(0));

    scrub::OriginalValueIndex small(1 << 20); // 1 MiB: about 87 000 slots at 12 bytes
    CHECK_THROWS_WITH(
        [&] {
            for (std::uint64_t i = 1; i < 1000000; ++i) small.insert(i * 0x9e3779b97f4a7c15ULL, 0);
        }(),
        Catch::Contains("raise --verify-memory"));
}

TEST_CASE("name lists: lone names and names the fakes could write", "[leak_proof]") {
    auto given = anonymise::all_given_names();
    auto family = anonymise::all_family_names();
    REQUIRE(!given.empty());
    REQUIRE(!family.empty());
    std::string full = std::string(given[0]) + " " + std::string(family[0]);
    CHECK(anonymise::could_be_fake_name(full));
    CHECK(anonymise::could_be_fake_name(std::string(given[0])));
    CHECK_FALSE(anonymise::could_be_fake_name("Qwxz Plorkington"));
    CHECK_FALSE(anonymise::could_be_fake_name(full + " Jr"));
    CHECK(anonymise::is_listed_name(" " + std::string(family[0]) + " "));
    CHECK_FALSE(anonymise::is_listed_name("ben.okafor"));
}

TEST_CASE("name lists: regression: a family name with a space is a name the fakes could write", "[leak_proof]") {
    // fake_name writes "Joost de Vries"; only one space was allowed, so scan
    // reported pgscrub's own fake as a person's name.
    REQUIRE(anonymise::is_listed_name("de Vries"));
    REQUIRE(anonymise::is_listed_name("Joost"));
    CHECK(anonymise::could_be_fake_name("Joost de Vries"));
    CHECK(anonymise::could_be_fake_name("de Vries Joost"));
    CHECK_FALSE(anonymise::could_be_fake_name("Joost de Vriesland"));
    CHECK_FALSE(anonymise::could_be_fake_name("Joost de Vries Jr"));
}

TEST_CASE("mask_example: never the whole value", "[leak_proof]") {
    CHECK(scrub::mask_example("email", "ann.baker@gmail.com") == "a***@g***.com");
    CHECK(scrub::mask_example("phone", "07911 123456") == "07***");
    CHECK(scrub::mask_example("email", "üle@ßtraße.de") == "ü***@ß***.de");
}
