#pragma once
// Built-in name lists for fake_first_name, fake_last_name and fake_name:
// common names of many languages and scripts (Latin with diacritics, Greek,
// Cyrillic, Georgian, Armenian, Hebrew, Arabic, Devanagari, Bengali, Tamil,
// Thai, Ethiopic, Han, Kana, Hangul). All NFC, valid UTF-8.

#include <span>
#include <string_view>

namespace pgscrub::anonymise {

struct NameCulture {
    std::string_view label;                   // "French", "Korean", ...
    std::span<const std::string_view> given;  // first names
    std::span<const std::string_view> family; // last names
    bool family_first = false;                // "Nguyễn Thảo", "王伟"
    std::string_view separator = " ";         // "" for Chinese and Korean
};

std::span<const NameCulture> name_cultures();
// Every given / family name of every culture, in one list each.
std::span<const std::string_view> all_given_names();
std::span<const std::string_view> all_family_names();

// True when fake_first_name, fake_last_name or fake_name could have written
// `text`: one name from the lists, or a given and a family name in either
// order, joined by a space or (Chinese, Korean) by nothing. `scrub --verify`
// uses it so a fake that happens to equal a real name is not reported as
// that person's surviving name.
bool could_be_fake_name(std::string_view text);
// True when `text` is one name of the lists, compared without regard to
// ASCII case and surrounding spaces ("ann", " Smith ").
bool is_listed_name(std::string_view text);

} // namespace pgscrub::anonymise
