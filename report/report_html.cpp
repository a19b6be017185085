#include "report/report_html.hpp"

#include "common/json_text.hpp"
#include "common/version.hpp"
#include "report/html_builder.hpp"
#include "report/report_css.hpp" // generated from report/report.css
#include "report/report_html_parts.hpp"
#include "report/report_values.hpp"

#include <stdexcept>
#include <string>
#include <vector>

namespace pgscrub::report {

namespace {

namespace json = common::json;
using namespace parts;
using html::TrustedHtml;
using json::Type;
using values::count_text;
using values::get;
using values::grouped;
using values::list;
using values::number;
using values::scalar;

// ---- the masthead --------------------------------------------------------------

// One fact of the masthead: <div><dt>label</dt><dd>value</dd></div>.
Element fact(std::string_view label, const Html& value, bool wide = false) {
    Element div{"div"};
    if (wide) div.cls("wide");
    return div.add(Element{"dt"}.text(label)).add(Element{"dd"}.add(or_not_recorded(value))).line();
}

// Whether the report says outright that no output was written (scrub
// --verify writes none when it fails).
bool output_not_written(const Value* report) { return values::is_false(get(report, "output_written")); }

// A path and its archive format: "<code>prod.dump</code> · custom".
Html path_and_format(const Value* report, const char* path_key, const char* format_key, const char* dash_means) {
    const std::string path = scalar(get(report, path_key));
    const std::string fmt = scalar(get(report, format_key));
    Html out;
    if (!path.empty()) {
        out = code_ident(path);
        if (path == "-") out += html::text(" ") + Element{"span"}.cls("fmt").text(std::string("(") + dash_means + ")");
    } else if (!fmt.empty()) {
        out = Element{"span"}.cls("none").text("path not recorded");
    }
    if (!fmt.empty()) {
        out += html::text(" ") +
               Element{"span"}.cls("fmt").add(kMiddot).add(kNbsp).text(fmt).add(kNbsp).text("format");
    }
    return out;
}

Element header(const Value* report) {
    Element nav{"nav"};
    nav.add(Element{"a"}.attr("href", "#verification").text("Verification"))
        .add(Element{"a"}.attr("href", "#coverage").text("Coverage"))
        .add(Element{"a"}.attr("href", "#scan").text("Leak scan"))
        .add(Element{"a"}.attr("href", "#tables").text("Tables"));
    Element title = Element{"div"}.cls("title-row");
    title.add(Element{"div"}
                  .add(Element{"p"}.cls("kicker").text("Personal data scrub · compliance record"))
                  .add(Element{"h1"}.text("pgscrub report"))
                  .line())
        .add(nav)
        .line();

    Element facts = Element{"dl"}.cls("facts").block();
    const std::string generated = scalar(get(report, "generated_at"));
    facts.add(fact("Generated", generated.empty() ? Html() : html::text(values::when_text(generated))));
    facts.add(fact("pgscrub version", html::text(scalar(get(report, "pgscrub_version")))));
    const auto seconds = number(get(report, "seconds"));
    facts.add(fact("Run time", seconds ? html::text(values::seconds_text(*seconds)) : Html()));
    facts.add(fact("Large objects", html::text(count_text(get(report, "large_objects")))));
    facts.add(fact("Input", path_and_format(report, "input", "input_format", "standard input"), true));
    Html output = path_and_format(report, "output", "output_format", "standard output");
    if (output_not_written(report)) output += html::text(" ") + Element{"span"}.cls("badge b-alert").text("not written");
    facts.add(fact("Output", output, true));
    const std::string rules = scalar(get(report, "rules_file"));
    facts.add(fact("Rules file", rules.empty() ? Html() : code_ident(rules), true));
    const std::string sha = scalar(get(report, "rules_sha256"));
    facts.add(fact("Rules file SHA-256", sha.empty() ? Html() : code_ident(sha), true));
    return Element{"header"}.cls("panel masthead").block().add(title).add(facts);
}

// ---- the verdict ------------------------------------------------------------------

// The banner: a section with a mark, a heading and a paragraph.
Element verdict(std::string_view cls, const Html& mark, std::string_view heading, const Html& paragraph) {
    Element head = Element{"div"}.cls("verdict-head").line();
    head.add(Element{"div"}.cls("verdict-mark").attr("aria-hidden", "true").add(mark))
        .add(Element{"div"}.add(Element{"h2"}.text(heading)).add(Element{"p"}.add(paragraph)));
    return Element{"section"}.cls(std::string("verdict ") + std::string(cls)).id("verification").block().add(head);
}

Element survivors_table(const std::vector<Value>& survivors) {
    Element body = Element{"tbody"}.block();
    for (const Value& s : survivors) {
        const std::string found_in = scalar(get(&s, "found_in"));
        body.add(Element{"tr"}
                     .add(cell(found_in.empty() ? Html() : name_span(ident(found_in))))
                     .add(cell(html::text(scalar(get(&s, "where")))))
                     .add(cell(html::text(count_text(get(&s, "first_row"))), "num"))
                     .add(cell(html::text(count_text(get(&s, "count"))), "num"))
                     .add(cell(ident(scalar(get(&s, "source")))))
                     .line());
    }
    return Element{"div"}
        .cls("verdict-body")
        .block()
        .add(Element{"h3"}.text("Survivors").line())
        .add(Element{"table"}
                 .cls("data")
                 .block()
                 .add(table_head({"Found in", "Where", "#First row", "#Count", "Original column"}))
                 .add(body));
}

Element verdict_section(const Value* report) {
    const Value* verify = get(report, "verify");
    const std::string status = scalar(get(verify, "status"));
    if (status == "passed") {
        Html p = html::text("No original value of a scrubbed column was found in the output.");
        std::vector<Html> counts;
        if (auto v = count_text(get(verify, "originals_remembered")); !v.empty()) {
            counts.push_back(html::text(v + " original values remembered"));
        }
        if (auto v = count_text(get(verify, "values_checked")); !v.empty()) counts.push_back(html::text(v + " values checked"));
        if (auto v = count_text(get(verify, "fields_checked")); !v.empty()) counts.push_back(html::text(v + " fields checked"));
        if (!counts.empty()) p += Element{"br"};
        p += join(counts, html::text(" ") + kMiddot + html::text(" "));
        return verdict("v-passed", Entity{"#10003"}, "Verified: no scrubbed value survives", p);
    }
    if (status == "failed") {
        const auto* survivors = list(get(verify, "survivors"));
        const std::size_t places = survivors ? survivors->size() : 0;
        double total = 0;
        bool counted_all = places > 0;
        if (survivors) {
            for (const Value& s : *survivors) {
                if (auto c = number(get(&s, "count"))) total += *c;
                else counted_all = false;
            }
        }
        std::string p;
        if (places == 0) {
            p = "Original values of scrubbed columns were found in the output. The report names no places.";
        } else {
            if (counted_all) {
                p = grouped(std::to_string(static_cast<long long>(total))) +
                    (total == 1 ? " original value" : " original values");
            } else {
                p = "Original values";
            }
            p += " of scrubbed columns were found in the scrubbed output, in " + std::to_string(places) +
                 (places == 1 ? " place" : " places") + ".";
        }
        p += output_not_written(report) ? " The output was not written." : " Do not copy this output.";
        Element section = verdict("v-failed", Entity{"#10005"}, "Verification FAILED", html::text(p));
        if (places) section.add(survivors_table(*survivors));
        return section;
    }
    Html p;
    if (verify && !status.empty()) {
        p = html::text("The report's verification status is ") + Entity{"ldquo"} + html::text(status) +
            Entity{"rdquo"} + html::text(", which is neither passed nor failed. ");
    }
    p += html::text("Nothing in this report shows whether an original value survives in the output.");
    return verdict("v-none", html::text("?"), "Not verified (run scrub --verify)", p);
}

// ---- what needs a decision, and coverage ------------------------------------------

// Empty when nothing needs a decision.
Html attention_section(const Value* report) {
    std::vector<Html> items;
    const auto* findings = list(get(get(report, "scan"), "findings"));
    const auto findings_of = [&](std::string_view name, std::string_view why) {
        if (std::size_t n = count_class(findings, name)) {
            items.push_back(Element{"a"}.attr("href", "#scan").add(counted(n, "scan finding", "scan findings")) +
                            html::text(" classed ") + Element{"b"}.text(name) +
                            html::text(": " + std::string(why) + "."));
        }
    };
    findings_of("leak", "personal data in columns the rules transform or drop");
    findings_of("unlisted", "personal data in columns no rule names");
    findings_of("kept", "personal data in kept columns with no reviewed reason yet");
    const Value* unclassified = get(get(report, "coverage"), "columns_unclassified");
    if (auto n = number(unclassified); n && *n > 0) {
        items.push_back(Element{"a"}
                            .attr("href", "#coverage")
                            .text(count_text(unclassified) + (*n == 1 ? " column" : " columns")) +
                        html::text(" not classified by the rules."));
    }
    if (items.empty()) return {};
    Element list_of_items = Element{"ul"}.block();
    for (const Html& item : items) list_of_items.add(Element{"li"}.add(item).line());
    return Element{"section"}
        .cls("panel attention")
        .block()
        .add(Element{"h2"}.text("Needs a decision before sign-off").line())
        .add(list_of_items);
}

// A card: its label, its value and what follows (a list or a sentence).
Element card(std::string_view cls, std::string_view label, const Html& value, const Html& rest) {
    return Element{"div"}
        .cls(cls)
        .add(Element{"div"}.cls("card-label").text(label))
        .add(Element{"div"}.cls("card-value").add(or_not_recorded(value)))
        .add(rest)
        .line();
}

Element card_row(std::string_view word, const Html& value) {
    return Element{"li"}.add(Element{"span"}.add(badge(word))).add(Element{"b"}.add(or_not_recorded(value)));
}

Element coverage_section(const Value* report) {
    const Value* coverage = get(report, "coverage");
    Element section = Element{"section"}.cls("panel").id("coverage").block();
    section.add(Element{"h2"}.text("Coverage").line());
    section.add(Element{"p"}
                    .cls("lede")
                    .text(coverage ? "What the rules decided for every table and column with data."
                                   : "This report has no coverage section (it predates it); the table counts below "
                                     "are taken from the table list.")
                    .line());

    // Tables: from the coverage section, else counted from the table list.
    std::string tables, transformed, kept, truncated;
    if (coverage) {
        tables = count_text(get(coverage, "tables"));
        transformed = count_text(get(coverage, "tables_transformed"));
        kept = count_text(get(coverage, "tables_kept"));
        truncated = count_text(get(coverage, "tables_truncated"));
    } else if (const auto* list_of_tables = list(get(report, "tables"))) {
        std::size_t t = 0, k = 0, r = 0;
        for (const Value& table : *list_of_tables) {
            const std::string action = scalar(get(&table, "action"));
            t += action == "transformed";
            k += action == "kept";
            r += action == "truncated";
        }
        tables = std::to_string(list_of_tables->size());
        transformed = std::to_string(t);
        kept = std::to_string(k);
        truncated = std::to_string(r);
    }
    Element cards = Element{"div"}.cls("cards").block();
    cards.add(card("card", "Tables", html::text(tables),
                   Element{"ul"}
                       .add(card_row("transformed", html::text(transformed)))
                       .add(card_row("kept", html::text(kept)))
                       .add(card_row("truncated", html::text(truncated)))));
    const auto count_of = [&](std::string_view key) { return html::text(count_text(get(coverage, key))); };
    cards.add(card("card", "Columns", count_of("columns"),
                   Element{"ul"}
                       .add(card_row("transformed", count_of("columns_transformed")))
                       .add(card_row("kept", count_of("columns_kept")))
                       .add(Element{"li"}
                                .add(Element{"span"}.text("reviewed"))
                                .add(Element{"b"}.add(or_not_recorded(count_of("columns_reviewed")))))));

    const Value* unclassified = get(coverage, "columns_unclassified");
    const auto how_many = number(unclassified);
    if (!unclassified) {
        cards.add(card("card", "Unclassified columns", Html(),
                       Element{"p"}.text("Columns with data that no rule classifies.")));
    } else if (how_many && *how_many == 0) {
        cards.add(card("card ok", "Unclassified columns", html::text("0"),
                       Element{"p"}.text("Every column with data has a rule.")));
    } else {
        cards.add(card("card alert", "Unclassified columns", html::text(count_text(unclassified)),
                       Element{"p"}.text("Columns with data that no rule classifies: review them before signing off.")));
    }
    return section.add(cards);
}

// ---- sign-off and the page -------------------------------------------------------

Element signoff_section() {
    return Element{"section"}
        .cls("panel signoff")
        .block()
        .add(Element{"h2"}.text("Sign-off").line())
        .add(Element{"p"}
                 .cls("lede")
                 .text("I have reviewed this report and approve / do not approve copying the output to the "
                       "environment named below.")
                 .line())
        .add(Element{"div"}
                 .cls("lines")
                 .add(Element{"div"}.text("Name and signature"))
                 .add(Element{"div"}.text("Date"))
                 .add(Element{"div"}.text("Target environment"))
                 .line());
}

Element footer(const Value* report) {
    const std::string version = scalar(get(report, "report_version"));
    return Element{"footer"}
        .block()
        .add(Element{"p"}
                 .text("This report holds no personal values: examples are masked and survivors are named by "
                       "column only.")
                 .line())
        .add(Element{"p"}
                 .text(std::string("Rendered by pgscrub ") + version_string() + " from a report of version " +
                       (version.empty() ? std::string("0 (before versioning)") : version) + ".")
                 .line());
}

Element head() {
    return Element{"head"}
        .block()
        .add(Element{"meta"}.attr("charset", "utf-8").line())
        .add(Element{"meta"}.attr("name", "viewport").attr("content", "width=device-width, initial-scale=1").line())
        .add(Element{"meta"}.attr("name", "generator").attr("content", "pgscrub report").line())
        .add(Element{"title"}.text("pgscrub report").line())
        // The style sheet is report/report.css, compiled in (report/CMakeLists.txt).
        .add(Element{"style"}.add(TrustedHtml{kReportCss}).line());
}

} // namespace

std::string html_escape(std::string_view text) { return html::escape(text); }

std::string render_report_html(std::string_view report_json) {
    json::Value report;
    try {
        report = json::parse(report_json);
    } catch (const json::ParseError& e) {
        throw std::runtime_error(std::string("not a pgscrub report: ") + e.what());
    }
    if (report.type != Type::object) {
        static const char* const names[] = {"null", "a boolean", "a number", "a string", "an array", "an object"};
        throw std::runtime_error(std::string("not a pgscrub report: expected a JSON object, found ") +
                                 names[static_cast<int>(report.type)]);
    }
    const Value* r = &report;
    const Element content = Element{"main"}
                             .block()
                             .add(header(r))
                             .add(verdict_section(r))
                             .add(attention_section(r))
                             .add(coverage_section(r))
                             .add(scan_section(r))
                             .add(tables_section(r))
                             .add(signoff_section())
                             .add(footer(r));
    const Html page = TrustedHtml{"<!DOCTYPE html>\n"} +
                      Element{"html"}.attr("lang", "en").block().add(head()).add(Element{"body"}.block().add(content));
    return page.str();
}

} // namespace pgscrub::report
