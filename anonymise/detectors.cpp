#include "anonymise/detectors.hpp"

#include "common/interrupts.hpp"

#include <re2/re2.h>
#include <re2/set.h>

#include <arpa/inet.h>

#include <algorithm>
#include <iterator>
#include <cstring>
#include <array>
#include <stdexcept>

namespace pgscrub::anonymise {

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

// ---- the expressions (RE2 syntax) --------------------------------------------
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

// ---- small helpers ----------------------------------------------------------

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
bool is_lower(char c) { return c >= 'a' && c <= 'z'; }
bool is_alnum(char c) { return is_digit(c) || is_upper(c) || is_lower(c); }
char to_lower(char c) { return is_upper(c) ? static_cast<char>(c - 'A' + 'a') : c; }
bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'; }

char at(std::string_view text, std::size_t i) { return i < text.size() ? text[i] : '\0'; }
char before(std::string_view text, std::size_t i) { return i > 0 ? text[i - 1] : '\0'; }
bool one_of(char c, std::string_view set) { return c != '\0' && set.find(c) != std::string_view::npos; }

// A currency sign right before a number (£ U+00A3, € U+20AC, ¥ U+00A5).
bool currency_before(std::string_view text, std::size_t i) {
    if (i >= 2 && text[i - 2] == '\xC2' && (text[i - 1] == '\xA3' || text[i - 1] == '\xA5')) return true;
    return i >= 3 && text.substr(i - 3, 3) == "\xE2\x82\xAC";
}

std::string digits_of(std::string_view s) {
    std::string digits;
    for (char c : s)
        if (is_digit(c)) digits.push_back(c);
    return digits;
}

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }
bool ends_with(std::string_view s, std::string_view suffix) {
    return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// Runs of digits in a candidate: where each ends (absolute offset) and its length.
struct DigitRun {
    std::size_t end;
    std::size_t length;
    char separator_before; // the character right before the run ('\0' for the first)
};

std::vector<DigitRun> digit_runs(std::string_view text, std::size_t start, std::size_t end) {
    std::vector<DigitRun> runs;
    std::size_t i = start;
    while (i < end) {
        if (!is_digit(text[i])) {
            ++i;
            continue;
        }
        const char sep = i > start ? text[i - 1] : '\0';
        std::size_t j = i;
        while (j < end && is_digit(text[j])) ++j;
        runs.push_back({j, j - i, sep});
        i = j;
    }
    return runs;
}

// ---- validators per kind: the end of the accepted match, or nullopt --------

std::optional<std::size_t> check_email(std::string_view text, std::size_t start, std::size_t end) {
    const char after = at(text, end);
    if (is_alnum(after) || one_of(after, "-_@")) return std::nullopt;
    // logo@2x.png, sprite@3x.webp: file names, not addresses (no such top-level domains).
    const std::string_view value = text.substr(start, end - start);
    std::string tld(value.substr(value.rfind('.') + 1));
    for (char& c : tld) c = to_lower(c);
    static constexpr std::array<std::string_view, 18> file_extensions = {
        "png", "jpg", "jpeg", "gif", "svg", "webp", "bmp", "ico", "tif", "tiff",
        "css", "js", "json", "html", "htm", "xml", "pdf", "txt",
    };
    for (auto extension : file_extensions)
        if (tld == extension) return std::nullopt;
    return end;
}

bool date_like(const std::vector<DigitRun>& runs) {
    if (runs.size() < 3) return false;
    const char s1 = runs[1].separator_before;
    const char s2 = runs[2].separator_before;
    if (s1 != s2 || !one_of(s1, "-./")) return false;
    const auto small = [](std::size_t n) { return n == 1 || n == 2; };
    return (small(runs[0].length) && small(runs[1].length) && runs[2].length == 4) ||
           (runs[0].length == 4 && small(runs[1].length) && small(runs[2].length));
}

std::optional<std::size_t> check_phone(std::string_view text, std::size_t start, std::size_t end) {
    const char prev = before(text, start);
    if (is_alnum(prev) || one_of(prev, "_-./+@#$\\&%*^~") || currency_before(text, start)) return std::nullopt;
    const bool international = text[start] == '+';
    const bool idd = !international && text.substr(start, 2) == "00"; // 0044 20 7946 0958
    const std::string_view candidate = text.substr(start, end - start);
    const std::size_t trunk = international ? candidate.find("(0)") : std::string_view::npos;
    const bool parens = candidate.find('(') != std::string_view::npos;
    const auto runs = digit_runs(text, start, end);
    if (!international && date_like(runs)) return std::nullopt;
    std::size_t digits = 0;
    std::vector<std::size_t> cumulative;
    for (const auto& run : runs) cumulative.push_back(digits += run.length);
    for (std::size_t k = runs.size(); k >= 1; --k) {
        std::size_t e = runs[k - 1].end;
        std::size_t count = cumulative[k - 1];
        if (trunk != std::string_view::npos && start + trunk < e) --count; // the (0) is not dialled
        if (international ? (count < 8 || count > 15) : idd ? (count < 10 || count > 17) : (count < 9 || count > 12))
            continue;
        if (!international && k < 2 && !parens) continue; // national forms need grouping
        const char after = at(text, e);
        if (is_alnum(after) || one_of(after, "_@")) continue;
        if (one_of(after, "-./:,") && is_digit(at(text, e + 1))) continue; // 2024-01-02 ..., 1.2.3.4, 12:30
        return e;
    }
    return std::nullopt;
}

bool known_iin(std::string_view d) {
    if (d.size() < 4) return false;
    const int two = (d[0] - '0') * 10 + (d[1] - '0');
    const int four = two * 100 + (d[2] - '0') * 10 + (d[3] - '0');
    switch (d[0]) {
    case '2': return (four >= 2200 && four <= 2204) || (four >= 2221 && four <= 2720); // Mir, Mastercard
    case '3': return two == 30 || (two >= 34 && two <= 39);                            // Diners, JCB, Amex
    case '4': return true;                                                             // Visa
    case '5': return two >= 50 && two <= 58;                                           // Mastercard, Maestro
    case '6': return true;                                                             // Discover, Maestro, UnionPay
    default: return false;
    }
}

bool card_shape(const std::vector<DigitRun>& runs, std::size_t k) {
    if (k == 1) return true;
    if (k == 3 && runs[0].length == 4 && runs[1].length == 6 && (runs[2].length == 5 || runs[2].length == 4))
        return true; // Amex 4-6-5, Diners 4-6-4
    for (std::size_t i = 0; i + 1 < k; ++i)
        if (runs[i].length != 4) return false;
    return runs[k - 1].length >= 1 && runs[k - 1].length <= 4;
}

std::optional<std::size_t> check_card(std::string_view text, std::size_t start, std::size_t end) {
    const char prev = before(text, start);
    if (is_alnum(prev) || one_of(prev, "_-.+/@#$\\,") || currency_before(text, start)) return std::nullopt;
    const auto runs = digit_runs(text, start, end);
    const char separator = runs.size() > 1 ? runs[1].separator_before : '\0';
    for (std::size_t i = 2; i < runs.size(); ++i)
        if (runs[i].separator_before != separator) return std::nullopt;
    std::string digits = digits_of(text.substr(start, end - start));
    std::size_t count = digits.size();
    for (std::size_t k = runs.size(); k >= 1; --k) {
        const std::size_t e = runs[k - 1].end;
        if (k < runs.size()) count -= runs[k].length;
        if (count < 13 || count > 19 || !card_shape(runs, k)) continue;
        const char after = at(text, e);
        if (is_alnum(after) || after == '_') continue;
        if (one_of(after, "-.,/:") && is_digit(at(text, e + 1))) continue;
        const std::string_view d(digits.data(), count);
        if (known_iin(d) && luhn_valid(d)) return e;
    }
    return std::nullopt;
}

std::optional<std::size_t> check_ip(std::string_view text, std::size_t start, std::size_t end) {
    const std::string_view candidate = text.substr(start, end - start);
    const std::size_t slash = candidate.find('/');
    const std::string address(candidate.substr(0, slash));
    const bool v6 = address.find(':') != std::string::npos;
    const char prev = before(text, start);
    if (is_alnum(prev) || one_of(prev, "_.") || (v6 && prev == ':')) return std::nullopt;
    const char after = at(text, end);
    if (is_alnum(after) || after == '_') return std::nullopt;
    if (one_of(after, ".") && is_digit(at(text, end + 1))) return std::nullopt;
    if (v6) {
        if (after == ':' || after == '.') {
            if (after == ':' || is_digit(at(text, end + 1))) return std::nullopt;
        }
        unsigned char buffer[16];
        if (inet_pton(AF_INET6, address.c_str(), buffer) != 1) return std::nullopt;
        int groups = 0;
        bool digit = false;
        bool in_group = false;
        for (char c : address) {
            if (c == ':' || c == '.') {
                in_group = false;
            } else if (!in_group) {
                in_group = true;
                ++groups;
            }
            digit = digit || is_digit(c);
        }
        if (groups < 2 || !digit) return std::nullopt;
    }
    return end;
}

int iban_char_value(char c) {
    if (is_digit(c)) return c - '0';
    if (is_upper(c)) return c - 'A' + 10;
    if (is_lower(c)) return c - 'a' + 10;
    return -1;
}

// The remainder mod 97 of the number spelt by `s` with letters as 10..35.
int mod97(std::string_view s) {
    int r = 0;
    for (char c : s) {
        const int v = iban_char_value(c);
        if (v < 0) return -1;
        r = v >= 10 ? (r * 100 + v) % 97 : (r * 10 + v) % 97;
    }
    return r;
}

std::optional<std::size_t> check_iban(std::string_view text, std::size_t start, std::size_t end) {
    if (is_alnum(before(text, start))) return std::nullopt;
    const int length = iban_length(text.substr(start, 2));
    if (length == 0) return std::nullopt;
    std::string compact;
    std::size_t e = start;
    while (e < end && static_cast<int>(compact.size()) < length) {
        if (text[e] != ' ') compact.push_back(text[e]);
        ++e;
    }
    if (static_cast<int>(compact.size()) != length || is_alnum(at(text, e))) return std::nullopt;
    if (!iban_valid(compact)) return std::nullopt;
    return e;
}

std::optional<std::size_t> check_uk_postcode(std::string_view text, std::size_t start, std::size_t end) {
    if (is_alnum(before(text, start)) || is_alnum(at(text, end))) return std::nullopt;
    const std::string_view candidate = text.substr(start, end - start);
    if (candidate.find(' ') == std::string_view::npos) {
        // SW1A1AA only as a whole value (a postcode column), never inside prose or codes.
        std::size_t a = 0;
        std::size_t b = text.size();
        while (a < b && is_space(text[a])) ++a;
        while (b > a && is_space(text[b - 1])) --b;
        if (a != start || b != end) return std::nullopt;
    }
    return end;
}

// ---- password hashes -----------------------------------------------------------

bool is_b64(char c) { return is_alnum(c) || c == '+' || c == '/'; }
bool is_b64url(char c) { return is_alnum(c) || c == '-' || c == '_'; }
bool is_crypt64(char c) { return is_alnum(c) || c == '.' || c == '/'; }
bool is_hex_lower(char c) { return is_digit(c) || (c >= 'a' && c <= 'f'); }
bool is_hex(char c) { return is_hex_lower(c) || (c >= 'A' && c <= 'F'); }

template <typename Pred>
bool all_of(std::string_view s, Pred pred) {
    for (char c : s)
        if (!pred(c)) return false;
    return true;
}

// The number spelt by 1 to 10 digits without a leading zero, or nullopt.
std::optional<std::uint64_t> number_of(std::string_view s) {
    if (s.empty() || s.size() > 10 || (s[0] == '0' && s.size() > 1) || !all_of(s, is_digit)) return std::nullopt;
    std::uint64_t n = 0;
    for (char c : s) n = n * 10 + static_cast<std::uint64_t>(c - '0');
    return n;
}

// The byte count of standard base64 with optional '=' padding (nullopt when
// the length is impossible or a character is not base64).
std::optional<std::size_t> base64_bytes(std::string_view s, bool (*alphabet)(char) = is_b64) {
    while (!s.empty() && s.back() == '=') s.remove_suffix(1);
    if (s.empty() || s.size() % 4 == 1 || !all_of(s, alphabet)) return std::nullopt;
    return s.size() / 4 * 3 + (s.size() % 4 == 0 ? 0 : s.size() % 4 - 1);
}

std::vector<std::string_view> split(std::string_view s, char separator) {
    std::vector<std::string_view> parts;
    std::size_t from = 0;
    for (;;) {
        const std::size_t at_sep = s.find(separator, from);
        parts.push_back(s.substr(from, at_sep == std::string_view::npos ? std::string_view::npos : at_sep - from));
        if (at_sep == std::string_view::npos) return parts;
        from = at_sep + 1;
    }
}

// m=65536,t=3,p=4: every number present and positive.
bool argon2_parameters(std::string_view s) {
    const auto parts = split(s, ',');
    if (parts.size() != 3) return false;
    const char names[3] = {'m', 't', 'p'};
    for (std::size_t i = 0; i < 3; ++i) {
        if (parts[i].size() < 3 || parts[i][0] != names[i] || parts[i][1] != '=') return false;
        const auto n = number_of(parts[i].substr(2));
        if (!n || *n == 0) return false;
    }
    return true;
}

// The fields of each format, split at '$' (the expression let only the
// right characters through; the counts, lengths and numbers are checked
// here). The length of the hash, or nullopt: a '.' that ends a sentence after
// a crypt hash of fixed length is not part of it.
std::optional<std::size_t> password_hash_length(std::string_view value) {
    const auto f = split(value, '$');
    const std::string_view algorithm = f[0];
    const auto last_is = [&](std::size_t length) -> std::optional<std::size_t> {
        const std::string_view hash = f.back();
        if (hash.size() < length || !all_of(hash.substr(length), [](char c) { return c == '.'; }))
            return std::nullopt;
        return value.size() - (hash.size() - length);
    };
    const auto whole = [&](bool ok) { return ok ? std::optional<std::size_t>(value.size()) : std::nullopt; };
    if (algorithm == "pbkdf2_sha256" || algorithm == "pbkdf2_sha1") {
        if (f.size() != 4 || f[2].empty()) return std::nullopt;
        const auto iterations = number_of(f[1]);
        const auto bytes = base64_bytes(f[3]);
        return whole(iterations && *iterations > 0 && bytes && *bytes >= 16 && *bytes <= 64);
    }
    if (algorithm == "argon2" || (algorithm.empty() && f.size() > 1 && starts_with(f[1], "argon2"))) {
        // [argon2|""] argon2id [v=19] m=..,t=..,p=.. salt hash
        std::size_t i = 2;
        if (f.size() > i && starts_with(f[i], "v=")) {
            if (!number_of(f[i].substr(2))) return std::nullopt;
            ++i;
        }
        if (f.size() != i + 3 || !argon2_parameters(f[i])) return std::nullopt;
        const auto salt = base64_bytes(f[i + 1]);
        const auto hash = base64_bytes(f[i + 2]);
        return whole(salt && *salt >= 6 && hash && *hash >= 12);
    }
    if (algorithm == "bcrypt" || algorithm == "bcrypt_sha256" || (algorithm.empty() && f.size() == 4)) {
        // [bcrypt|bcrypt_sha256] "" 2b 12 <53>, or "" 2b 12 <53>
        const std::size_t i = algorithm.empty() ? 1 : 2;
        if (!algorithm.empty() && (f.size() != 5 || !f[1].empty())) return std::nullopt;
        if (starts_with(f[i], "2") && f[i].size() <= 2 && f.size() == i + 3) {
            const auto cost = number_of(f[i + 1]);
            return whole(f[i + 1].size() == 2 && cost && *cost >= 4 && *cost <= 31 && f[i + 2].size() == 53 &&
                         all_of(f[i + 2], is_crypt64));
        }
        if (!algorithm.empty()) return std::nullopt;
        // "" 1|5|6 salt hash: unix crypt without rounds= (below)
    }
    if (algorithm == "scrypt") {
        if (f.size() != 6 || f[1].empty()) return std::nullopt;
        const auto n = number_of(f[2]);
        const auto r = number_of(f[3]);
        const auto p = number_of(f[4]);
        const auto bytes = base64_bytes(f[5]);
        return whole(n && *n >= 2 && (*n & (*n - 1)) == 0 && r && *r > 0 && p && *p > 0 && bytes && *bytes >= 16);
    }
    if (algorithm == "md5" || algorithm == "sha1") {
        const std::size_t length = algorithm == "md5" ? 32 : 40;
        return whole(f.size() == 3 && f[2].size() == length && all_of(f[2], is_hex_lower));
    }
    if (algorithm == "crypt") return f.size() == 3 ? last_is(13) : std::nullopt;
    if (algorithm.empty() && f.size() >= 4) {
        // "" 1|5|6 [rounds=N] salt hash, "" y params salt hash
        const std::string_view id = f[1];
        if (id == "y") return f.size() == 5 && !f[2].empty() && !f[3].empty() ? last_is(43) : std::nullopt;
        std::size_t i = 2;
        if (id != "1" && f.size() == 5 && starts_with(f[2], "rounds=")) {
            const auto rounds = number_of(f[2].substr(7));
            if (!rounds || *rounds < 1000) return std::nullopt;
            ++i;
        }
        if (f.size() != i + 2 || f[i].empty()) return std::nullopt;
        const std::size_t salt = f[i].size();
        if (id == "1") return salt <= 8 ? last_is(22) : std::nullopt;
        if (id == "5") return salt <= 16 ? last_is(43) : std::nullopt;
        if (id == "6") return salt <= 16 ? last_is(86) : std::nullopt;
    }
    return std::nullopt;
}

std::optional<std::size_t> check_password_hash(std::string_view text, std::size_t start, std::size_t end) {
    const char prev = before(text, start);
    if (is_alnum(text[start]) && (is_alnum(prev) || prev == '_')) return std::nullopt; // xpbkdf2_sha256$...
    const auto length = password_hash_length(text.substr(start, end - start));
    if (!length) return std::nullopt;
    end = start + *length;
    const char after = at(text, end);
    if (is_alnum(after) || one_of(after, "$+/_")) return std::nullopt;
    if (one_of(after, ".-=") && is_alnum(at(text, end + 1))) return std::nullopt;
    return end;
}

// ---- secrets ------------------------------------------------------------------------

// A secret holds at least this many token bytes in a row (every alternative
// of secret_pattern does, and check_secret asks it of a PEM block's body);
// such a run holds 4 aligned groups of 4 token bytes, which the pre-check
// looks for.
constexpr std::size_t secret_run = 19;

bool uuid_shaped(std::string_view s) {
    if (s.size() != 36) return false;
    for (std::size_t i = 0; i < 36; ++i) {
        const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash ? s[i] != '-' : !is_hex(s[i])) return false;
    }
    return true;
}

