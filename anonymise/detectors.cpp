#include "anonymise/detectors.hpp"

#include "anonymise/detector_patterns.hpp"
#include "anonymise/detector_text.hpp"
#include "anonymise/detector_validators.hpp"
#include "common/interrupts.hpp"

#include <re2/re2.h>
#include <re2/set.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <iterator>

namespace pgscrub::anonymise {

using namespace detection;

namespace {

constexpr std::array<const char*, pii_kind_count> kind_names = {
    "email", "phone", "ip", "card", "iban", "url_userinfo", "uk_postcode", "password_hash", "secret",
};

// Overlapping candidates of different kinds: the earlier kind here wins.
// A password hash or a token goes before the kinds whose shapes can occur
// inside one (digits like a phone number, a card or a postcode); URL user
// info before them, so "user:token" is replaced whole.
constexpr std::array<PiiKind, pii_kind_count> priority = {
    PiiKind::url_userinfo, PiiKind::password_hash, PiiKind::secret, PiiKind::email,       PiiKind::iban,
    PiiKind::card,         PiiKind::ip,            PiiKind::phone,  PiiKind::uk_postcode,
};

} // namespace

// ---- names -------------------------------------------------------------------

const char* pii_kind_name(PiiKind kind) { return kind_names[static_cast<std::size_t>(kind)]; }

std::optional<PiiKind> pii_kind_from_name(std::string_view name) {
    for (std::size_t i = 0; i < kind_names.size(); ++i)
        if (name == kind_names[i]) return static_cast<PiiKind>(i);
    return std::nullopt;
}

const std::vector<std::string>& pii_kind_names() {
    static const std::vector<std::string> names(kind_names.begin(), kind_names.end());
    return names;
}

// ---- the detector -------------------------------------------------------------------

// Every expression, compiled once (detector_patterns.hpp).
struct Detector::Impl : CompiledPatterns {};

Detector::Detector() : impl_(std::make_unique<Impl>()) {}
Detector::~Detector() = default;

const Detector& Detector::shared() {
    static const Detector detector;
    return detector;
}

namespace {

// Byte classes for the pre-check, as one-hot bytes of a 64-bit word, so one
// addition per byte counts them all (flushed before any byte can overflow).
// The bytes a token is made of ([A-Za-z0-9_+/=-]) are letters, digits or
// nothing; every other byte counts in one of the other lanes, so a group of
// bytes whose sum has nothing in those lanes is all token bytes.
enum ByteClass : unsigned { other, digit_byte, upper_byte, lower_byte, dot_byte, colon_byte, space_byte, at_byte };

struct ByteClasses {
    std::uint64_t of[256] = {};
    constexpr ByteClasses() {
        const auto set = [this](int c, ByteClass k) { of[c] = std::uint64_t{1} << (8 * k); };
        for (int c = 0; c < 256; ++c) set(c, other);
        for (int c = '0'; c <= '9'; ++c) set(c, digit_byte);
        for (int c = 'A'; c <= 'Z'; ++c) set(c, upper_byte);
        for (int c = 'a'; c <= 'z'; ++c) set(c, lower_byte);
        set('.', dot_byte);
        set(':', colon_byte);
        set(' ', space_byte);
        set('@', at_byte);
        for (char c : std::string_view("_+/=-")) of[static_cast<unsigned char>(c)] = 0;
    }
};
constexpr ByteClasses byte_classes{};

constexpr std::uint64_t lane(ByteClass k) { return std::uint64_t{0xFF} << (8 * k); }
constexpr std::uint64_t breaker_lanes =
    lane(other) | lane(dot_byte) | lane(colon_byte) | lane(space_byte) | lane(at_byte);

} // namespace

KindSet Detector::candidates(std::string_view text, KindSet kinds) const {
    // What each kind needs at the least, counted in one pass (which stops
    // early once every threshold is met): phone 8 digits, card 13, IPv4 4
    // digits and 3 dots, IPv6 a digit and 2 colons, IBAN 2 digits and 2
    // capitals in 15 bytes, postcode a digit and 2 capitals (or 2 small
    // letters and a space), e-mail an '@', URL an '@' and "://", a password
    // hash two '$' (memchr), a secret 19 token bytes in a row: the bytes are
    // summed 4 at a time, and 4 groups in a row with nothing in the other
    // lanes are 16 token bytes, which any run of 19 holds.
    const std::size_t n = text.size();
    const bool want_runs = kinds.contains(PiiKind::secret) && n >= secret_run;
    std::size_t clean = 0; // groups of 4 token bytes in a row
    std::size_t four_clean = 0; // not 0 once `clean` reached 4
    std::size_t count[8] = {};
    const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
    const auto& of = byte_classes.of;
    std::size_t i = 0;
    while (i < n) {
        const std::size_t stop = std::min(n, i + 248); // no lane reaches 256; a multiple of 4
        std::uint64_t packed = 0;
        for (; i + 4 <= stop; i += 4) {
            const std::uint64_t group = of[bytes[i]] + of[bytes[i + 1]] + of[bytes[i + 2]] + of[bytes[i + 3]];
            packed += group;
            // Without branches: whether a group is clean is as random as the text.
            clean = (clean + 1) & (std::size_t{0} - static_cast<std::size_t>((group & breaker_lanes) == 0));
            four_clean |= clean >> 2;
        }
        for (; i < stop; ++i) packed += of[bytes[i]];
        for (unsigned k = 0; k < 8; ++k) count[k] += (packed >> (8 * k)) & 0xFF;
        if (count[digit_byte] >= 13 && count[upper_byte] >= 2 && count[dot_byte] >= 3 && count[colon_byte] >= 2 &&
            count[space_byte] >= 1 && count[at_byte] >= 1 && (four_clean != 0 || !want_runs))
            break;
    }
    const bool long_run = four_clean != 0;
    const std::size_t digits = count[digit_byte];
    const std::size_t upper = count[upper_byte];
    const bool at_sign = count[at_byte] > 0;
    bool dollars = false;
    if (kinds.contains(PiiKind::password_hash) && n >= 20) {
        const void* first = std::memchr(text.data(), '$', n);
        if (first) {
            const std::size_t next = static_cast<std::size_t>(static_cast<const char*>(first) - text.data()) + 1;
            dollars = std::memchr(text.data() + next, '$', n - next) != nullptr;
        }
    }
    KindSet wanted;
    const auto want = [&](PiiKind kind, bool possible) {
        if (possible && kinds.contains(kind)) wanted.add(kind);
    };
    want(PiiKind::email, at_sign);
    want(PiiKind::url_userinfo, at_sign && text.find("://") != std::string_view::npos);
    want(PiiKind::phone, digits >= 8);
    want(PiiKind::card, digits >= 13);
    want(PiiKind::ip, (digits >= 4 && count[dot_byte] >= 3) || (digits >= 1 && count[colon_byte] >= 2));
    want(PiiKind::iban, digits >= 2 && upper >= 2 && text.size() >= 15);
    want(PiiKind::uk_postcode,
         digits >= 1 && (upper >= 2 || (count[lower_byte] >= 2 && count[space_byte] >= 1)));
    want(PiiKind::password_hash, dollars);
    want(PiiKind::secret, want_runs && long_run);
    // E-mail addresses and URLs are looked for around each '@' anyway: the
    // Set is worth its pass only when a digit-based kind is possible. It does
    // not answer for password hashes and secrets (detector_patterns.hpp).
    bool any_digit_kind = false;
    for (PiiKind kind : {PiiKind::phone, PiiKind::card, PiiKind::ip, PiiKind::iban, PiiKind::uk_postcode})
        any_digit_kind = any_digit_kind || wanted.contains(kind);
    if (!any_digit_kind) return wanted;
    KindSet present;
    for (PiiKind kind : {PiiKind::password_hash, PiiKind::secret})
        if (wanted.contains(kind)) present.add(kind);
    thread_local std::vector<int> hits;
    RE2::Set::ErrorInfo error{};
    if (!impl_->set.Match(re2::StringPiece(text.data(), text.size()), &hits, &error)) {
        if (error.kind == RE2::Set::kNoError) return present;
        return wanted; // the DFA ran out of memory: let every wanted kind search
    }
    for (int index : hits) {
        const PiiKind kind = impl_->set_kind[static_cast<std::size_t>(index)];
        if (wanted.contains(kind)) present.add(kind);
    }
    return present;
}

std::vector<Match> Detector::find(std::string_view text, KindSet kinds) const {
    std::vector<Match> out;
    find(text, kinds, out);
    return out;
}

namespace {

// Where a match of `kind` can lie, as byte ranges [first, second) of the
// text: the regular expressions then run over these ranges only, not over
// the whole text again. An e-mail address is the run of address characters
// around an '@'; the digit-based kinds lie around clusters of digits
// (at most 40 bytes apart), widened over the letters, '+', '(' and ':' a
// value can start or end with, plus one boundary character before.
using Range = std::pair<std::size_t, std::size_t>;

bool local_byte(char c) { return is_alnum(c) || one_of(c, "._%+-'") || static_cast<unsigned char>(c) >= 0x80; }
bool domain_byte(char c) { return is_alnum(c) || c == '.' || c == '-' || static_cast<unsigned char>(c) >= 0x80; }

void email_ranges(std::string_view text, std::vector<Range>& ranges) {
    constexpr std::size_t reach = 512;
    const char* base = text.data();
    std::size_t from = 0;
    while (from < text.size()) {
        const void* found = std::memchr(base + from, '@', text.size() - from);
        if (!found) break;
        const std::size_t at_sign = static_cast<std::size_t>(static_cast<const char*>(found) - base);
        std::size_t lo = at_sign;
        while (lo > 0 && at_sign - lo < reach && local_byte(text[lo - 1])) --lo;
        std::size_t hi = at_sign + 1;
        while (hi < text.size() && hi - at_sign < reach && domain_byte(text[hi])) ++hi;
        if (lo < at_sign && hi > at_sign + 1) ranges.emplace_back(lo, hi);
        from = at_sign + 1;
    }
}

void digit_ranges(std::string_view text, std::vector<Range>& ranges) {
    constexpr std::size_t gap = 40;
    constexpr std::size_t widen = 64;
    const auto lead = [](char c) { return is_alnum(c) || c == '+' || c == '(' || c == ':'; };
    const auto tail = [](char c) { return is_alnum(c) || c == ':'; };
    std::size_t i = 0;
    const std::size_t n = text.size();
    while (i < n) {
        while (i < n && !is_digit(text[i])) ++i;
        if (i == n) break;
        const std::size_t first = i;
        std::size_t last = i;
        for (std::size_t j = i + 1; j < n && j - last <= gap; ++j)
            if (is_digit(text[j])) last = j;
        std::size_t lo = first;
        while (lo > 0 && first - lo < widen && lead(text[lo - 1])) --lo;
        if (lo > 0) --lo; // the boundary character
        while (lo > 0 && (static_cast<unsigned char>(text[lo]) & 0xC0) == 0x80) --lo; // a character's first byte
        std::size_t hi = last + 1;
        while (hi < n && hi - last <= widen && tail(text[hi])) ++hi;
        if (!ranges.empty() && lo < ranges.back().second) {
            ranges.back().second = hi; // overlapping: merge
        } else {
            ranges.emplace_back(lo, hi);
        }
        i = last + 1;
    }
}

// The bytes of the boundary that starts a match of a digit-based kind: 0
// (at the start of the text), a character, or for phones a letter and ':'.
// A boundary is never a digit, a letter (but that one) or '+'; a '(' is a
// boundary when the match has more '(' than ')' (a phone's own parentheses
// are balanced).
std::size_t boundary_length(PiiKind kind, std::string_view matched) {
    const char c = matched[0];
    const auto utf8_length = [](char lead) -> std::size_t {
        const auto u = static_cast<unsigned char>(lead);
        return u >= 0xF0 ? 4 : u >= 0xE0 ? 3 : u >= 0xC0 ? 2 : 1;
    };
    if (is_digit(c)) return 0;
    switch (kind) {
    case PiiKind::phone:
        if (c == '+') return 0;
        if (c == '(') {
            std::ptrdiff_t depth = 0;
            for (char m : matched) depth += m == '(' ? 1 : m == ')' ? -1 : 0;
            return depth > 0 ? 1 : 0;
        }
        if (is_alnum(c)) return 2; // "Tel:"
        return utf8_length(c);
    case PiiKind::ip:
        if (is_alnum(c)) return 0;
        if (c == ':') return matched.size() > 2 && matched[1] == ':' && matched[2] != ':' ? 0 : 1;
        return utf8_length(c);
    default: // card, iban, uk_postcode
        return is_alnum(c) ? 0 : utf8_length(c);
    }
}

} // namespace

void Detector::find(std::string_view text, KindSet kinds, std::vector<Match>& out) const {
    out.clear();
    const KindSet present = candidates(text, kinds);
    if (present.empty()) return;
    thread_local std::vector<Range> near_digits;
    thread_local std::vector<Range> near_at_signs;
    thread_local std::vector<Match> kind_matches; // of the kind being searched, in offset order
    thread_local std::vector<Match> merged;
    near_digits.clear();
    near_at_signs.clear();
    kind_matches.clear();
    const Range whole{0, text.size()};
    const re2::StringPiece input(text.data(), text.size());
    for (PiiKind kind : priority) {
        if (!present.contains(kind)) continue;
        // url_userinfo, password_hash and secret: over the whole text.
        const bool whole_text =
            kind == PiiKind::url_userinfo || kind == PiiKind::password_hash || kind == PiiKind::secret;
        const std::vector<Range>* ranges = nullptr;
        if (kind == PiiKind::email) {
            if (near_at_signs.empty()) email_ranges(text, near_at_signs);
            ranges = &near_at_signs;
        } else if (!whole_text) {
            if (near_digits.empty()) digit_ranges(text, near_digits);
            ranges = &near_digits;
        }
        const RE2& re = *impl_->finders[static_cast<std::size_t>(kind)];
        // url_userinfo: group 1 is the userinfo (the match runs on to the
        // host). The others are found without captures (cheaper): email and
        // password_hash are the whole match; a secret after a key name is
        // what follows the name; the digit-based kinds skip their boundary.
        const int groups = kind == PiiKind::url_userinfo ? 2 : 1;
        const std::size_t range_count = ranges ? ranges->size() : 1;
        for (std::size_t r = 0; r < range_count; ++r) {
            common::stop_point();
            const Range range = ranges ? (*ranges)[r] : whole;
            re2::StringPiece found[2];
            std::size_t pos = range.first;
            // An address usually starts right where its run of address characters does.
            const bool try_anchored = kind == PiiKind::email && is_alnum(text[pos]);
            const auto search = [&](std::size_t from) {
                if (try_anchored && from == range.first &&
                    re.Match(input, from, range.second, RE2::ANCHOR_START, found, groups))
                    return true;
                return re.Match(input, from, range.second, RE2::UNANCHORED, found, groups);
            };
            while (pos < range.second && search(pos)) {
                common::stop_point(); // a 50 MB value holds a million matches
                const std::size_t match_start = static_cast<std::size_t>(found[0].data() - text.data());
                const std::string_view matched(found[0].data(), found[0].size());
                std::size_t start = match_start;
                std::size_t end = match_start + matched.size();
                bool after_key = false;
                if (kind == PiiKind::url_userinfo) {
                    start = static_cast<std::size_t>(found[1].data() - text.data());
                    end = start + found[1].size();
                } else if (kind == PiiKind::secret) {
                    re2::StringPiece key;
                    if (impl_->secret_key->Match(input, start, end, RE2::ANCHOR_START, &key, 1) &&
                        key.size() < matched.size()) {
                        start += key.size();
                        after_key = true;
                    }
                } else if (!whole_text && kind != PiiKind::email) {
                    start += boundary_length(kind, matched);
                }
                if (start >= end) { // cannot happen; never loop
                    pos = match_start + 1;
                    continue;
                }
                std::optional<std::size_t> accepted;
                switch (kind) {
                case PiiKind::email: accepted = check_email(text, start, end); break;
                case PiiKind::phone: accepted = check_phone(text, start, end); break;
                case PiiKind::ip: accepted = check_ip(text, start, end); break;
                case PiiKind::card: accepted = check_card(text, start, end); break;
                case PiiKind::iban: accepted = check_iban(text, start, end); break;
                case PiiKind::uk_postcode: accepted = check_uk_postcode(text, start, end); break;
                case PiiKind::url_userinfo: accepted = end; break;
                case PiiKind::password_hash: accepted = check_password_hash(text, start, end); break;
                case PiiKind::secret: accepted = check_secret(text, start, end, after_key); break;
                }
                if (!accepted) {
                    if (after_key) { // "session token: ...": the value may be the next key name
                        pos = start;
                        continue;
                    }
                    // Try again from the next token: its boundary character is the one before it.
                    std::size_t next = start + 1;
                    while (next < text.size() && is_alnum(text[next - 1]) && is_alnum(text[next])) ++next;
                    pos = std::max(next - 1, match_start + 1);
                    continue;
                }
                end = *accepted;
                pos = std::max(end, match_start + 1); // the next value's boundary character may be at `end`
                const Match match{kind, start, end - start};
                // Higher priority kinds came first: a match overlapping one
                // of theirs is dropped. `out` does not change while one kind
                // is searched, so this is a binary search, and the kind's
                // matches (in offset order) are merged in afterwards: linear,
                // where inserting each into the middle of `out` was quadratic.
                auto it = std::lower_bound(out.begin(), out.end(), match.offset,
                                           [](const Match& m, std::size_t offset) { return m.offset < offset; });
                const bool clash_after = it != out.end() && it->offset < match.offset + match.length;
                const bool clash_before =
                    it != out.begin() && std::prev(it)->offset + std::prev(it)->length > match.offset;
                if (!clash_after && !clash_before) kind_matches.push_back(match);
            }
        }
        if (kind_matches.empty()) continue;
        // Ranges may overlap (two '@' close together): the same match can be
        // found twice, or out of order. Sorted by offset, the first of
        // overlapping matches stays.
        std::sort(kind_matches.begin(), kind_matches.end(),
                  [](const Match& a, const Match& b) { return a.offset < b.offset || (a.offset == b.offset && a.length > b.length); });
        std::size_t kept = 0;
        for (const Match& m : kind_matches) {
            if (kept > 0 && m.offset < kind_matches[kept - 1].offset + kind_matches[kept - 1].length) continue;
            kind_matches[kept++] = m;
        }
        kind_matches.resize(kept);
        merged.clear();
        merged.reserve(out.size() + kind_matches.size());
        std::merge(out.begin(), out.end(), kind_matches.begin(), kind_matches.end(), std::back_inserter(merged),
                   [](const Match& a, const Match& b) { return a.offset < b.offset; });
        out.swap(merged);
        kind_matches.clear();
    }
}

} // namespace pgscrub::anonymise
