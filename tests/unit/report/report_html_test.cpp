#include "report/report_html.hpp"

#include <catch2/catch.hpp>

#include <stdexcept>
#include <string>

using pgscrub::report::html_escape;
using pgscrub::report::render_report_html;

namespace {

// Whether the page holds `text`, ignoring the <wbr> line-break hints names get.
bool has(const std::string& html, const std::string& text) {
    std::string plain = html;
    for (std::size_t at; (at = plain.find("<wbr>")) != std::string::npos;) plain.erase(at, 5);
    return plain.find(text) != std::string::npos;
}

// A report_version 1 report around one verify section (JSON text, or "" for none).
std::string report_with_verify(const std::string& verify) {
    std::string json = R"J({"report_version": 1, "pgscrub_version": "0.4.0", "generated_at": "2026-11-24T07:00:00Z",
        "rules_file": "rules.yaml", "rules_sha256": "ab12", "input": "prod.dump", "output": "scrubbed.dump",
        "input_format": "custom", "output_format": "custom", "seconds": 1.5, "large_objects": 0,
        "tables": [{"table": "public.auth_user", "action": "transformed", "rows": 3, "stored_bytes_in": 100,
                    "copy_bytes_in": 300, "seconds": 0.01,
                    "columns": [{"column": "email", "type": "character varying(254)", "action": "transformed",
                                 "transform": "fake_email", "values_changed": 3, "reviewed": null}]}])J";
    if (!verify.empty()) json += R"(, "verify": )" + verify;
    return json + "}";
}

} // namespace

TEST_CASE("report html: a self-contained page with the header facts", "[report_html]") {
    const std::string html = render_report_html(report_with_verify(""));
    CHECK(html.rfind("<!DOCTYPE html>", 0) == 0);
    CHECK(has(html, "<title>pgscrub report</title>"));
    CHECK(has(html, "<h1>pgscrub report</h1>"));
    CHECK(has(html, "0.4.0"));
    CHECK(has(html, "2026-11-24 07:00:00 UTC"));
    CHECK(has(html, "<code>prod.dump</code>"));
    CHECK(has(html, "<code>scrubbed.dump</code>"));
    CHECK(has(html, "<code>rules.yaml</code>"));
    CHECK(has(html, "<code>ab12</code>"));
    CHECK(has(html, "This report holds no personal values: examples are masked and survivors are named by column only."));
    // Nothing is fetched and nothing runs.
    CHECK_FALSE(has(html, "<script"));
    CHECK_FALSE(has(html, "http://"));
    CHECK_FALSE(has(html, "https://"));
    CHECK_FALSE(has(html, "<link"));
    // Names may wrap at their joints, not mid-word.
    CHECK(html.find("public.<wbr>auth_<wbr>user") != std::string::npos);
    CHECK_FALSE(has(html, "<img"));
    CHECK_FALSE(has(html, "url("));
    CHECK_FALSE(has(html, "@import"));
}

TEST_CASE("report html: the verdict banner follows verify.status", "[report_html]") {
    SECTION("passed") {
        const std::string html = render_report_html(report_with_verify(
            R"({"status": "passed", "originals_remembered": 1234, "values_checked": 5678, "fields_checked": 9000, "survivors": []})"));
        CHECK(has(html, "verdict v-passed"));
        CHECK(has(html, "Verified: no scrubbed value survives"));
        CHECK(has(html, "1,234 original values remembered"));
        CHECK_FALSE(has(html, "Verification FAILED"));
        CHECK_FALSE(has(html, "Not verified"));
    }
    SECTION("failed, with the survivors named by column") {
        const std::string html = render_report_html(report_with_verify(
            R"({"status": "failed", "originals_remembered": 10, "values_checked": 20, "fields_checked": 30,
                "survivors": [{"found_in": "public.wagtailcore_revision.content", "where": "JSON leaf", "first_row": 3,
                               "count": 2, "source": "public.auth_user.email"},
                              {"found_in": "public.notes.body", "where": "text", "first_row": 1, "count": 1,
                               "source": "public.auth_user.email"}]})"));
        CHECK(has(html, "verdict v-failed"));
        CHECK(has(html, "Verification FAILED"));
        CHECK(has(html, "3 original values"));
        CHECK(has(html, "in 2 places"));
        CHECK(has(html, "public.wagtailcore_revision.content"));
        CHECK(has(html, "JSON leaf"));
        CHECK(has(html, "public.auth_user.email"));
        CHECK_FALSE(has(html, "Verified: no scrubbed value survives"));
    }
    SECTION("absent") {
        const std::string html = render_report_html(report_with_verify(""));
        CHECK(has(html, "verdict v-none"));
        CHECK(has(html, "Not verified (run scrub --verify)"));
        CHECK_FALSE(has(html, "Verification FAILED"));
        CHECK_FALSE(has(html, "Verified: no scrubbed value survives"));
    }
    SECTION("null, or an unknown status, is not a pass") {
        for (const char* verify : {"null", R"({"status": "skipped"})", R"({"status": 1})", "[]"}) {
            const std::string html = render_report_html(report_with_verify(verify));
            CHECK(has(html, "Not verified (run scrub --verify)"));
            CHECK_FALSE(has(html, "Verified: no scrubbed value survives"));
        }
    }
}

