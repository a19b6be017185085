#pragma once
// Factories for the transforms that look inside a value: `redact` (personal
// data in free text), `json` (paths into a JSON document) and `array`
// (PostgreSQL array literals). The registry (transform_registry.cpp) calls
// them; nested transforms are built with build_transform().
//
// redact{kinds, replacement}
//   Finds the detectors' kinds (anonymise/detectors.hpp; default all) in the
//   text and replaces each match, leaving every other byte as it was. With no
//   `replacement` each match becomes a fake of its kind: email ->
//   fake_email() (the same fake the email columns get), phone -> fake_phone(),
//   ip -> fake_ip(), card -> a Luhn-valid number of the same length and
//   grouping with a test prefix (411111, or 378282 for 15 digits, 305693 for
//   14), iban -> GBkk ZZZZ + 14 digits with valid check digits (grouped in
//   fours if the original was), url_userinfo -> user-<8 hex>[:redacted],
//   uk_postcode -> ZZ99 nXX, password_hash -> !redacted<32 hex> (Django's
//   unusable-password marker), secret -> redacted-secret-<8 hex> (whatever
//   the token's shape). With `replacement: "[redacted]"` every match
//   becomes that literal. Every match is replaced, even one that already
//   looks synthetic (an address at example.org may be a real test account's,
//   and the column that holds the same address gets a fake too, so the text
//   must agree with it). Fakes are keyed and deterministic.
//
// json{paths: {"$.a.b": T, ...}, others: T}
//   The value (json, jsonb or text holding JSON) is parsed; paths are
//   `$`, `.key`, `['key']` / `["key"]`, `[n]`, `[*]`, `.*` (every member or
//   element) and `..key` / `..*` (recursive descent). Per node, the first
//   path in file order that matches it wins; a more specific match deeper
//   down overrides the rule of an enclosing match.
//   - string leaf matched: T gets the decoded string; its result is written
//     as a JSON string, NULL as JSON null.
//   - number / boolean leaf matched directly: T gets its text ("42",
//     "true"); a result that is still a JSON number (booleans: true/false)
//     keeps its type, any other result becomes a string, NULL becomes null.
//   - null leaf matched directly: T gets NULL (most transforms keep it).
//   - object / array matched: T applies to every string leaf below it
//     (numbers, booleans and keys inside are left alone).
//   - `others` applies to every string leaf no path covers. Object keys are
//     never transformed.
//   When nothing changes the input is returned byte for byte; otherwise the
//   document is re-serialised in jsonb style (`{"k": "v", "a": [1, 2]}`),
//   numbers keeping their exact text. Malformed JSON throws TransformError.
//
// array{each: T}
//   Parses a PostgreSQL array literal (optional `[lo:hi]=` bounds, nested
//   braces, quoted elements with \" and \\, unquoted NULL as SQL NULL,
//   whitespace around unquoted elements ignored), applies T to every element
//   (NULL elements as nullopt) and writes the literal back with PostgreSQL's
//   quoting rules. Unchanged values are returned byte for byte. A malformed
//   literal throws TransformError.

#include "anonymise/transform.hpp"
#include "anonymise/transform_error.hpp"

#include <memory>
#include <vector>

namespace pgscrub::anonymise {

std::unique_ptr<Transform> make_redact(const TransformConfig& config, std::vector<ConfigProblem>& problems);
std::unique_ptr<Transform> make_json(const TransformConfig& config, std::vector<ConfigProblem>& problems);
std::unique_ptr<Transform> make_array(const TransformConfig& config, std::vector<ConfigProblem>& problems);

} // namespace pgscrub::anonymise
