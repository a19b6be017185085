#include "anonymise/name_choice.hpp"

#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/utf8.h>

#include <algorithm>

namespace pgscrub::anonymise {

namespace {

bool same_label(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
               return lower(x) == lower(y);
           });
}

} // namespace

int name_script(std::string_view text) {
    const auto* bytes = reinterpret_cast<const std::uint8_t*>(text.data());
    const auto length = static_cast<std::int32_t>(text.size());
    for (std::int32_t i = 0; i < length;) {
        UChar32 c;
        U8_NEXT(bytes, i, length, c);
        if (c < 0 || !u_isalpha(c)) continue;
        UErrorCode status = U_ZERO_ERROR;
        UScriptCode script = uscript_getScript(c, &status);
        if (U_FAILURE(status) || script == USCRIPT_COMMON || script == USCRIPT_INHERITED || script == USCRIPT_UNKNOWN) {
            continue;
        }
        if (script == USCRIPT_HIRAGANA || script == USCRIPT_KATAKANA) script = USCRIPT_HAN;
        return static_cast<int>(script);
    }
    return -1;
}

NameChoice::NameChoice(std::vector<const NameCulture*> cultures) : cultures_(std::move(cultures)) {
    for (const NameCulture* culture : cultures_) {
        if (!culture->given.empty()) by_script_[name_script(culture->given.front())].push_back(culture);
    }
}

NameChoice::NameChoice() : NameChoice([] {
    std::vector<const NameCulture*> all;
    for (const NameCulture& culture : name_cultures()) all.push_back(&culture);
    return all;
}()) {}

const NameChoice& NameChoice::all() {
    static const NameChoice every;
    return every;
}

std::optional<NameChoice> NameChoice::of_locales(const std::vector<std::string>& labels, std::string& unknown) {
    std::vector<const NameCulture*> chosen;
    for (const std::string& label : labels) {
        auto cultures = name_cultures();
        auto found = std::find_if(cultures.begin(), cultures.end(),
                                  [&](const NameCulture& c) { return same_label(c.label, label); });
        if (found == cultures.end()) {
            unknown = label;
            return std::nullopt;
        }
        if (std::find(chosen.begin(), chosen.end(), &*found) == chosen.end()) chosen.push_back(&*found);
    }
    if (chosen.empty()) return std::nullopt;
    return NameChoice(std::move(chosen));
}

const std::vector<const NameCulture*>& NameChoice::for_original(std::string_view original) const {
    auto found = by_script_.find(name_script(original));
    return found == by_script_.end() ? cultures_ : found->second;
}

} // namespace pgscrub::anonymise
