#include "anonymise/fakes.hpp"

#include "anonymise/name_lists.hpp"
#include "anonymise/unicode_text.hpp"

#include <arpa/inet.h>
#include <sys/socket.h>

#include <array>
#include <charconv>
#include <cstdint>
#include <cstring>
#include <optional>
#include <span>

namespace pgscrub::anonymise {

namespace {

// HMAC domains: one per role, so equal inputs in different roles are unrelated.
constexpr std::string_view kEmailDomain = "email";
constexpr std::string_view kFirstNameDomain = "first_name";
constexpr std::string_view kLastNameDomain = "last_name";
constexpr std::string_view kFullNameDomain = "full_name";
constexpr std::string_view kPhoneDomain = "phone";
constexpr std::string_view kIpDomain = "ip";

constexpr std::size_t kEmailHashChars = 16;

std::uint64_t read_u64(const std::array<std::uint8_t, 32>& bytes, std::size_t at) {
    std::uint64_t n = 0;
    for (std::size_t i = 0; i < 8; ++i) n = (n << 8) | bytes[at + i];
    return n;
}

std::string_view pick(std::span<const std::string_view> list, std::uint64_t n) {
    return list[n % list.size()];
}

std::uint64_t name_number(const KeyedHash& key, std::string_view domain, std::string_view original) {
    thread_local std::string normalised;
    normalise_caseless(original, normalised);
    return key.number(domain, normalised);
}

void append_digits(std::string& out, std::uint64_t value, int width) {
    char buffer[24];
    for (int i = width - 1; i >= 0; --i) {
        buffer[i] = static_cast<char>('0' + value % 10);
        value /= 10;
    }
    out.append(buffer, static_cast<std::size_t>(width));
}

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

void append_decimal(std::string& out, unsigned value) {
    char buffer[10];
    std::size_t n = 0;
    do {
        buffer[n++] = static_cast<char>('0' + value % 10);
        value /= 10;
    } while (value);
    while (n) out.push_back(buffer[--n]);
}

// Dotted-quad IPv4 (four decimal parts 0-255), as inet_pton but without a copy.
bool parse_ipv4(std::string_view text, unsigned char* out) {
    std::size_t part = 0;
    std::size_t at = 0;
    while (part < 4) {
        unsigned value = 0;
        std::size_t digits = 0;
        while (at < text.size() && is_digit(text[at]) && digits < 4) {
            value = value * 10 + static_cast<unsigned>(text[at] - '0');
            ++at;
            ++digits;
        }
        if (digits == 0 || digits > 3 || value > 255) return false;
        out[part++] = static_cast<unsigned char>(value);
        if (part < 4) {
            if (at >= text.size() || text[at] != '.') return false;
            ++at;
        }
    }
    return at == text.size();
}

} // namespace

std::string normalise_email(std::string_view email) {
    std::string out;
    normalise_caseless(email, out);
    return out;
}

void append_fake_email(std::string& out, const KeyedHash& key, std::string_view original, std::string_view domain) {
    thread_local std::string normalised;
    normalise_caseless(original, normalised);
    const auto digest = key.digest(kEmailDomain, normalised);
    out.reserve(out.size() + 5 + kEmailHashChars + 1 + domain.size());
    out.append("user-");
    append_base32_lower(out, digest, kEmailHashChars);
    out.push_back('@');
    out.append(domain);
}

namespace {
// The n-th name (modulo their count) of the given or family lists of `cultures`, taken as one list.
std::string_view pick_name(const std::vector<const NameCulture*>& cultures, bool given, std::uint64_t n) {
    std::size_t total = 0;
    for (const NameCulture* c : cultures) total += given ? c->given.size() : c->family.size();
    n %= total;
    for (const NameCulture* c : cultures) {
        std::span<const std::string_view> list = given ? c->given : c->family;
        if (n < list.size()) return list[n];
        n -= list.size();
    }
    return {};
}
} // namespace

void append_fake_first_name(std::string& out, const KeyedHash& key, std::string_view original,
                            const NameChoice& choice) {
    out.append(pick_name(choice.for_original(original), true, name_number(key, kFirstNameDomain, original)));
}

void append_fake_last_name(std::string& out, const KeyedHash& key, std::string_view original,
                           const NameChoice& choice) {
    out.append(pick_name(choice.for_original(original), false, name_number(key, kLastNameDomain, original)));
}

void append_fake_full_name(std::string& out, const KeyedHash& key, std::string_view original,
                           const NameChoice& choice) {
    thread_local std::string normalised;
    normalise_caseless(original, normalised);
    const auto digest = key.digest(kFullNameDomain, normalised);
    const std::vector<const NameCulture*>& cultures = choice.for_original(original);
    const NameCulture& culture = *cultures[read_u64(digest, 0) % cultures.size()];
    const std::string_view given = pick(culture.given, read_u64(digest, 8));
    const std::string_view family = pick(culture.family, read_u64(digest, 16));
    out.reserve(out.size() + given.size() + family.size() + culture.separator.size());
    out.append(culture.family_first ? family : given);
    out.append(culture.separator);
    out.append(culture.family_first ? given : family);
}

namespace {
// The input as valid UTF-8 (invalid bytes replaced, in `scratch`), without
// surrounding white space: what the phone and IP fakes pick from.
std::string_view valid_trimmed(std::string_view original, std::string& scratch) {
    std::string_view text = original;
    if (!is_valid_utf8(text)) {
        repair_utf8(text, scratch);
        text = scratch;
    }
    return trim_unicode_space(text);
}

} // namespace

void append_fake_phone(std::string& out, const KeyedHash& key, std::string_view original) {
    thread_local std::string scratch;
    std::string_view text = valid_trimmed(original, scratch);

    thread_local std::string digits;
    digits.clear();
    bool compact = true; // only digits, after an optional leading '+'
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (is_digit(text[i]))
            digits.push_back(text[i]);
        else if (!(i == 0 && text[i] == '+'))
            compact = false;
    }
    const bool plus = !text.empty() && text.front() == '+';
    const bool double_zero = !plus && digits.size() > 2 && text.starts_with("00");
    const bool international = plus || double_zero;
    std::string_view national_digits = digits; // after the international prefix
    if (double_zero) national_digits.remove_prefix(2);