// A piece of an identifier, slug or path rather than random characters: a
// number, or letters (then perhaps digits, as in "session2024") whose small
// letters come in runs of two or more, as words do ("getUserSession", "HTML",
// "Wednesday"); random base64 has small letters alone and digits between
// letters.
bool wordish(std::string_view piece) {
    std::size_t letters = 0;
    while (letters < piece.size() && !is_digit(piece[letters])) ++letters;
    if (!all_of(piece.substr(letters), is_digit)) return false; // a digit between letters
    if (letters <= 1) return true;
    std::size_t i = 0;
    while (i < letters) {
        std::size_t j = i;
        const bool lower = is_lower(piece[i]);
        while (j < letters && is_lower(piece[j]) == lower) ++j;
        if (lower && j - i == 1) return false;
        i = j;
    }
    return true;
}

// A value after a key name: 20 or more base64 characters that look random, or
// 32 or more hex digits. Not a number, a UUID, a short hex string, a word, a
// slug or a path.
bool random_looking(std::string_view value) {
    std::string_view core = value;
    while (!core.empty() && core.back() == '=') core.remove_suffix(1);
    if (all_of(core, is_digit) || uuid_shaped(core)) return false;
    if (all_of(core, is_hex)) return core.size() >= 32;
    if (core.size() < 20) return false;
    std::size_t alnum = 0;
    std::size_t random = 0; // characters in pieces that are not word-like
    std::size_t i = 0;
    while (i < core.size()) {
        std::size_t j = i;
        while (j < core.size() && is_alnum(core[j])) ++j;
        if (j > i) {
            alnum += j - i;
            if (!wordish(core.substr(i, j - i))) random += j - i;
        }
        i = j + 1; // over a separator: - _ + / . : ~ =
    }
    return random >= 10 && random * 2 >= alnum;
}

