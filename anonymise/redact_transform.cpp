// redact{kinds, replacement}: personal data inside free text, replaced match
// by match; every other byte of the value stays as it was.

#include "anonymise/checksums.hpp"
#include "anonymise/detectors.hpp"
#include "anonymise/fakes.hpp"
#include "anonymise/structured_transforms.hpp"
#include "anonymise/transform_registry.hpp"
#include "anonymise/unicode_text.hpp"

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace pgscrub::anonymise {

namespace {

std::string kinds_help() {
    std::string help = "valid: all";
    for (const auto& name : pii_kind_names()) help += ", " + name;
    return help;
}

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

// The first `bytes` bytes of a digest as lower-case hex.
void append_hex(std::string& out, const std::array<std::uint8_t, 32>& digest, std::size_t bytes) {
    static constexpr char hex[] = "0123456789abcdef";
    for (std::size_t i = 0; i < bytes; ++i) {
        out.push_back(hex[digest[i] >> 4]);
        out.push_back(hex[digest[i] & 0xF]);
    }
}

// A Luhn-valid number with the original's length and separators, under a
// test prefix, its other digits chosen by the key.
std::string fake_card(const KeyedHash& key, std::string_view original) {
    std::string digits;
    for (char c : original)
        if (is_digit(c)) digits.push_back(c);
    const std::size_t n = digits.size();
    const std::string_view prefix = n == 15 ? "378282" : n == 14 ? "305693" : "411111";
    const auto digest = key.digest("redact.card", digits);
    std::string fresh(prefix);
    for (std::size_t i = 0; fresh.size() + 1 < n; ++i)
        fresh.push_back(static_cast<char>('0' + digest[i % digest.size()] % 10));
    fresh.push_back(luhn_check_digit(fresh));
    std::string out;
    out.reserve(original.size());
    std::size_t next = 0;
    for (char c : original) out.push_back(is_digit(c) ? fresh[next++] : c);
    return out;
}

// GBkk ZZZZ dddd dddd dddd dd: bank code ZZZZ marks it as pgscrub's.
std::string fake_iban(const KeyedHash& key, std::string_view original) {
    std::string compact;
    for (char c : original)
        if (c != ' ') compact.push_back(c);
    const auto digest = key.digest("redact.iban", compact);
    std::string bban = "ZZZZ";
    for (std::size_t i = 0; i < 14; ++i) bban.push_back(static_cast<char>('0' + digest[i] % 10));
    const std::string iban = "GB" + iban_check_digits("GB", bban) + bban;
    if (original.find(' ') == std::string_view::npos) return iban;
    std::string grouped;
    for (std::size_t i = 0; i < iban.size(); ++i) {
        if (i > 0 && i % 4 == 0) grouped.push_back(' ');
        grouped.push_back(iban[i]);
    }
    return grouped;
}

// user-<8 hex>, plus :redacted where there was a password.
std::string fake_userinfo(const KeyedHash& key, std::string_view original) {
    const std::size_t colon = original.find(':');
    std::string out = "user-";
    append_hex(out, key.digest("redact.url_user", original.substr(0, colon)), 4);
    if (colon != std::string_view::npos) out += ":redacted";
    return out;
}

// ZZ99 nXX: ZZ99 is the pseudo-postcode area (no real address uses it).
std::string fake_postcode(const KeyedHash& key, std::string_view original) {
    std::string compact;
    for (char c : original) {
        if (c == ' ') continue;
        compact.push_back(c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c);
    }
    const auto digest = key.digest("redact.uk_postcode", compact);
    static constexpr std::string_view unit_letters = "ABDEFGHJLNPQRSTUWXYZ";
    std::string out = "ZZ99";
    if (original.find(' ') != std::string_view::npos) out.push_back(' ');
    out.push_back(static_cast<char>('0' + digest[0] % 10));
    out.push_back(unit_letters[digest[1] % unit_letters.size()]);
    out.push_back(unit_letters[digest[2] % unit_letters.size()]);
    return out;
}

// "!redacted" + 32 hex: Django's unusable-password marker ("!" and 40
// characters), so a redacted auth_user.password lets nobody log in and
// Django says "no password set". Not detected as a password hash again.
std::string fake_password_hash(const KeyedHash& key, std::string_view original) {
    std::string out = "!redacted";
    append_hex(out, key.digest("redact.password_hash", original), 16);
    return out;
}

// redacted-secret-<8 hex>: a token, key or private key block, whatever its shape.
std::string fake_secret(const KeyedHash& key, std::string_view original) {
    std::string out = "redacted-secret-";
    append_hex(out, key.digest("redact.secret", original), 4);
    return out;
}

// Appends the fake of one match to `out` (the common kinds without a string of their own).
void append_fake_of(std::string& out, PiiKind kind, const KeyedHash& key, std::string_view value) {
    switch (kind) {
    case PiiKind::email:
        append_fake_email(out, key, value);
        return;
    case PiiKind::phone:
        append_fake_phone(out, key, value);
        return;
    case PiiKind::ip:
        append_fake_ip(out, key, value);
        return;
    case PiiKind::card:
        out += fake_card(key, value);
        return;
    case PiiKind::iban:
        out += fake_iban(key, value);
        return;
    case PiiKind::url_userinfo:
        out += fake_userinfo(key, value);
        return;
    case PiiKind::uk_postcode:
        out += fake_postcode(key, value);
        return;
    case PiiKind::password_hash:
        out += fake_password_hash(key, value);
        return;
    case PiiKind::secret:
        out += fake_secret(key, value);
        return;
    }
    out.append(value);
}

class RedactTransform final : public Transform {
public:
    RedactTransform(KindSet kinds, std::optional<std::string> replacement)
        : detector_(Detector::shared()), kinds_(kinds), replacement_(std::move(replacement)) {}

    bool apply_into(const std::optional<std::string_view>& value, const TransformContext& context,
                    std::string& out) const override {
        if (!value) return false;
        // Output is valid UTF-8, as every transform's is: bytes that are not
        // (a SQL_ASCII database holds any) become U+FFFD before the search.
        thread_local std::string repaired;
        std::string_view text = *value;
        if (!is_valid_utf8(text)) {
            repair_utf8(text, repaired);
            text = repaired;
        }
        thread_local std::vector<Match> matches;
        detector_.find(text, kinds_, matches);
        out.clear();
        std::size_t copied = 0;
        for (const Match& match : matches) {
            if (out.empty()) out.reserve(text.size() + 32);
            out.append(text.substr(copied, match.offset - copied));
            if (replacement_)
                out += *replacement_;
            else
                append_fake_of(out, match.kind, context.key, match.in(text));
            copied = match.offset + match.length;
        }
        out.append(text.substr(copied));
        return true;
    }

private:
    const Detector& detector_;
    KindSet kinds_;
    std::optional<std::string> replacement_; // nullopt: a fake of each match's kind
};

} // namespace

std::unique_ptr<Transform> make_redact(const TransformConfig& config, std::vector<ConfigProblem>& problems) {
    bool ok = true;
    KindSet kinds = KindSet::all();
    if (const auto* scalar = config.scalar("kinds")) {
        std::vector<std::pair<std::string, TransformConfig::Position>> names;
        for (std::string& name : scalar->names()) names.emplace_back(std::move(name), scalar->where);
        kinds = KindSet{};
        if (names.empty()) {
            problems.push_back({scalar->where, "invalid kinds (an empty list) for redact — " + kinds_help()});
            ok = false;
        }
        std::vector<std::string> candidates = pii_kind_names();
        candidates.insert(candidates.begin(), "all");
        for (const auto& [name, where] : names) {
            if (name == "all") {
                kinds = KindSet::all();
            } else if (const auto kind = pii_kind_from_name(name)) {
                kinds.add(*kind);
            } else {
                std::string message = "unknown kind \"" + name + "\" for redact — ";
                if (const std::string guess = did_you_mean(name, candidates); !guess.empty())
                    message += "did you mean " + guess + "? ";
                problems.push_back({where, message + kinds_help()});
                ok = false;
            }
        }
    }
    std::optional<std::string> replacement;
    if (const auto* scalar = config.scalar("replacement"); scalar && !scalar->value.empty())
        replacement = scalar->value;
    if (!ok) return nullptr;
    return std::make_unique<RedactTransform>(kinds, std::move(replacement));
}

} // namespace pgscrub::anonymise