TEST_CASE("report html: every string from the report is escaped", "[report_html]") {
    const std::string html = render_report_html(R"({"report_version": 1,
        "tables": [{"table": "public.<script>alert(1)</script>", "action": "<u>kept</u>", "rows": 1,
                    "columns": [{"column": "\"&'", "type": "text", "action": "transformed", "transform": "x<y",
                                 "values_changed": 1, "reviewed": "it's <fine> & \"ok\""}]}],
        "scan": {"findings": [{"table": "s\"t", "column": "<c>", "kind": "email", "rows": 1, "rows_scanned": 2,
                               "share": 0.5, "examples": ["<i>a***@b***.com</i>"], "class": "<leak>", "reviewed": null}]},
        "verify": {"status": "failed", "survivors": [{"found_in": "<x>.y", "where": "a&b", "first_row": 1, "count": 1,
                                                       "source": "'q'"}]},
        "rules_file": "<rules>.yaml", "input": "a\"b", "generated_at": "<now>"})");
    CHECK_FALSE(has(html, "<script>alert"));
    CHECK(has(html, "public.&lt;script&gt;alert(1)&lt;/script&gt;"));
    CHECK(has(html, "&quot;&amp;&#39;"));
    CHECK(has(html, "it&#39;s &lt;fine&gt; &amp; &quot;ok&quot;"));
    CHECK(has(html, "&lt;u&gt;kept&lt;/u&gt;"));
    CHECK(has(html, "&lt;i&gt;a***@b***.com&lt;/i&gt;"));
    CHECK(has(html, "&lt;leak&gt;"));
    CHECK(has(html, "&lt;x&gt;.y"));
    CHECK(has(html, "&lt;rules&gt;.yaml"));
    CHECK(has(html, "a&quot;b"));
    CHECK_FALSE(has(html, "<u>"));
    CHECK_FALSE(has(html, "<i>a***"));
    CHECK_FALSE(has(html, "<c>"));
    CHECK_FALSE(has(html, "<rules>"));
    CHECK_FALSE(has(html, "<now>"));
    // An unknown action or class never reaches a class attribute.
    CHECK_FALSE(has(html, "b-<"));
}

TEST_CASE("report html: html_escape", "[report_html]") {
    CHECK(html_escape("<a href=\"x\">&'</a>") == "&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;");
    CHECK(html_escape("plain ü ß 😀") == "plain ü ß 😀");
    // Control characters and invalid UTF-8 become U+FFFD.
    CHECK(html_escape(std::string("a\x01" "b\x7f", 4)) == "a\xEF\xBF\xBD" "b\xEF\xBF\xBD");
    CHECK(html_escape("x\xC3(y") == "x\xEF\xBF\xBD(y");
    CHECK(html_escape("\xED\xA0\x80") == "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"); // a surrogate
    CHECK(html_escape("tab\tnew\nline") == "tab\tnew\nline");
}

TEST_CASE("report html: rows not counted for a table copied as stored", "[report_html]") {
    const std::string html = render_report_html(R"({"tables": [
        {"table": "public.pages", "action": "kept", "copied_as_stored": true, "rows": null, "stored_bytes_in": 2048,
         "copy_bytes_in": 0, "seconds": 0.0, "columns": [{"column": "title", "action": "kept", "transform": "keep"}]},
        {"table": "public.users", "action": "transformed", "rows": 1234567, "stored_bytes_in": 1500000}]})");
    CHECK(has(html, "not counted (copied as stored)"));
    CHECK(has(html, "1,234,567"));
    CHECK(has(html, "1.5 MB"));
    CHECK(has(html, "badge b-kept"));
    CHECK(has(html, "badge b-transformed"));
}

TEST_CASE("report html: unclassified columns are highlighted", "[report_html]") {
    const std::string coverage = R"(, "coverage": {"tables": 10, "tables_transformed": 3, "tables_kept": 5,
        "tables_truncated": 2, "columns": 50, "columns_transformed": 12, "columns_kept": 35, "columns_reviewed": 3,
        "columns_unclassified": )";
    const std::string some = render_report_html(R"({"report_version": 1)" + coverage + "4}}");
    CHECK(has(some, "card alert"));
    CHECK(has(some, "Unclassified columns"));
    CHECK(has(some, "<div class=\"card-value\">4</div>"));
    CHECK(has(some, "Needs a decision before sign-off"));
    const std::string none = render_report_html(R"({"report_version": 1)" + coverage + "0}}");
    CHECK_FALSE(has(none, "card alert"));
    CHECK(has(none, "card ok"));
    CHECK_FALSE(has(none, "Needs a decision before sign-off"));
}