// Decoded base64url (no padding needed), or nullopt.
std::optional<std::string> base64url_decode(std::string_view s) {
    if (!base64_bytes(s, is_b64url)) return std::nullopt;
    const auto value = [](char c) -> unsigned {
        if (is_upper(c)) return static_cast<unsigned>(c - 'A');
        if (is_lower(c)) return static_cast<unsigned>(c - 'a' + 26);
        if (is_digit(c)) return static_cast<unsigned>(c - '0' + 52);
        return c == '-' ? 62u : 63u;
    };
    std::string out;
    unsigned buffer = 0;
    int bits = 0;
    for (char c : s) {
        buffer = (buffer << 6) | value(c);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out.push_back(static_cast<char>((buffer >> bits) & 0xFF));
        }
    }
    return out;
}

// header.payload.signature (a JWE has five parts): the header a JSON object
// naming its "alg", the payload not empty. The end of the token: a '.' that
// ends a sentence is not part of it.
std::optional<std::size_t> jwt_end(std::string_view text, std::size_t start, std::size_t end) {
    auto parts = split(text.substr(start, end - start), '.');
    if ((parts.size() == 4 || parts.size() == 6) && parts.back().empty()) {
        parts.pop_back();
        --end;
    }
    if (parts.size() != 3 && parts.size() != 5) return std::nullopt;
    if (parts[1].empty()) return std::nullopt;
    const auto header = base64url_decode(parts[0]);
    if (!header || header->size() < 10 || header->substr(0, 2) != "{\"" || header->back() != '}') return std::nullopt;
    if (header->find("\"alg\"") == std::string::npos) return std::nullopt;
    return end;
}

