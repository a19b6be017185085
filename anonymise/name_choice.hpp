#pragma once
// Which of the built-in name cultures (anonymise/name_lists.hpp) a name fake
// draws from, so that a fake looks like one person: the script of the
// original is kept (a Latin name gets a Latin fake, Cyrillic a Cyrillic one,
// Han a Han one, by ICU's script property), and a rules file may narrow the
// choice further with `locales: [German, French]`. An original in a script no
// culture is written in (or with no letters) draws from all of them.

#include "anonymise/name_lists.hpp"

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pgscrub::anonymise {

// The ICU script code of the first letter of `text` (Hiragana and Katakana
// count as Han, as Japanese names mix them); -1 when it has no letter.
int name_script(std::string_view text);

class NameChoice {
public:
    // Every culture.
    NameChoice();
    // The cultures whose labels (case-insensitive) are listed; nullopt, with
    // the first unknown label in `unknown`, when one is not a culture.
    static std::optional<NameChoice> of_locales(const std::vector<std::string>& labels, std::string& unknown);
    // The shared every-culture choice.
    static const NameChoice& all();

    // The cultures to draw a fake of `original` from: this choice's cultures
    // in its script, or all of this choice's when none is.
    const std::vector<const NameCulture*>& for_original(std::string_view original) const;

private:
    explicit NameChoice(std::vector<const NameCulture*> cultures);
    std::vector<const NameCulture*> cultures_;
    std::map<int, std::vector<const NameCulture*>> by_script_;
};

} // namespace pgscrub::anonymise
