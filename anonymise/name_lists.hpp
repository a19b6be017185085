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

} // namespace pgscrub::anonymise
