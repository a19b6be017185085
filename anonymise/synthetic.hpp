#pragma once
// Whether a detected value is synthetic: in a range reserved for examples or
// fiction, which is where pgscrub's own fakes come from.
//
// `scan` does not report such values, and `scrub --verify` does not remember
// them as values that must not survive (nobody's personal data). `redact` still replaces
// them (a real test account may use a reserved domain, and its e-mail column
// gets a fake too); what redact writes is always recognised as synthetic, so
// a scrubbed dump scans clean. Pure functions of their arguments.

#include "anonymise/detectors.hpp"

#include <string_view>

namespace pgscrub::anonymise {

// True when `match` (a value of `text`, as Detector::find reports it) is
//   email        example.com/.org/.net (and subdomains), *.example, *.test, *.invalid, *.localhost
//   phone        Ofcom drama ranges (07700 900xxx, 020 7946 0xxx, 0161 496 0xxx, 01632 960xxx, ...),
//                NANP 555-0100..0199 ((555) 555-0123, +1 202 555 0143)
//   ip           192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24, 2001:db8::/32
//   card         well-known test numbers and the prefixes redact uses (411111, 378282, 305693)
//   iban         bank code ZZZZ (redact's fakes) and the published specimen IBANs
//   url_userinfo password "redacted" (redact's output) or a reserved host
//   uk_postcode  the ZZ99 pseudo-postcode area
//   password_hash Django's unusable-password marker "!..." (redact writes "!redacted" + 32 hex;
//                find() never reports such a value, so this only answers for a Match made by hand)
//   secret       "redacted-secret-" + 8 hex (redact's output) and AWS's documentation keys
//                (AKIAIOSFODNN7EXAMPLE: any value holding "EXAMPLE")
// False for a match that does not lie within `text`.
bool is_synthetic(const Match& match, std::string_view text);

} // namespace pgscrub::anonymise
