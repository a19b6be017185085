#include "scrub/scan.hpp"

#include <catch2/catch.hpp>

using pgscrub::scrub::mask_example;

TEST_CASE("Scan examples never show a whole value", "[scan]") {
    // Regression (review): two characters of a two-character name were the name.
    CHECK(mask_example("name", "李娜") == "***");
    CHECK(mask_example("name", "Bo") == "***");
    CHECK(mask_example("name", "Anna") == "A***");
    CHECK(mask_example("name", "김민준") == "김***");
    CHECK(mask_example("name", "Margaret") == "Ma***");
    CHECK(mask_example("phone", "14033335568") == "14***");
    CHECK(mask_example("email", "ann@example.org") == "a***@e***.org");
}
