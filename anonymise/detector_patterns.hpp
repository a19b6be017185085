#pragma once
// The regular expressions of the personal-data detector (RE2 syntax) and
// their compilation; internal to anonymise/. detectors.hpp is the manual of
// the search they serve.
//
// An expression only proposes candidates: boundaries, digit counts, check
// digits and the fields of a hash are decided in code
// (detector_validators.hpp), where they can be said plainly and where a
// wrong guess costs one call rather than a larger DFA for every text. Each
// kind has one expression that locates its candidates; seven of them also
// go into one RE2::Set, which answers in a single pass over the text which
// kinds may be present at all. Password hashes and secrets stay out of the
// Set: its DFA's states are the combinations of every pattern's, and theirs
// made it several times slower for all text, more than their own passes cost
// (which run only when the byte pre-check allows).

#include "anonymise/detectors.hpp"

#include <re2/re2.h>
#include <re2/set.h>

#include <array>
#include <memory>

namespace pgscrub::anonymise::detection {

// Every expression of the detector, compiled. Built once, by the process's
// Detector; const afterwards and shared by every thread that searches.
struct CompiledPatterns {
    // Throws std::logic_error naming the expression that does not compile (a
    // bug in pgscrub, never in its input).
    CompiledPatterns();

    // One finder per kind, indexed by the kind's enum value. The digit-based
    // kinds' expressions start with their boundary character (see
    // boundary_length in detectors.cpp); url_userinfo's group 1 is the
    // userinfo.
    std::array<std::unique_ptr<RE2>, pii_kind_count> finders;
    // A key name and its separator ("api_key=", "Authorization: Bearer "):
    // anchored at the start of a secret's match, it tells where the value starts.
    std::unique_ptr<RE2> secret_key;
    // The seven kinds other than password_hash and secret, unanchored.
    RE2::Set set;
    // The kind of each of the Set's pattern indexes.
    std::array<PiiKind, pii_kind_count> set_kind{};
};

} // namespace pgscrub::anonymise::detection
