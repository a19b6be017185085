#include "anonymise/synthetic.hpp"

#include "anonymise/detector_text.hpp"

#include <arpa/inet.h>

#include <array>
#include <string>

namespace pgscrub::anonymise {

using namespace detection;

namespace {

bool reserved_domain(std::string_view domain_raw) {
    std::string domain;
    domain.reserve(domain_raw.size());
    for (char c : domain_raw) domain.push_back(to_lower(c));
    while (!domain.empty() && domain.back() == '.') domain.pop_back();
    // A subdomain: "." + base at the end. Tested without building that
    // string, as for `national` below: GCC 12 at -O3 warns falsely
    // (-Wrestrict) inside operator+ on a temporary string.
    for (std::string_view base : {"example.com", "example.org", "example.net"})
        if (domain == base || (ends_with(domain, base) && before(domain, domain.size() - base.size()) == '.'))
            return true;
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
        if (starts_with(d, "44")) national.assign("0").append(d, 2);
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

} // namespace

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

} // namespace pgscrub::anonymise