TEST_CASE("report html: an unlisted column and output that was not written are flagged", "[report_html]") {
    const std::string html = render_report_html(R"({"report_version": 1, "output": "out.dump", "output_written": false,
        "verify": {"status": "failed", "survivors": [{"found_in": "public.a.b", "where": "text", "first_row": 1,
                                                       "count": 1, "source": "public.a.c"}]},
        "tables": [{"table": "public.a", "action": "transformed", "rows": 1,
                    "columns": [{"column": "b", "action": "kept", "transform": "keep", "listed": false},
                                {"column": "c", "action": "transformed", "transform": "fake_email", "listed": true}]}]})");
    CHECK(has(html, "<tr class=\"unclassified\">"));
    CHECK(has(html, "b-alert\">unclassified</span>"));
    CHECK(has(html, "b-alert\">not written</span>"));
    CHECK(has(html, "The output was not written."));
    CHECK_FALSE(has(html, "Do not copy this output."));
    const std::string written = render_report_html(R"({"verify": {"status": "failed", "survivors": []}})");
    CHECK_FALSE(has(written, "not written"));
}

TEST_CASE("report html: scan findings by class, with share and masked examples", "[report_html]") {
    const std::string html = render_report_html(R"({"scan": {"values_scanned": 100, "bytes_scanned": 2000, "findings": [
        {"table": "public.x", "column": "notes", "kind": "email", "rows": 3, "rows_scanned": 10, "share": 0.3,
         "examples": ["a***@g***.com"], "class": "leak", "reviewed": null},
        {"table": "public.y", "column": "bio", "kind": "phone", "rows": 1, "rows_scanned": 1000, "share": 0.001,
         "examples": ["07***"], "class": "confirmed", "reviewed": "public office numbers"}]}})");
    CHECK(has(html, "public.x.notes"));
    CHECK(has(html, "30.0%"));
    CHECK(has(html, "0.1%"));
    CHECK(has(html, "a***@g***.com"));
    CHECK(has(html, "public office numbers"));
    CHECK(has(html, "badge c-leak"));
    CHECK(has(html, "badge c-confirmed"));
    CHECK(has(html, "Leak &mdash; 1 finding"));
    CHECK(has(html, "Confirmed &mdash; 1 finding"));
    CHECK(has(html, "2.0 kB"));
}

TEST_CASE("report html: an old report with only the older fields", "[report_html]") {
    // What scrub --report wrote before report_version 1: no verify, scan, coverage, paths or hash.
    const std::string html = render_report_html(R"({"pgscrub_version": "0.1.0", "rules_file": "rules.yaml",
        "input_format": "custom", "output_format": "custom", "seconds": 0.25, "large_objects": 1,
        "tables": [{"table": "public.people", "dump_id": 7, "action": "transformed", "copied_as_stored": false,
                    "rows": 5, "stored_bytes_in": 90, "copy_bytes_in": 400, "seconds": 0.001,
                    "columns": [{"column": "email", "transform": "fake_email", "values_changed": 5},
                                {"column": "id", "transform": "keep", "values_changed": 0}]},
                   {"table": "public.log", "action": "truncated", "rows": 0},
                   {"table": "public.pages", "action": "kept", "copied_as_stored": true, "rows": null},
                   {"table": "public.future", "action": "kept", "some_new_field": {"nested": [1, 2]}}],
        "a_field_from_the_future": true})");
    CHECK(has(html, "public.people"));
    CHECK(has(html, "fake_email"));
    CHECK(has(html, "Not verified (run scrub --verify)"));
    CHECK(has(html, "This report holds no leak scan."));
    CHECK(has(html, "This report has no coverage section"));
    CHECK(has(html, "not recorded"));
    CHECK(has(html, "not counted (copied as stored)"));
    CHECK(has(html, "badge b-truncated"));
    CHECK(has(html, "<div class=\"card-value\">4</div>")); // tables counted from the list
    CHECK(has(html, "report of version 0 (before versioning)"));

    // Bare minimum: an empty object still renders a whole page.
    const std::string empty = render_report_html("{}");
    CHECK(has(empty, "pgscrub report"));
    CHECK(has(empty, "This report lists no tables."));
    CHECK(has(empty, "</html>"));
    // Sections of the wrong type are treated as absent, not trusted.
    const std::string odd = render_report_html(R"({"tables": {"x": 1}, "scan": [], "coverage": "all", "verify": "passed"})");
    CHECK(has(odd, "Not verified (run scrub --verify)"));
    CHECK(has(odd, "This report lists no tables."));
}

TEST_CASE("report html: text that is not a JSON object is an error", "[report_html]") {
    CHECK_THROWS_WITH(render_report_html("[1, 2]"), Catch::Contains("expected a JSON object, found an array"));
    CHECK_THROWS_WITH(render_report_html("\"report\""), Catch::Contains("found a string"));
    CHECK_THROWS_WITH(render_report_html("null"), Catch::Contains("found null"));
    CHECK_THROWS_WITH(render_report_html(""), Catch::Contains("invalid JSON"));
    CHECK_THROWS_WITH(render_report_html("{\"tables\": ["), Catch::Contains("invalid JSON"));
    CHECK_THROWS_AS(render_report_html("<html>"), std::runtime_error);
}
