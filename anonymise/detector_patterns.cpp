#include "anonymise/detector_patterns.hpp"

#include <stdexcept>
#include <string>

namespace pgscrub::anonymise::detection {

namespace {

// Leftmost-first (Perl) semantics with greedy quantifiers: the DFA can stop
// at the end of a match instead of scanning on to the end of the text, as
// leftmost-longest must. Alternatives are ordered so that greedy matching
// takes the whole value.

#define PGS_LOCAL_ATOM R"([\p{L}\p{N}\p{M}_%+\-]+)"
#define PGS_LABEL R"([\p{L}\p{N}](?:[\p{L}\p{N}\p{M}\-]*[\p{L}\p{N}\p{M}])?)"
const std::string email_pattern =
    PGS_LOCAL_ATOM "(?:['.]" PGS_LOCAL_ATOM ")*@(?:" PGS_LABEL R"(\.)+(?:[Xx][Nn]--[A-Za-z0-9\-]+|\p{L}[\p{L}\p{M}]+))";
#undef PGS_LOCAL_ATOM
#undef PGS_LABEL

// The digit-based kinds start with a boundary: the start of the text or a
// character that cannot precede the value (so "01-02" inside "2024-01-02" is
// never a candidate); boundary_length() tells where the value starts.
const std::string phone_pattern =
    // (':' only after a letter: "Tel:07911 123456", not "03:04:05.123456")
    R"((?:^|[^0-9A-Za-z_\-./+@#$\\&%*^~:]|[A-Za-z]:)(?:)"
    // international: +CC, optional (0), groups of digits or (area)
    R"(\+[1-9][0-9]{0,3}(?:[ .\-]?\(0\))?(?:[ .\-]?(?:\([0-9]{1,5}\)|[0-9]{1,6})){1,7})"
    // national with trunk 0: (020) 7946 0958, 020 7946 0958, 07700 900123, 01 23 45 67 89
    R"(|(?:\(0[0-9]{1,4}\)[ .\-]?[0-9]{2,8}|0[0-9]{1,4}[ .\-][0-9]{2,8})(?:[ .\-][0-9]{2,8}){0,3})"
    // North American: (555) 123-4567, 555-123-4567, 1-800-555-0199
    R"(|(?:1[ .\-]?)?(?:\([0-9]{3}\)[ .\-]?|[0-9]{3}[ .\-])[0-9]{3}[ .\-][0-9]{4})"
    ")";

#define PGS_OCTET "(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
#define PGS_V4 PGS_OCTET "(?:\\." PGS_OCTET "){3}"
#define PGS_H "[0-9A-Fa-f]{1,4}"
const std::string ip_pattern =
    "(?:^|[^0-9A-Za-z_.])(?:"
    PGS_V4 "(?:/(?:3[0-2]|[12]?[0-9]))?"
    // IPv6: eight groups, six and an IPv4 tail, or a compressed form with
    // "::" (times like 03:04:05 are neither); inet_pton() has the last word.
    "|(?:(?:" PGS_H ":){7}" PGS_H
    "|(?:" PGS_H ":){6}" PGS_V4
    "|(?:" PGS_H "(?::" PGS_H "){0,6})?::(?:(?:" PGS_H ":){0,6}(?:" PGS_V4 "|" PGS_H "))?"
    ")(?:/(?:12[0-8]|1[01][0-9]|[1-9]?[0-9]))?"
    ")";
#undef PGS_OCTET
#undef PGS_V4
#undef PGS_H

const std::string card_pattern = R"((?:^|[^0-9A-Za-z_\-.+/@#$\\,])[0-9](?:[ \-]?[0-9]){12,18})";

const std::string iban_pattern = R"((?:^|[^0-9A-Za-z])[A-Z]{2}[0-9]{2}(?: ?[A-Z0-9]){11,30})";

// Group 1 is the userinfo: up to the last '@' before the host.
const std::string url_userinfo_pattern = R"([A-Za-z][A-Za-z0-9+.\-]{0,30}://([^\s/?#"'<>\\]+)@[^\s/?#@"'<>\\])";
// The same for the RE2::Set, without the bound on the scheme's length: in an
// unanchored search {0,30} keeps a thread per starting letter alive for 30
// bytes, and every set of them is a DFA state of its own (a new state at
// almost every byte of hex or base64 text: 0.3 MB/s). The Set only tells
// whether the finder may find something, so a superset will do.
const std::string url_userinfo_set_pattern = R"([A-Za-z][A-Za-z0-9+.\-]*://[^\s/?#"'<>\\]+@[^\s/?#@"'<>\\])";