// A PEM private key: from the header on over the body (base64 lines, the
// Proc-Type/DEK-Info lines of an encrypted key, "\n" escapes of a JSON
// string) to the end of the -----END ...----- line, or to the end of the body
// when the footer is missing. The body must hold a run of secret_run base64
// characters (a key's lines are 64).
std::optional<std::size_t> pem_block_end(std::string_view text, std::size_t header_end) {
    std::size_t i = header_end;
    std::size_t last = header_end; // after the last body character that is not blank
    std::size_t run = 0;
    std::size_t longest = 0;
    const std::size_t n = text.size();
    while (i < n && text.substr(i, 5) != "-----") {
        const char c = text[i];
        if (is_b64(c) || c == '=') {
            longest = std::max(longest, ++run);
        } else if (is_space(c) || one_of(c, ":,.-\\")) {
            run = 0;
        } else {
            break;
        }
        if (!is_space(c)) last = i + 1;
        ++i;
    }
    if (longest < secret_run) return std::nullopt;
    if (text.substr(i, 9) == "-----END ") {
        const std::size_t close = text.find("-----", i + 9);
        if (close != std::string_view::npos && close - i <= 80) return close + 5;
    }
    return last;
}

// The longest run of token bytes ([A-Za-z0-9_+/=-]) in `s`.
std::size_t longest_token_run(std::string_view s) {
    std::size_t longest = 0;
    std::size_t run = 0;
    for (char c : s) {
        run = is_alnum(c) || one_of(c, "_+/=-") ? run + 1 : 0;
        longest = std::max(longest, run);
    }
    return longest;
}