    bool nanp = false;     // North American numbering plan
    bool nanp_one = false; // national form with a leading 1
    if (international) {
        nanp = !national_digits.empty() && national_digits.front() == '1';
    } else if (digits.size() == 10 && digits.front() >= '2') {
        nanp = true;
    } else if (digits.size() == 11 && digits.front() == '1') {
        nanp = nanp_one = true;
    }

    const std::uint64_t n = key.number(kPhoneDomain, digits.empty() ? text : std::string_view(digits));
    const std::string_view prefix = plus ? "+" : "00";
    out.reserve(out.size() + 20);
    if (nanp) {
        std::uint64_t area = 201 + n % 799;
        if (area % 100 == 11) ++area; // no N11 service codes
        const std::uint64_t line = 100 + (n >> 20) % 100;
        if (international) {
            out.append(prefix);
            out.append(compact ? "1" : "1 ");
        } else if (nanp_one) {
            out.append(compact ? "1" : "1-");
        }
        const bool parentheses = !compact && !international && text.find('(') != std::string_view::npos;
        if (parentheses) out.push_back('(');
        append_digits(out, area, 3);
        if (parentheses)
            out.append(") ");
        else if (!compact)
            out.push_back('-');
        out.append(compact ? "555" : "555-");
        append_digits(out, line, 4);
    } else {
        const std::uint64_t line = n % 1000;
        if (international) {
            out.append(prefix);
            out.append(compact ? "447700900" : "44 7700 900");
        } else {
            out.append(compact ? "07700900" : "07700 900");
        }
        append_digits(out, line, 3);
    }
}

