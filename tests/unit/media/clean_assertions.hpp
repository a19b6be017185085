#pragma once
// Catch2 helpers shared by the image cleaner's tests: a result that must be
// a cleaned image, or must be a refusal.

#include "media/image_cleaner.hpp"

#include <catch2/catch.hpp>

#include <string>

namespace pgscrub::test::images {

inline media::CleanedImage must_clean(const std::string& bytes) {
    media::CleanResult result = media::clean_image(bytes);
    if (const auto* refused = std::get_if<media::Unstrippable>(&result)) FAIL("refused: " << refused->detail);
    return std::get<media::CleanedImage>(result);
}

inline media::Unstrippable must_refuse(const std::string& bytes) {
    media::CleanResult result = media::clean_image(bytes);
    REQUIRE(std::holds_alternative<media::Unstrippable>(result));
    return std::get<media::Unstrippable>(result);
}

} // namespace pgscrub::test::images
