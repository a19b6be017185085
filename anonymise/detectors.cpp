#include "anonymise/detectors.hpp"

#include <re2/re2.h>
#include <re2/set.h>

#include <arpa/inet.h>

#include <algorithm>
#include <cstring>
#include <array>
#include <stdexcept>

namespace pgscrub::anonymise {

namespace {

constexpr std::array<const char*, pii_kind_count> kind_names = {
    "email", "phone", "ip", "card", "iban", "url_userinfo", "uk_postcode",
};

// Overlapping candidates of different kinds: the earlier kind here wins.
constexpr std::array<PiiKind, pii_kind_count> priority = {
    PiiKind::url_userinfo, PiiKind::email, PiiKind::iban, PiiKind::card,
    PiiKind::ip,           PiiKind::phone, PiiKind::uk_postcode,
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

const std::string uk_postcode_pattern =
    R"((?:^|[^0-9A-Za-z])(?:)"
    R"((?:[A-Z]{1,2}[0-9][A-Z0-9]?|GIR) ?[0-9][ABD-HJLNP-UW-Z]{2})"
    R"(|[a-z]{1,2}[0-9][a-z0-9]? [0-9][abd-hjlnp-uw-z]{2})"
    ")";

const std::string& pattern_for(PiiKind kind) {
    switch (kind) {
    case PiiKind::email: return email_pattern;
    case PiiKind::phone: return phone_pattern;
    case PiiKind::ip: return ip_pattern;
    case PiiKind::card: return card_pattern;
    case PiiKind::iban: return iban_pattern;
    case PiiKind::url_userinfo: return url_userinfo_pattern;
    case PiiKind::uk_postcode: return uk_postcode_pattern;
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
    }
    return false;
}

// ---- the detector -------------------------------------------------------------------

struct Detector::Impl {
    std::array<std::unique_ptr<RE2>, pii_kind_count> finders;
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
            std::string error;
            const int index = set.Add(pattern_for(kind), &error);
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
    }
};
constexpr ByteClasses byte_classes{};

} // namespace

KindSet Detector::candidates(std::string_view text, KindSet kinds) const {
    // What each kind needs at the least, counted in one pass (which stops
    // early once every threshold is met): phone 8 digits, card 13, IPv4 4
    // digits and 3 dots, IPv6 a digit and 2 colons, IBAN 2 digits and 2
    // capitals in 15 bytes, postcode a digit and 2 capitals (or 2 small
    // letters and a space), e-mail an '@', URL an '@' and "://".
    std::size_t count[8] = {};
    std::size_t i = 0;
    while (i < text.size()) {
        const std::size_t stop = std::min(text.size(), i + 255);
        std::uint64_t packed = 0;
        for (; i < stop; ++i) packed += byte_classes.of[static_cast<unsigned char>(text[i])];
        for (unsigned k = 0; k < 8; ++k) count[k] += (packed >> (8 * k)) & 0xFF;
        if (count[digit_byte] >= 13 && count[upper_byte] >= 2 && count[dot_byte] >= 3 && count[colon_byte] >= 2 &&
            count[space_byte] >= 1 && count[at_byte] >= 1)
            break;
    }
    const std::size_t digits = count[digit_byte];
    const std::size_t upper = count[upper_byte];
    const bool at_sign = count[at_byte] > 0;
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
    // E-mail addresses and URLs are looked for around each '@' anyway: the
    // Set is worth its pass only when a digit-based kind is possible.
    bool any_digit_kind = false;
    for (PiiKind kind : {PiiKind::phone, PiiKind::card, PiiKind::ip, PiiKind::iban, PiiKind::uk_postcode})
        any_digit_kind = any_digit_kind || wanted.contains(kind);
    if (!any_digit_kind) return wanted;
    thread_local std::vector<int> hits;
    RE2::Set::ErrorInfo error{};
    if (!impl_->set.Match(re2::StringPiece(text.data(), text.size()), &hits, &error)) {
        if (error.kind == RE2::Set::kNoError) return KindSet{};
        return wanted; // the DFA ran out of memory: let every wanted kind search
    }
    KindSet present;
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
    near_digits.clear();
    near_at_signs.clear();
    const Range whole{0, text.size()};
    const re2::StringPiece input(text.data(), text.size());
    for (PiiKind kind : priority) {
        if (!present.contains(kind)) continue;
        const std::vector<Range>* ranges = nullptr;
        if (kind == PiiKind::email) {
            if (near_at_signs.empty()) email_ranges(text, near_at_signs);
            ranges = &near_at_signs;
        } else if (kind != PiiKind::url_userinfo) {
            if (near_digits.empty()) digit_ranges(text, near_digits);
            ranges = &near_digits;
        }
        const RE2& re = *impl_->finders[static_cast<std::size_t>(kind)];
        // url_userinfo: group 1 is the userinfo (the match runs on to the
        // host). The others are found without captures (cheaper): email is
        // the whole match; the digit-based kinds skip their boundary.
        const int groups = kind == PiiKind::url_userinfo ? 2 : 1;
        const std::size_t range_count = ranges ? ranges->size() : 1;
        for (std::size_t r = 0; r < range_count; ++r) {
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
                const std::size_t match_start = static_cast<std::size_t>(found[0].data() - text.data());
                const std::string_view matched(found[0].data(), found[0].size());
                std::size_t start = match_start;
                std::size_t end = match_start + matched.size();
                if (kind == PiiKind::url_userinfo) {
                    start = static_cast<std::size_t>(found[1].data() - text.data());
                    end = start + found[1].size();
                } else if (kind != PiiKind::email) {
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
                }
                if (!accepted) {
                    // Try again from the next token: its boundary character is the one before it.
                    std::size_t next = start + 1;
                    while (next < text.size() && is_alnum(text[next - 1]) && is_alnum(text[next])) ++next;
                    pos = std::max(next - 1, match_start + 1);
                    continue;
                }
                end = *accepted;
                pos = std::max(end, match_start + 1); // the next value's boundary character may be at `end`
                const Match match{kind, start, end - start};
                // Keep `out` sorted by offset and free of overlaps; higher priority kinds came first.
                auto it = std::lower_bound(out.begin(), out.end(), match.offset,
                                           [](const Match& m, std::size_t offset) { return m.offset < offset; });
                const bool clash_after = it != out.end() && it->offset < match.offset + match.length;
                const bool clash_before =
                    it != out.begin() && std::prev(it)->offset + std::prev(it)->length > match.offset;
                if (!clash_after && !clash_before) out.insert(it, match);
            }
        }
    }
}

} // namespace pgscrub::anonymise
