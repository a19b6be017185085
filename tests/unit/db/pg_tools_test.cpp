// What pgscrub makes of a failed PostgreSQL tool's stderr
// (db/pg_tools.hpp): its error, never the SQL or row values it quotes.

#include "db/pg_tools.hpp"

#include <catch2/catch.hpp>

#include <string>

TEST_CASE("a tool's failure is summarised by its error, not by the SQL it quotes", "[restore][child]") {
    // pg_restore 15 when its backend is terminated mid-restore: the last
    // lines are the tail of the statement, which said nothing about the cause.
    const std::string terminated =
        "pg_restore: error: could not execute query: FATAL:  terminating connection due to administrator command\n"
        "server closed the connection unexpectedly\n"
        "\tThis probably means the server terminated abnormally\n"
        "\tbefore or while processing the request.\n"
        "Command was: CREATE SEQUENCE public.auth_user_id_seq\n"
        "    NO MAXVALUE\n"
        "    CACHE 1\n"
        ");\n";
    CHECK(pgscrub::db::tool_failure_summary(terminated) ==
          "pg_restore: error: could not execute query: FATAL:  terminating connection due to administrator command / "
          "server closed the connection unexpectedly");
    // A failed COPY quotes a row in its CONTEXT: that never reaches the summary.
    const std::string bad_row =
        "pg_restore: error: COPY failed for table \"auth_user\": ERROR:  invalid input syntax for type integer: \"x\"\n"
        "CONTEXT:  COPY auth_user, line 1, column id: \"ann@example.org\"\n";
    std::string summary = pgscrub::db::tool_failure_summary(bad_row);
    CHECK(summary.find("COPY failed for table") != std::string::npos);
    CHECK(summary.find("ann@example.org") == std::string::npos);
    // Without an error line: the last three lines, as before.
    CHECK(pgscrub::db::tool_failure_summary("a\nb\n\nc\nd\n") == "b / c / d");
}