void append_fake_ip(std::string& out, const KeyedHash& key, std::string_view original) {
    thread_local std::string scratch;
    std::string_view text = valid_trimmed(original, scratch);

    std::string_view address = text;
    int prefix = -1; // none
    if (const auto slash = text.find('/'); slash != std::string_view::npos) {
        address = text.substr(0, slash);
        const std::string_view bits = text.substr(slash + 1);
        int value = 0;
        const auto [end, error] = std::from_chars(bits.data(), bits.data() + bits.size(), value);
        if (error == std::errc() && end == bits.data() + bits.size() && !bits.empty()) prefix = value;
    }
    const bool v6 = address.find(':') != std::string_view::npos;
    const int width = v6 ? 128 : 32;
    if (prefix > width) prefix = -1;

    // Hash the address bytes when it parses, so spellings of one address agree.
    std::array<unsigned char, 16> parsed{};
    bool parsed_ok = false;
    if (!v6) {
        parsed_ok = parse_ipv4(address, parsed.data());
    } else if (address.size() < 64) {
        char buffer[64];
        std::memcpy(buffer, address.data(), address.size());
        buffer[address.size()] = '\0';
        parsed_ok = inet_pton(AF_INET6, buffer, parsed.data()) == 1;
    }
    const std::size_t length = v6 ? 16 : 4;
    const auto digest =
        parsed_ok ? key.digest(kIpDomain, std::string_view(reinterpret_cast<const char*>(parsed.data()), length))
                  : key.digest(kIpDomain, address);

    // Does the original have host bits under its prefix (inet host) or not (cidr network)?
    bool network_form = false;
    if (prefix >= 0 && parsed_ok) {
        network_form = true;
        for (int bit = prefix; bit < width; ++bit)
            if (parsed[static_cast<std::size_t>(bit / 8)] & (0x80u >> (bit % 8))) {
                network_form = false;
                break;
            }
    }
    int out_prefix = prefix >= 0 ? prefix : width;
    const int floor = v6 ? 32 : 24;
    if (out_prefix < floor) out_prefix = floor;

    std::array<unsigned char, 16> fake{};
    if (v6) {
        fake[0] = 0x20;
        fake[1] = 0x01;
        fake[2] = 0x0d;
        fake[3] = 0xb8;
        for (std::size_t i = 4; i < 16; ++i) fake[i] = digest[i];
    } else {
        static constexpr unsigned char kNetworks[3][3] = {{192, 0, 2}, {198, 51, 100}, {203, 0, 113}};
        const std::uint64_t n = read_u64(digest, 0);
        const auto& net = kNetworks[n % 3];
        fake[0] = net[0];
        fake[1] = net[1];
        fake[2] = net[2];
        fake[3] = static_cast<unsigned char>(1 + (n / 3) % 254);
    }
    if (network_form)
        for (int bit = out_prefix; bit < width; ++bit)
            fake[static_cast<std::size_t>(bit / 8)] &= static_cast<unsigned char>(~(0x80u >> (bit % 8)));

    if (v6) {
        char buffer[INET6_ADDRSTRLEN + 8];
        if (!inet_ntop(AF_INET6, fake.data(), buffer, sizeof buffer)) buffer[0] = '\0';
        out.append(buffer);
    } else {
        // No reserve: a host address ("203.0.113.254") fits a short string's
        // inline buffer, and a reused buffer has room already.
        for (std::size_t i = 0; i < 4; ++i) {
            if (i) out.push_back('.');
            append_decimal(out, fake[i]);
        }
    }
    if (prefix >= 0) {
        out.push_back('/');
        append_decimal(out, static_cast<unsigned>(out_prefix));
    }
}

// The string forms, for redact's fakes and tests.
std::string fake_email(const KeyedHash& key, std::string_view original, std::string_view domain) {
    std::string out;
    append_fake_email(out, key, original, domain);
    return out;
}

std::string fake_first_name(const KeyedHash& key, std::string_view original, const NameChoice& choice) {
    std::string out;
    append_fake_first_name(out, key, original, choice);
    return out;
}

std::string fake_last_name(const KeyedHash& key, std::string_view original, const NameChoice& choice) {
    std::string out;
    append_fake_last_name(out, key, original, choice);
    return out;
}

std::string fake_full_name(const KeyedHash& key, std::string_view original, const NameChoice& choice) {
    std::string out;
    append_fake_full_name(out, key, original, choice);
    return out;
}

std::string fake_phone(const KeyedHash& key, std::string_view original) {
    std::string out;
    append_fake_phone(out, key, original);
    return out;
}

std::string fake_ip(const KeyedHash& key, std::string_view original) {
    std::string out;
    append_fake_ip(out, key, original);
    return out;
}

} // namespace pgscrub::anonymise