const std::string uk_postcode_pattern =
    R"((?:^|[^0-9A-Za-z])(?:)"
    R"((?:[A-Z]{1,2}[0-9][A-Z0-9]?|GIR) ?[0-9][ABD-HJLNP-UW-Z]{2})"
    R"(|[a-z]{1,2}[0-9][a-z0-9]? [0-9][abd-hjlnp-uw-z]{2})"
    ")";

// Every format starts with a literal ("pbkdf2_sha", "argon2", "$2b$", "$6$",
// ...), so the DFA only counts characters after one. The fields are checked
// in code (check_password_hash); the bounds here only keep candidates short.
const std::string password_hash_pattern =
    // Django: pbkdf2_sha256$<iterations>$<salt>$<base64 hash>
    R"((?:pbkdf2_sha(?:256|1)\$[0-9]{1,10}\$[A-Za-z0-9./+=_\-]{1,128}\$[A-Za-z0-9+/]{16,}={0,2})"
    // Django argon2$argon2id$v=19$m=..,t=..,p=..$<salt>$<hash>, and the bare PHC string
    R"(|(?:argon2)?\$argon2(?:id|i|d)\$(?:v=[0-9]{1,3}\$)?m=[0-9]{1,10},t=[0-9]{1,10},p=[0-9]{1,3})"
    R"(\$[A-Za-z0-9+/]{8,}={0,2}\$[A-Za-z0-9+/]{16,}={0,2})"
    // bcrypt, bare or Django's bcrypt$ / bcrypt_sha256$ prefix: $2b$12$ + 22 salt + 31 hash
    R"(|(?:bcrypt(?:_sha256)?\$)?\$2[abxy]?\$[0-9]{2}\$[./A-Za-z0-9]{53})"
    // Django scrypt$<salt>$<n>$<r>$<p>$<hash>
    R"(|scrypt\$[A-Za-z0-9./+=_\-]{1,128}\$[0-9]{1,10}\$[0-9]{1,4}\$[0-9]{1,4}\$[A-Za-z0-9+/]{16,}={0,2})"
    // Django md5$<salt>$<32 hex>, sha1$<salt>$<40 hex> (sha1$$<hex> unsalted), crypt$$<13>
    R"(|(?:md5|sha1)\$[A-Za-z0-9./+=_\-]{0,128}\$[0-9a-f]{32,}|crypt\$[./A-Za-z0-9]{0,16}\$[./A-Za-z0-9]{13,})"
    // unix crypt: $1$ (MD5), $5$ (SHA-256), $6$ (SHA-512) with optional rounds=, $y$ (yescrypt)
    R"(|\$[156]\$(?:rounds=[0-9]{1,10}\$)?[./A-Za-z0-9]{1,16}\$[./A-Za-z0-9]{22,})"
    R"(|\$y\$[./A-Za-z0-9]{1,32}\$[./A-Za-z0-9]{1,64}\$[./A-Za-z0-9]{43,}))";

// A key name and its separator (= : => := "key": "  'key' => '  or blanks),
// after which a secret's value starts.
const std::string secret_key_pattern =
    R"((?i:(?:api[_\-]?key|access[_\-]?key|secret[_\-]?key|private[_\-]?key|secret|token|passw(?:or)?d|pwd|auth)"
    R"(|session(?:[_\-]?(?:id|key))?|bearer))"
    R"((?:["']?[ \t]*(?:=>|:=|[:=])[ \t]*["']?|[ \t]+))"
    R"(|authorization["']?[ \t]*[:=][ \t]*["']?(?:basic|digest)[ \t]+))";

