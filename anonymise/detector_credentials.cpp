#include "anonymise/detector_validators.hpp"

#include "anonymise/detector_text.hpp"

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

namespace pgscrub::anonymise::detection {

// ---- password hashes -----------------------------------------------------------

namespace {

bool is_b64(char c) { return is_alnum(c) || c == '+' || c == '/'; }
bool is_b64url(char c) { return is_alnum(c) || c == '-' || c == '_'; }
bool is_crypt64(char c) { return is_alnum(c) || c == '.' || c == '/'; }

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

} // namespace

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

namespace {

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

} // namespace

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

namespace {

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

} // namespace

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


} // namespace pgscrub::anonymise::detection
