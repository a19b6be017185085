#include "scrub/scrub_job.hpp"

#include <catch2/catch.hpp>

#include <sstream>
#include <string>

using namespace pgscrub;

TEST_CASE("Scrub summary: a long column list says how many more, never cuts a name", "[summary]") {
    // Regression: the per-table line was cut at 107 bytes mid-name ("... ip_addre...").
    scrub::ScrubSummary summary;
    scrub::TableOutcome t;
    t.name = "public.a_table_with_a_rather_long_name_indeed_for_the_column";
    t.action = pgscrub::rules::TableAction::Transform;
    t.rows = 12;
    for (int i = 0; i < 12; ++i) {
        scrub::TableOutcome::ColumnOutcome c;
        c.column = "personal_column_number_" + std::to_string(i);
        c.transform = "fake_email";
        c.values_changed = 12;
        t.columns.push_back(c);
    }
    summary.tables.push_back(t);
    std::string text = scrub::format_summary(summary);
    std::istringstream lines(text);
    std::string line, table_line;
    while (std::getline(lines, line)) {
        if (line.find("a_table_with") != std::string::npos) table_line = line;
    }
    REQUIRE_FALSE(table_line.empty());
    CAPTURE(table_line);
    CHECK(table_line.find("...") == std::string::npos);
    // The table's full name is there, whole column entries, and the count of the rest.
    CHECK(table_line.find(t.name) != std::string::npos);
    std::size_t shown = 0;
    for (int i = 0; i < 12; ++i) {
        if (table_line.find("personal_column_number_" + std::to_string(i) + " (fake_email) 12") != std::string::npos) ++shown;
    }
    CHECK(shown >= 1);
    CHECK(shown < 12);
    CHECK(table_line.find("+" + std::to_string(12 - shown) + " more") != std::string::npos);
}