// Either a key name and its value, or a secret known by its shape. Found
// without captures (with them RE2 backtracks over this large program at some
// 10 µs a match): where a match starts with secret_key_pattern, the value is
// the rest. Every secret holds a run of at least 19 token bytes
// ([A-Za-z0-9_+/=-]), which the pre-check looks for (a PEM block's is in its
// body, which check_secret requires).
const std::string secret_pattern =
    // the value: base64/base64url characters, in pieces joined by . : ~ (a
    // JWT, a signed value, Google's ya29.<token>); check_secret wants it
    // random-looking, with a piece of secret_run characters
    "(?:" + secret_key_pattern + R"()[A-Za-z0-9+/_\-]+={0,2}(?:[.:~][A-Za-z0-9+/_\-]+={0,2})*)"
    // JWT (JWS and JWE): base64url segments, the header a JSON object ({" is eyJ)
    R"(|eyJ[A-Za-z0-9_\-]{16,}(?:\.[A-Za-z0-9_\-]*){2,4})"
    // AWS access key ids, GitHub, Slack, Stripe, Google API keys, SendGrid
    R"(|A(?:KI|SI)A[A-Z0-9]{16}|gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})"
    R"(|xox[abprs]-[A-Za-z0-9\-]{14,}|(?:sk|rk|pk)_live_[A-Za-z0-9]{16,}|(?:sk|rk)_test_[A-Za-z0-9]{16,})"
    R"(|AIza[A-Za-z0-9_\-]{35}|SG\.[A-Za-z0-9_\-]{22}\.[A-Za-z0-9_\-]{43})"
    // a PEM private key: the header here, the body and footer in code
    R"(|-----BEGIN [A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----)";

// The kinds the RE2::Set answers for. A password hash or a secret is looked
// for only when the pre-check allows one, by its own expression over the
// whole text; in the Set, their expressions made the Set's DFA several times
// slower for every text (its states are the combinations of every
// pattern's), more than their own passes cost.
constexpr std::array<PiiKind, 7> set_kinds = {
    PiiKind::email, PiiKind::phone, PiiKind::ip, PiiKind::card, PiiKind::iban, PiiKind::url_userinfo, PiiKind::uk_postcode,
};

const std::string& pattern_for(PiiKind kind) {
    switch (kind) {
    case PiiKind::email: return email_pattern;
    case PiiKind::phone: return phone_pattern;
    case PiiKind::ip: return ip_pattern;
    case PiiKind::card: return card_pattern;
    case PiiKind::iban: return iban_pattern;
    case PiiKind::url_userinfo: return url_userinfo_pattern;
    case PiiKind::uk_postcode: return uk_postcode_pattern;
    case PiiKind::password_hash: return password_hash_pattern;
    case PiiKind::secret: return secret_pattern;
    }
    return email_pattern;
}

RE2::Options options() {
    RE2::Options o;
    o.set_encoding(RE2::Options::EncodingUTF8);
    o.set_log_errors(false);
    o.set_max_mem(64 << 20);
    return o;
}

} // namespace

CompiledPatterns::CompiledPatterns() : set(options(), RE2::UNANCHORED) {
    for (std::size_t i = 0; i < pii_kind_count; ++i) {
        const auto kind = static_cast<PiiKind>(i);
        finders[i] = std::make_unique<RE2>(pattern_for(kind), options());
        if (!finders[i]->ok())
            throw std::logic_error(std::string("detector ") + pii_kind_name(kind) + ": " + finders[i]->error());
    }
    secret_key = std::make_unique<RE2>(secret_key_pattern, options());
    if (!secret_key->ok()) throw std::logic_error("detector secret key name: " + secret_key->error());
    for (PiiKind kind : set_kinds) {
        std::string error;
        const std::string& pattern = kind == PiiKind::url_userinfo ? url_userinfo_set_pattern : pattern_for(kind);
        const int index = set.Add(pattern, &error);
        if (index < 0) throw std::logic_error(std::string("detector set ") + pii_kind_name(kind) + ": " + error);
        set_kind[static_cast<std::size_t>(index)] = kind;
    }
    if (!set.Compile()) throw std::logic_error("detector set does not compile");
}

} // namespace pgscrub::anonymise::detection