std::optional<std::size_t> check_secret(std::string_view text, std::size_t start, std::size_t end, bool after_key) {
    const std::string_view value = text.substr(start, end - start);
    if (after_key) {
        if (longest_token_run(value) < secret_run || !random_looking(value)) return std::nullopt;
        return end;
    }
    if (value[0] == '-') return pem_block_end(text, end);
    const char prev = before(text, start);
    const char after = at(text, end);
    if (is_alnum(prev) || prev == '_' || is_alnum(after) || after == '_') return std::nullopt;
    if (value[0] == 'e') { // eyJ...: a JWT
        if (one_of(prev, "-+") || one_of(after, "-+/=")) return std::nullopt;
        return jwt_end(text, start, end);
    }
    // Fixed lengths: no more key characters may follow.
    if ((starts_with(value, "AIza") || starts_with(value, "SG.")) && after == '-') return std::nullopt;
    if (starts_with(value, "xox")) { // Slack: numbered parts
        if (value.find_first_of("0123456789", 5) == std::string_view::npos) return std::nullopt;
    }
    return end;
}

bool reserved_domain(std::string_view domain_raw) {
    std::string domain;
    domain.reserve(domain_raw.size());
    for (char c : domain_raw) domain.push_back(to_lower(c));
    while (!domain.empty() && domain.back() == '.') domain.pop_back();
    for (std::string_view base : {"example.com", "example.org", "example.net"})
        if (domain == base || ends_with(domain, "." + std::string(base))) return true;
    const std::size_t dot = domain.rfind('.');
    const std::string_view tld = std::string_view(domain).substr(dot == std::string::npos ? 0 : dot + 1);
    return tld == "example" || tld == "test" || tld == "invalid" || tld == "localhost";
}

