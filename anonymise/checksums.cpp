#include "anonymise/checksums.hpp"

#include "anonymise/detector_text.hpp"

namespace pgscrub::anonymise {

using namespace detection;

namespace {

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

} // namespace

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

} // namespace pgscrub::anonymise
