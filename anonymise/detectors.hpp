#pragma once
// Personal-data detectors for free text, shared by `redact` (issue #3) and by
// `scan` / `scrub --verify` (issue #4).
//
// Text is matched as given: callers decode first (COPY escapes, JSON `\u`
// escapes, array element quoting), so `ann\u0040x.org` inside JSON must be
// decoded to `ann@x.org` before it reaches find().
//
// How a search runs: a byte pre-check (counts of digits, capitals, dots,
// colons, '@': each kind needs some, e.g. a phone number 8 digits; a
// password hash two '$'; a secret a run of 19 token bytes, which holds 16
// aligned bytes with no other byte), then one RE2::Set pass over the text
// tells which of the other kinds have candidates, then each such kind's
// own RE2 locates candidates left to right, only in the stretches of text
// where they can be (around each '@' for e-mail, around clusters of digits
// for the digit-based kinds, the whole text for URLs, password hashes and
// secrets), and code validates each: boundaries (no
// match glued to letters or digits), shapes (phone digit counts and
// grouping, dates rejected), Luhn for cards, country length and mod 97 for
// IBANs, octet ranges for IPv4, the fields of each password-hash format
// (numeric iteration counts and costs, base64 lengths), a JWT header that
// decodes to a JSON object with "alg", and for a secret found by its key
// name a value that looks random (not a word, slug, path, number, UUID or
// short hex). Password hashes and secrets are not in the Set: its DFA's
// states are the combinations of every pattern's, and theirs made it
// several times slower for all text, more than their own one pass costs
// (which runs only when the pre-check allows). Overlaps are resolved by
// priority: url_userinfo, password_hash, secret, email, iban, card, ip,
// phone, uk_postcode (digits inside a hash or a token are never reported as
// a phone number or a postcode).
// All regular expressions are compiled once (Detector::shared()); find() is
// const and safe to call from many threads.
//
// The parts: detector_patterns.hpp holds the expressions and compiles them,
// detector_validators.hpp decides each candidate, checksums.hpp has the Luhn
// and IBAN arithmetic (which redact's fakes use too) and synthetic.hpp tells
// a found value in a reserved range from real data; detectors.cpp is the
// search that ties them together (names, pre-check, Set pass, ranges,
// priorities).

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pgscrub::anonymise {

enum class PiiKind : std::uint8_t {
    email,        // ann@example.org, josé.garcía@correo.es, ann@bücher.de, ann@xn--bcher-kva.de
    phone,        // +44 20 7946 0958, 07700 900123, (020) 7946 0958, (555) 123-4567, 555-123-4567
    ip,           // 192.0.2.1, 10.0.0.0/8, 2001:db8::1, ::ffff:192.0.2.1 (a /prefix is part of the match)
    card,         // 13-19 digits, optionally grouped by spaces or dashes, known IIN prefix, Luhn-valid
    iban,         // GB82 WEST 1234 5698 7654 32: known country length, mod 97 == 1
    url_userinfo, // the `user:password` of scheme://user:password@host (the match is the userinfo only)
    uk_postcode,  // SW1A 1AA, M1 1AE, GIR 0AA; without the space only when it is the whole value
    // Stored password hashes: Django's pbkdf2_sha256$/pbkdf2_sha1$, argon2$argon2id$,
    // bcrypt_sha256$$2b$ / bcrypt$$2b$, scrypt$, md5$, sha1$, crypt$; bare bcrypt
    // ($2a$ $2b$ $2y$), PHC argon2 ($argon2id$), unix crypt ($1$ $5$ $6$ $y$).
    // Django's unusable-password marker ("!" + 40 characters) is not one.
    password_hash,
    // Credentials: JWTs (eyJ... with a header holding "alg"), prefixed keys (AWS
    // AKIA/ASIA, GitHub ghp_/gho_/ghu_/ghs_/ghr_/github_pat_, Slack xox?-, Stripe
    // sk_/rk_/pk_live_, sk_/rk_test_, Google AIza, SendGrid SG.), PEM private key
    // blocks, and long random-looking values right after a key name such as token,
    // secret, api_key, access_key, password, auth, session, client_secret or
    // "Authorization: Bearer" (the match is the value only). A bare hex digest,
    // UUID or base64 blob with no key name before it is not one.
    secret,
};
inline constexpr std::size_t pii_kind_count = 9;

// "email", "phone", "ip", "card", "iban", "url_userinfo", "uk_postcode",
// "password_hash", "secret".
const char* pii_kind_name(PiiKind kind);
std::optional<PiiKind> pii_kind_from_name(std::string_view name);
// Every kind's name, in enum order (for messages and did-you-mean).
const std::vector<std::string>& pii_kind_names();

class KindSet {
public:
    constexpr KindSet() = default;
    constexpr KindSet(std::initializer_list<PiiKind> kinds) {
        for (PiiKind kind : kinds) add(kind);
    }
    static constexpr KindSet all() {
        KindSet set;
        set.bits_ = (std::uint32_t{1} << pii_kind_count) - 1;
        return set;
    }
    constexpr KindSet& add(PiiKind kind) {
        bits_ |= bit(kind);
        return *this;
    }
    constexpr bool contains(PiiKind kind) const { return (bits_ & bit(kind)) != 0; }
    constexpr bool empty() const { return bits_ == 0; }
    constexpr std::uint32_t bits() const { return bits_; }
    constexpr bool operator==(const KindSet&) const = default;

private:
    static constexpr std::uint32_t bit(PiiKind kind) { return std::uint32_t{1} << static_cast<unsigned>(kind); }
    std::uint32_t bits_ = 0;
};

// A detected value: bytes [offset, offset + length) of the searched text.
struct Match {
    PiiKind kind = PiiKind::email;
    std::size_t offset = 0;
    std::size_t length = 0;

    std::string_view in(std::string_view text) const { return text.substr(offset, length); }
    bool operator==(const Match&) const = default;
};

class Detector {
public:
    Detector(); // compiles every expression; throws std::logic_error if one does not compile
    ~Detector();
    Detector(const Detector&) = delete;
    Detector& operator=(const Detector&) = delete;

    // The process-wide detector, built on first use (thread-safe).
    static const Detector& shared();

    // Validated, non-overlapping matches of `kinds`, ordered by offset.
    std::vector<Match> find(std::string_view text, KindSet kinds = KindSet::all()) const;
    // The same, appending to `out` (which is cleared first) to reuse its storage.
    void find(std::string_view text, KindSet kinds, std::vector<Match>& out) const;
    // Only the pre-checks and the RE2::Set pass: the kinds that may have a
    // match (a superset; nothing validated). Empty means find() returns
    // nothing. When the pre-check leaves no digit-based kind possible the
    // Set pass is skipped: find() looks for e-mail and URLs around each '@'
    // anyway. Password hashes and secrets are answered by the pre-check alone.
    KindSet candidates(std::string_view text, KindSet kinds = KindSet::all()) const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

} // namespace pgscrub::anonymise