bool synthetic_phone(std::string_view value) {
    std::string v(value);
    const bool plus = !v.empty() && v[0] == '+';
    if (const std::size_t trunk = v.find("(0)"); plus && trunk != std::string::npos) v.erase(trunk, 3);
    std::string d = digits_of(v);
    const bool international = plus || starts_with(d, "00");
    if (!plus && international) d.erase(0, 2);
    std::string national; // UK, with trunk 0
    std::string nanp;     // ten digits
    if (international) {
        if (starts_with(d, "44")) national = "0" + d.substr(2);
        else if (starts_with(d, "1")) nanp = d.substr(1);
    } else if (starts_with(d, "0")) {
        national = d;
    } else if (d.size() == 11 && d[0] == '1') {
        nanp = d.substr(1);
    } else {
        nanp = d;
    }
    if (!national.empty()) {
        // Ofcom numbers reserved for drama (TV, radio, film, books).
        static constexpr std::array<std::string_view, 19> ranges = {
            "07700900", "01134960", "01144960", "01154960", "01164960", "01174960", "01184960",
            "01214960", "01314960", "01414960", "01514960", "01614960", "02079460", "02896496",
            "02920180", "01632960", "08081570", "09098790", "03069990",
        };
        for (auto prefix : ranges)
            if (starts_with(national, prefix)) return true;
        return false;
    }
    return nanp.size() == 10 && nanp.substr(3, 3) == "555" && nanp.substr(6, 2) == "01";
}

