#include "anonymise/detector_validators.hpp"

#include "anonymise/checksums.hpp"
#include "anonymise/detector_text.hpp"

#include <arpa/inet.h>

#include <array>
#include <vector>

namespace pgscrub::anonymise::detection {

namespace {

// A currency sign right before a number (£ U+00A3, € U+20AC, ¥ U+00A5).
bool currency_before(std::string_view text, std::size_t i) {
    if (i >= 2 && text[i - 2] == '\xC2' && (text[i - 1] == '\xA3' || text[i - 1] == '\xA5')) return true;
    return i >= 3 && text.substr(i - 3, 3) == "\xE2\x82\xAC";
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

bool date_like(const std::vector<DigitRun>& runs) {
    if (runs.size() < 3) return false;
    const char s1 = runs[1].separator_before;
    const char s2 = runs[2].separator_before;
    if (s1 != s2 || !one_of(s1, "-./")) return false;
    const auto small = [](std::size_t n) { return n == 1 || n == 2; };
    return (small(runs[0].length) && small(runs[1].length) && runs[2].length == 4) ||
           (runs[0].length == 4 && small(runs[1].length) && small(runs[2].length));
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

} // namespace

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

} // namespace pgscrub::anonymise::detection
