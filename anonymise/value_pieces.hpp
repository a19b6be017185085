#pragma once
// The parts of one database value that personal data can hide in, for the
// leak scan and for `scrub --verify`:
//   value          the whole decoded value
//   json_leaf      each string and number leaf, when the value is a JSON object or array
//   array_element  each element, when the value is a PostgreSQL array literal
//   token          each personal-data match the detectors find in the value,
//                  or in its leaves or elements once their escapes are decoded
//                  (and in a form post kept as text, once percent-decoded)
// A copy of a scrubbed e-mail survives as a whole value in one column, as a
// JSON leaf of a revision in another, and as a mailto: inside rich text in a
// third; exploring each value into these pieces finds all three.

#include "anonymise/detectors.hpp"
#include "common/json_text.hpp"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pgscrub::anonymise {

enum class PieceKind : std::uint8_t { value, json_leaf, array_element, token };
const char* piece_kind_name(PieceKind kind); // "value", "JSON leaf", "array element", "<kind> in text"

struct Piece {
    PieceKind kind = PieceKind::value;
    std::string_view text;
    std::optional<PiiKind> pii;   // tokens: what the detectors matched
    bool synthetic = false;       // tokens: in a range pgscrub's fakes use (example.com, 192.0.2.0/24...)
};

// The form pieces are compared in, so that a copy in another spelling still
// matches: tokens by kind (e-mail: NFC, case folded, trimmed; phone, card,
// IBAN: digits and letters only, upper case); other pieces trimmed and ASCII
// lower-cased. Appends to `out` (cleared first).
void canonical_piece(const Piece& piece, std::string& out);

// Whether an original worth remembering: long enough, and not a word that
// every database is full of (true, null, yes, 0...), so a verify failure
// means a copied personal value, not a coincidence. Takes a canonical piece.
bool distinctive_piece(std::string_view canonical);

class ValueExplorer {
public:
    // `structure`: also parse JSON and arrays into leaves and elements (for
    // verify); without it only tokens are produced, and JSON is parsed only
    // when `\u` escapes could hide a token (the fast path of `scan`).
    explicit ValueExplorer(bool structure) : structure_(structure) {}

    // Calls `each` for every piece of `value` (a decoded field, not NULL).
    // `each` must not call explore() on the same explorer.
    // `array_typed`: the column is an array type, so `{...}` is an array
    // literal (otherwise it is tried as JSON first).
    void explore(std::string_view value, bool array_typed, const std::function<void(const Piece&)>& each);

private:
    void tokens(std::string_view text, const std::function<void(const Piece&)>& each);
    void json_leaves(const common::json::Value& v, const std::function<void(const Piece&)>& each);

    bool structure_;
    std::vector<Match> matches_;
    std::vector<std::optional<std::string>> elements_;
};

} // namespace pgscrub::anonymise