bool synthetic_ip(std::string_view value) {
    const std::string address(value.substr(0, value.find('/')));
    unsigned char b[16];
    if (address.find(':') == std::string::npos) {
        if (inet_pton(AF_INET, address.c_str(), b) != 1) return false;
        return (b[0] == 192 && b[1] == 0 && b[2] == 2) || (b[0] == 198 && b[1] == 51 && b[2] == 100) ||
               (b[0] == 203 && b[1] == 0 && b[2] == 113);
    }
    if (inet_pton(AF_INET6, address.c_str(), b) != 1) return false;
    if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8) return true;
    // ::ffff:192.0.2.1 and friends
    bool mapped = b[10] == 0xff && b[11] == 0xff;
    for (int i = 0; i < 10; ++i) mapped = mapped && b[i] == 0;
    if (mapped) {
        return (b[12] == 192 && b[13] == 0 && b[14] == 2) || (b[12] == 198 && b[13] == 51 && b[14] == 100) ||
               (b[12] == 203 && b[13] == 0 && b[14] == 113);
    }
    return false;
}

bool synthetic_card(std::string_view value) {
    const std::string d = digits_of(value);
    static constexpr std::array<std::string_view, 16> test_numbers = {
        "4111111111111111", "4242424242424242", "4012888888881881", "4000056655665556",
        "5555555555554444", "5105105105105100", "2223003122003222", "378282246310005",
        "371449635398431",  "6011111111111117", "6011000990139424", "30569309025904",
        "38520000023237",   "3566002020360505", "6200000000000005", "4222222222222",
    };
    for (auto number : test_numbers)
        if (d == number) return true;
    return starts_with(d, "411111") || starts_with(d, "378282") || starts_with(d, "305693");
}

bool synthetic_iban(std::string_view value) {
    std::string compact;
    for (char c : value)
        if (c != ' ') compact.push_back(c);
    if (compact.size() >= 8 && compact.substr(4, 4) == "ZZZZ") return true;
    static constexpr std::array<std::string_view, 5> specimens = {
        "GB82WEST12345698765432", "GB29NWBK60161331926819", "DE89370400440532013000",
        "FR1420041010050500013M02606", "NL91ABNA0417164300",
    };
    for (auto specimen : specimens)
        if (compact == specimen) return true;
    return false;
}

bool synthetic_url_userinfo(const Match& match, std::string_view text) {
    const std::string_view userinfo = match.in(text);
    const std::size_t colon = userinfo.find(':');
    if (colon != std::string_view::npos && userinfo.substr(colon + 1) == "redacted") return true;
    std::size_t host_start = match.offset + match.length + 1; // after '@'
    std::size_t host_end = host_start;
    while (host_end < text.size() && !one_of(text[host_end], "/?#:") && !is_space(text[host_end])) ++host_end;
    return host_start < text.size() && reserved_domain(text.substr(host_start, host_end - host_start));
}

// redact's "redacted-secret-" + 8 hex, and AWS's documentation keys
// (AKIAIOSFODNN7EXAMPLE, wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY).
bool synthetic_secret(std::string_view value) {
    constexpr std::string_view prefix = "redacted-secret-";
    if (value.size() == prefix.size() + 8 && starts_with(value, prefix) && all_of(value.substr(prefix.size()), is_hex_lower))
        return true;
    return value.find("EXAMPLE") != std::string_view::npos;
}

struct IbanCountry {
    char code[3];
    int length;
};

// SWIFT IBAN registry lengths.
constexpr IbanCountry iban_countries[] = {
    {"AD", 24}, {"AE", 23}, {"AL", 28}, {"AT", 20}, {"AZ", 28}, {"BA", 20}, {"BE", 16}, {"BG", 22},
    {"BH", 22}, {"BI", 27}, {"BR", 29}, {"BY", 28}, {"CH", 21}, {"CR", 22}, {"CY", 28}, {"CZ", 24},
    {"DE", 22}, {"DJ", 27}, {"DK", 18}, {"DO", 28}, {"EE", 20}, {"EG", 29}, {"ES", 24}, {"FI", 18},
    {"FK", 18}, {"FO", 18}, {"FR", 27}, {"GB", 22}, {"GE", 22}, {"GI", 23}, {"GL", 18}, {"GR", 27},
    {"GT", 28}, {"HR", 21}, {"HU", 28}, {"IE", 22}, {"IL", 23}, {"IQ", 23}, {"IS", 26}, {"IT", 27},
    {"JO", 30}, {"KW", 30}, {"KZ", 20}, {"LB", 28}, {"LC", 32}, {"LI", 21}, {"LT", 20}, {"LU", 20},
    {"LV", 21}, {"LY", 25}, {"MC", 27}, {"MD", 24}, {"ME", 22}, {"MK", 19}, {"MN", 20}, {"MR", 27},
    {"MT", 31}, {"MU", 30}, {"NI", 28}, {"NL", 18}, {"NO", 15}, {"OM", 23}, {"PK", 24}, {"PL", 28},
    {"PS", 29}, {"PT", 25}, {"QA", 29}, {"RO", 24}, {"RS", 22}, {"RU", 33}, {"SA", 24}, {"SC", 31},
    {"SD", 18}, {"SE", 24}, {"SI", 19}, {"SK", 24}, {"SM", 27}, {"SO", 23}, {"ST", 25}, {"SV", 28},
    {"TL", 23}, {"TN", 24}, {"TR", 26}, {"UA", 29}, {"VA", 22}, {"VG", 24}, {"XK", 20}, {"YE", 30},
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

// ---- validators ----------------------------------------------------------------

bool luhn_valid(std::string_view digits) {
    if (digits.size() < 2) return false;
    int sum = 0;
    bool twice = false;
    for (std::size_t i = digits.size(); i-- > 0;) {
        if (!is_digit(digits[i])) return false;
        int v = digits[i] - '0';
        if (twice) {
            v *= 2;
            if (v > 9) v -= 9;
        }
        sum += v;
        twice = !twice;
    }
    return sum % 10 == 0;
}

char luhn_check_digit(std::string_view payload) {
    int sum = 0;
    bool twice = true; // the check digit will be the rightmost, undoubled
    for (std::size_t i = payload.size(); i-- > 0;) {
        int v = payload[i] - '0';
        if (twice) {
            v *= 2;
            if (v > 9) v -= 9;
        }
        sum += v;
        twice = !twice;
    }
    return static_cast<char>('0' + (10 - sum % 10) % 10);
}

int iban_length(std::string_view country_code) {
    for (const auto& country : iban_countries)
        if (country_code == country.code) return country.length;
    return 0;
}

bool iban_valid(std::string_view iban) {
    std::string compact;
    compact.reserve(iban.size());
    for (char c : iban) {
        if (c == ' ') continue;
        if (!is_alnum(c)) return false;
        compact.push_back(is_lower(c) ? static_cast<char>(c - 'a' + 'A') : c);
    }
    if (compact.size() < 5 || !is_upper(compact[0]) || !is_upper(compact[1]) || !is_digit(compact[2]) ||
        !is_digit(compact[3]))
        return false;
    if (static_cast<int>(compact.size()) != iban_length(std::string_view(compact).substr(0, 2))) return false;
    const std::string rearranged = compact.substr(4) + compact.substr(0, 4);
    return mod97(rearranged) == 1;
}

std::string iban_check_digits(std::string_view country, std::string_view bban) {
    std::string rearranged(bban);
    rearranged += country;
    rearranged += "00";
    const int check = 98 - mod97(rearranged);
    return {static_cast<char>('0' + check / 10), static_cast<char>('0' + check % 10)};
}

// ---- synthetic values -------------------------------------------------------------

bool is_synthetic(const Match& match, std::string_view text) {
    if (match.offset > text.size() || match.length > text.size() - match.offset) return false;
    const std::string_view value = match.in(text);
    switch (match.kind) {
    case PiiKind::email: {
        const std::size_t at_sign = value.rfind('@');
        return at_sign != std::string_view::npos && reserved_domain(value.substr(at_sign + 1));
    }
    case PiiKind::phone: return synthetic_phone(value);
    case PiiKind::ip: return synthetic_ip(value);
    case PiiKind::card: return synthetic_card(value);
    case PiiKind::iban: return synthetic_iban(value);
    case PiiKind::url_userinfo: return synthetic_url_userinfo(match, text);
    case PiiKind::uk_postcode: return value.size() >= 4 && (value.substr(0, 4) == "ZZ99" || value.substr(0, 4) == "zz99");
    case PiiKind::password_hash: return !value.empty() && value[0] == '!'; // unusable: redact's and Django's
    case PiiKind::secret: return synthetic_secret(value);
    }
    return false;
}

// ---- the detector -------------------------------------------------------------------

struct Detector::Impl {
    std::array<std::unique_ptr<RE2>, pii_kind_count> finders;
    std::unique_ptr<RE2> secret_key; // secret_key_pattern, anchored at a secret's match
    RE2::Set set;
    std::array<PiiKind, pii_kind_count> set_kind{};

    static RE2::Options options() {
        RE2::Options o;
        o.set_encoding(RE2::Options::EncodingUTF8);
        o.set_log_errors(false);
        o.set_max_mem(64 << 20);
        return o;
    }

    Impl() : set(options(), RE2::UNANCHORED) {
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
};

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
    // not answer for password hashes and secrets (see set_kinds).
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
