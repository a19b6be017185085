#include "report/report_html.hpp"

#include "common/json_text.hpp"
#include "common/version.hpp"
#include "report/report_css.hpp" // generated from report/report.css

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <iterator>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace pgscrub::report {

namespace {

namespace json = common::json;
using json::Type;
using json::Value;

// ---- reading the report, tolerantly ------------------------------------------

// Member `key` of an object (the last one when the key repeats, as browsers
// and Python read JSON); nullptr when it is absent or null, or when `object`
// is not an object at all.
const Value* get(const Value* object, std::string_view key) {
    if (!object || object->type != Type::object) return nullptr;
    const Value* found = nullptr;
    for (std::size_t i = 0; i < object->keys.size() && i < object->items.size(); ++i) {
        if (object->keys[i] == key) found = &object->items[i];
    }
    return found && found->type != Type::null ? found : nullptr;
}

// A scalar as text: a string as it is, a number as written, a boolean as
// true/false; "" for null, absent, arrays and objects.
std::string scalar(const Value* v) {
    if (!v) return "";
    switch (v->type) {
    case Type::string:
    case Type::number: return v->text;
    case Type::boolean: return v->boolean ? "true" : "false";
    default: return "";
    }
}

const std::vector<Value>* list(const Value* v) { return v && v->type == Type::array ? &v->items : nullptr; }

std::optional<double> number(const Value* v) {
    if (!v || v->type != Type::number) return std::nullopt;
    double d = 0;
    const char* end = v->text.data() + v->text.size();
    auto [stop, error] = std::from_chars(v->text.data(), end, d);
    if (error != std::errc() || stop != end || !std::isfinite(d)) return std::nullopt;
    return d;
}

// ---- formatting ---------------------------------------------------------------

// "-1234567" -> "-1,234,567"; anything but an integer literal is returned as is.
std::string grouped(std::string_view literal) {
    const std::size_t start = literal.starts_with('-') ? 1 : 0;
    if (literal.size() == start) return std::string(literal);
    for (std::size_t i = start; i < literal.size(); ++i) {
        if (literal[i] < '0' || literal[i] > '9') return std::string(literal);
    }
    std::string out(literal.substr(0, start));
    const std::size_t digits = literal.size() - start;
    for (std::size_t i = 0; i < digits; ++i) {
        if (i && (digits - i) % 3 == 0) out += ',';
        out += literal[start + i];
    }
    return out;
}

// A count for display: integers grouped by thousands, other numbers and
// strings as written; "" when there is none.
std::string count_text(const Value* v) {
    if (!v) return "";
    if (v->type != Type::number) return scalar(v);
    std::string g = grouped(v->text);
    if (g != v->text || v->text.find_first_not_of("-0123456789") == std::string::npos) return g;
    // 3.0 or 1e3: an integer written another way.
    if (auto d = number(v); d && *d == std::floor(*d) && std::fabs(*d) < 1e15) {
        return grouped(std::to_string(static_cast<long long>(*d)));
    }
    return v->text;
}

std::string format(const char* pattern, double value) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, pattern, value);
    return buffer;
}

// Decimal units, as disks and transfer tools show them: 1.2 MB.
std::string bytes_text(double bytes) {
    if (bytes < 1000) return grouped(std::to_string(static_cast<long long>(std::max(bytes, 0.0)))) + " B";
    static const char* const units[] = {"kB", "MB", "GB", "TB", "PB", "EB"};
    std::size_t unit = 0;
    bytes /= 1000;
    while (bytes >= 999.95 && unit + 1 < std::size(units)) {
        bytes /= 1000;
        ++unit;
    }
    return format("%.1f", bytes) + " " + units[unit];
}

std::string seconds_text(double s) {
    if (s <= 0) return "0 s";
    if (s < 0.01) return "<0.01 s";
    if (s < 59.995) return format("%.2f", s) + " s";
    const long long whole = std::llround(s);
    char buffer[64];
    if (whole < 3600) std::snprintf(buffer, sizeof buffer, "%lld min %02lld s", whole / 60, whole % 60);
    else std::snprintf(buffer, sizeof buffer, "%lld h %02lld min", whole / 3600, whole % 3600 / 60);
    return buffer;
}

std::string percent_text(double share) {
    const double p = share * 100;
    if (p > 0 && p < 0.05) return "<0.1%";
    if (p > 99.95 && p < 100) return ">99.9%"; // never round a partial share up to all rows
    return format("%.1f", p) + "%";
}

// 2026-11-24T07:00:00Z (or with a fraction) -> 2026-11-24 07:00:00 UTC.
std::string when_text(const std::string& t) {
    const bool shaped = t.size() >= 20 && t[4] == '-' && t[7] == '-' && t[10] == 'T' && t[13] == ':' &&
                        t[16] == ':' && t.back() == 'Z' && (t.size() == 20 || t[19] == '.');
    return shaped ? t.substr(0, 10) + " " + t.substr(11, 8) + " UTC" : t;
}

// ---- HTML ---------------------------------------------------------------------

// Length of the valid UTF-8 sequence at s[i], or 0 when it is not one.
std::size_t utf8_sequence(std::string_view s, std::size_t i) {
    const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
    const unsigned char lead = byte(i);
    std::size_t length = 0;
    unsigned char low = 0x80, high = 0xBF; // allowed range of the second byte
    if (lead >= 0xC2 && lead <= 0xDF) length = 2;
    else if (lead >= 0xE0 && lead <= 0xEF) {
        length = 3;
        if (lead == 0xE0) low = 0xA0;       // overlong
        if (lead == 0xED) high = 0x9F;      // surrogates
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        length = 4;
        if (lead == 0xF0) low = 0x90;
        if (lead == 0xF4) high = 0x8F;
    } else {
        return 0;
    }
    if (i + length > s.size() || byte(i + 1) < low || byte(i + 1) > high) return 0;
    for (std::size_t k = 2; k < length; ++k) {
        if (byte(i + k) < 0x80 || byte(i + k) > 0xBF) return 0;
    }
    return length;
}

// Escapes the five characters that matter in HTML, and turns control
// characters and invalid UTF-8 (a name from the database may hold either)
// into U+FFFD, so whatever the report holds, it is shown as text.
void escape_into(std::string& out, std::string_view text) {
    for (std::size_t i = 0; i < text.size();) {
        const auto c = static_cast<unsigned char>(text[i]);
        switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        case '\'': out += "&#39;"; break;
        case '\t':
        case '\n': out += static_cast<char>(c); break;
        default:
            if (c < 0x20 || c == 0x7F) {
                out += "\xEF\xBF\xBD";
            } else if (c < 0x80) {
                out += static_cast<char>(c);
            } else if (std::size_t n = utf8_sequence(text, i)) {
                out.append(text.substr(i, n));
                i += n;
                continue;
            } else {
                out += "\xEF\xBF\xBD";
            }
        }
        ++i;
    }
}

std::string esc(std::string_view text) {
    std::string out;
    escape_into(out, text);
    return out;
}

// A name (schema.table.column, a path) escaped, with a line-break opportunity
// after each . _ / - and within long runs, so narrow columns wrap it at its
// joints rather than mid-word, and a long name never widens the page.
std::string ident(std::string_view text) {
    std::string out;
    std::size_t start = 0, run = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        const bool continuation = (static_cast<unsigned char>(c) & 0xC0) == 0x80;
        if (!continuation && run >= 24) { // before a character, never inside a UTF-8 sequence
            escape_into(out, text.substr(start, i - start));
            out += "<wbr>";
            start = i;
            run = 0;
        }
        if (!continuation) ++run;
        if (c == '.' || c == '_' || c == '/' || c == '-') {
            escape_into(out, text.substr(start, i + 1 - start));
            out += "<wbr>";
            start = i + 1;
            run = 0;
        }
    }
    escape_into(out, text.substr(start));
    return out;
}

const char* const kNotRecorded = "<span class=\"none\">not recorded</span>";

// The CSS class of a badge for a table or column action, or for the class of
// a scan finding ("kept" is both, in different colours). Only these constant
// names ever reach an attribute.
enum class BadgeKind { action, finding };
const char* badge_class(std::string_view word, BadgeKind kind) {
    if (kind == BadgeKind::finding) {
        if (word == "leak") return "c-leak";
        if (word == "unlisted") return "c-unlisted";
        if (word == "kept") return "c-kept";
        if (word == "confirmed") return "c-confirmed";
        return "b-other";
    }
    if (word == "transformed") return "b-transformed";
    if (word == "kept") return "b-kept";
    if (word == "truncated") return "b-truncated";
    if (word == "nulled") return "b-nulled";
    return "b-other";
}

std::string badge(std::string_view word, BadgeKind kind = BadgeKind::action) {
    if (word.empty()) return kNotRecorded;
    return std::string("<span class=\"badge ") + badge_class(word, kind) + "\">" + esc(word) + "</span>";
}

std::string code(std::string_view text) { return "<code>" + esc(text) + "</code>"; }
std::string code_ident(std::string_view text) { return "<code>" + ident(text) + "</code>"; }

// <td> holding already-built HTML.
void td(std::string& h, const std::string& html, const char* cls = nullptr) {
    h += cls ? std::string("<td class=\"") + cls + "\">" : std::string("<td>");
    h += html.empty() ? std::string("<span class=\"none\">—</span>") : html;
    h += "</td>";
}

// ---- the page -----------------------------------------------------------------


void fact(std::string& h, std::string_view label, const std::string& html, bool wide = false) {
    h += wide ? "<div class=\"wide\"><dt>" : "<div><dt>";
    h += label;
    h += "</dt><dd>";
    h += html.empty() ? std::string(kNotRecorded) : html;
    h += "</dd></div>\n";
}

// Whether the report says outright that no output was written (scrub
// --verify writes none when it fails).
bool output_not_written(const Value* report) {
    const Value* written = get(report, "output_written");
    return written && written->type == Type::boolean && !written->boolean;
}

// A path and its archive format: "<code>prod.dump</code> · custom".
std::string path_and_format(const Value* report, const char* path_key, const char* format_key, const char* dash_means) {
    const std::string path = scalar(get(report, path_key));
    const std::string fmt = scalar(get(report, format_key));
    std::string html;
    if (!path.empty()) {
        html = code_ident(path);
        if (path == "-") html += std::string(" <span class=\"fmt\">(") + dash_means + ")</span>";
    } else if (!fmt.empty()) {
        html = "<span class=\"none\">path not recorded</span>";
    }
    if (!fmt.empty()) html += " <span class=\"fmt\">&middot;&nbsp;" + esc(fmt) + "&nbsp;format</span>";
    return html;
}

void render_header(std::string& h, const Value* report) {
    h += "<header class=\"panel masthead\">\n<div class=\"title-row\"><div>"
         "<p class=\"kicker\">Personal data scrub · compliance record</p><h1>pgscrub report</h1></div>\n"
         "<nav><a href=\"#verification\">Verification</a><a href=\"#coverage\">Coverage</a>"
         "<a href=\"#scan\">Leak scan</a><a href=\"#tables\">Tables</a></nav></div>\n<dl class=\"facts\">\n";
    const std::string generated = scalar(get(report, "generated_at"));
    fact(h, "Generated", generated.empty() ? "" : esc(when_text(generated)));
    fact(h, "pgscrub version", esc(scalar(get(report, "pgscrub_version"))));
    const auto seconds = number(get(report, "seconds"));
    fact(h, "Run time", seconds ? esc(seconds_text(*seconds)) : "");
    fact(h, "Large objects", esc(count_text(get(report, "large_objects"))));
    fact(h, "Input", path_and_format(report, "input", "input_format", "standard input"), true);
    std::string output = path_and_format(report, "output", "output_format", "standard output");
    if (output_not_written(report)) output += " <span class=\"badge b-alert\">not written</span>";
    fact(h, "Output", output, true);
    const std::string rules = scalar(get(report, "rules_file"));
    fact(h, "Rules file", rules.empty() ? "" : code_ident(rules), true);
    const std::string sha = scalar(get(report, "rules_sha256"));
    fact(h, "Rules file SHA-256", sha.empty() ? "" : code_ident(sha), true);
    h += "</dl>\n</header>\n";
}

void render_verdict(std::string& h, const Value* report) {
    const Value* verify = get(report, "verify");
    const std::string status = scalar(get(verify, "status"));
    if (status == "passed") {
        h += "<section class=\"verdict v-passed\" id=\"verification\">\n<div class=\"verdict-head\">"
             "<div class=\"verdict-mark\" aria-hidden=\"true\">&#10003;</div><div>"
             "<h2>Verified: no scrubbed value survives</h2><p>";
        h += "No original value of a scrubbed column was found in the output.";
        std::vector<std::string> parts;
        if (auto v = count_text(get(verify, "originals_remembered")); !v.empty()) parts.push_back(esc(v) + " original values remembered");
        if (auto v = count_text(get(verify, "values_checked")); !v.empty()) parts.push_back(esc(v) + " values checked");
        if (auto v = count_text(get(verify, "fields_checked")); !v.empty()) parts.push_back(esc(v) + " fields checked");
        if (!parts.empty()) h += "<br>";
        for (std::size_t i = 0; i < parts.size(); ++i) h += (i ? " &middot; " : "") + parts[i];
        h += "</p></div></div>\n</section>\n";
        return;
    }
    if (status == "failed") {
        const auto* survivors = list(get(verify, "survivors"));
        const std::size_t places = survivors ? survivors->size() : 0;
        double total = 0;
        bool counted = places > 0;
        if (survivors) {
            for (const Value& s : *survivors) {
                if (auto c = number(get(&s, "count"))) total += *c;
                else counted = false;
            }
        }
        h += "<section class=\"verdict v-failed\" id=\"verification\">\n<div class=\"verdict-head\">"
             "<div class=\"verdict-mark\" aria-hidden=\"true\">&#10005;</div><div>"
             "<h2>Verification FAILED</h2><p>";
        if (places == 0) {
            h += "Original values of scrubbed columns were found in the output. The report names no places.";
        } else {
            if (counted) h += esc(grouped(std::to_string(static_cast<long long>(total)))) + (total == 1 ? " original value" : " original values");
            else h += "Original values";
            h += " of scrubbed columns were found in the scrubbed output, in " + std::to_string(places) +
                 (places == 1 ? " place" : " places") + ".";
        }
        h += output_not_written(report) ? " The output was not written." : " Do not copy this output.";
        h += "</p></div></div>\n";
        if (places) {
            h += "<div class=\"verdict-body\">\n<h3>Survivors</h3>\n<table class=\"data\">\n<thead><tr>"
                 "<th>Found in</th><th>Where</th><th class=\"num\">First row</th><th class=\"num\">Count</th>"
                 "<th>Original column</th></tr></thead>\n<tbody>\n";
            for (const Value& s : *survivors) {
                h += "<tr>";
                const std::string found_in = scalar(get(&s, "found_in"));
                td(h, found_in.empty() ? "" : "<span class=\"name\">" + ident(found_in) + "</span>");
                td(h, esc(scalar(get(&s, "where"))));
                td(h, esc(count_text(get(&s, "first_row"))), "num");
                td(h, esc(count_text(get(&s, "count"))), "num");
                td(h, ident(scalar(get(&s, "source"))));
                h += "</tr>\n";
            }
            h += "</tbody>\n</table>\n</div>\n";
        }
        h += "</section>\n";
        return;
    }
    h += "<section class=\"verdict v-none\" id=\"verification\">\n<div class=\"verdict-head\">"
         "<div class=\"verdict-mark\" aria-hidden=\"true\">?</div><div>"
         "<h2>Not verified (run scrub --verify)</h2><p>";
    if (verify && !status.empty()) {
        h += "The report's verification status is &ldquo;" + esc(status) + "&rdquo;, which is neither passed nor failed. ";
    }
    h += "Nothing in this report shows whether an original value survives in the output.</p></div></div>\n</section>\n";
}

// The classes of scan findings, in the order a reviewer should read them.
struct FindingClass {
    const char* name;
    const char* label;
    const char* meaning;
};
const FindingClass kClasses[] = {
    {"leak", "Leak", "the rules transform or drop this column, yet personal data is here"},
    {"unlisted", "Unlisted", "no rule names this column"},
    {"kept", "Kept", "the rules keep this column as it is; a reviewer must confirm it with a reviewed reason"},
    {"confirmed", "Confirmed", "kept on purpose, with a reviewed reason"},
};

std::size_t class_rank(std::string_view name) {
    for (std::size_t i = 0; i < std::size(kClasses); ++i) {
        if (name == kClasses[i].name) return i;
    }
    return std::size(kClasses);
}

std::size_t count_class(const std::vector<Value>* findings, std::string_view name) {
    std::size_t n = 0;
    if (findings) {
        for (const Value& f : *findings) n += scalar(get(&f, "class")) == name ? 1 : 0;
    }
    return n;
}

void render_attention(std::string& h, const Value* report) {
    std::vector<std::string> items;
    const auto* findings = list(get(get(report, "scan"), "findings"));
    const auto findings_of = [&](std::string_view name, const char* why) {
        if (std::size_t n = count_class(findings, name)) {
            items.push_back("<a href=\"#scan\">" + std::to_string(n) + (n == 1 ? " scan finding" : " scan findings") +
                            "</a> classed <b>" + std::string(name) + "</b>: " + why + ".");
        }
    };
    findings_of("leak", "personal data in columns the rules transform or drop");
    findings_of("unlisted", "personal data in columns no rule names");
    findings_of("kept", "personal data in kept columns with no reviewed reason yet");
    if (auto unclassified = number(get(get(report, "coverage"), "columns_unclassified")); unclassified && *unclassified > 0) {
        items.push_back("<a href=\"#coverage\">" + esc(count_text(get(get(report, "coverage"), "columns_unclassified"))) +
                        (*unclassified == 1 ? " column" : " columns") + "</a> not classified by the rules.");
    }
    if (items.empty()) return;
    h += "<section class=\"panel attention\">\n<h2>Needs a decision before sign-off</h2>\n<ul>\n";
    for (const std::string& item : items) h += "<li>" + item + "</li>\n";
    h += "</ul>\n</section>\n";
}

void card_row(std::string& h, std::string_view word, const std::string& value) {
    h += "<li><span>" + badge(word) + "</span><b>" + (value.empty() ? std::string(kNotRecorded) : value) + "</b></li>";
}

void render_coverage(std::string& h, const Value* report) {
    const Value* coverage = get(report, "coverage");
    h += "<section class=\"panel\" id=\"coverage\">\n<h2>Coverage</h2>\n";
    if (!coverage) {
        h += "<p class=\"lede\">This report has no coverage section (it predates it); the table counts below are "
             "taken from the table list.</p>\n";
    } else {
        h += "<p class=\"lede\">What the rules decided for every table and column with data.</p>\n";
    }
    h += "<div class=\"cards\">\n";

    // Tables: from the coverage section, else counted from the table list.
    std::string tables, transformed, kept, truncated;
    if (coverage) {
        tables = esc(count_text(get(coverage, "tables")));
        transformed = esc(count_text(get(coverage, "tables_transformed")));
        kept = esc(count_text(get(coverage, "tables_kept")));
        truncated = esc(count_text(get(coverage, "tables_truncated")));
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
    h += "<div class=\"card\"><div class=\"card-label\">Tables</div><div class=\"card-value\">" +
         (tables.empty() ? std::string(kNotRecorded) : tables) + "</div><ul>";
    card_row(h, "transformed", transformed);
    card_row(h, "kept", kept);
    card_row(h, "truncated", truncated);
    h += "</ul></div>\n";

    const std::string columns = esc(count_text(get(coverage, "columns")));
    h += "<div class=\"card\"><div class=\"card-label\">Columns</div><div class=\"card-value\">" +
         (columns.empty() ? std::string(kNotRecorded) : columns) + "</div><ul>";
    card_row(h, "transformed", esc(count_text(get(coverage, "columns_transformed"))));
    card_row(h, "kept", esc(count_text(get(coverage, "columns_kept"))));
    h += "<li><span>reviewed</span><b>";
    const std::string reviewed = esc(count_text(get(coverage, "columns_reviewed")));
    h += reviewed.empty() ? std::string(kNotRecorded) : reviewed;
    h += "</b></li></ul></div>\n";

    const Value* unclassified = get(coverage, "columns_unclassified");
    const auto how_many = number(unclassified);
    if (!unclassified) {
        h += "<div class=\"card\"><div class=\"card-label\">Unclassified columns</div><div class=\"card-value\">" +
             std::string(kNotRecorded) + "</div><p>Columns with data that no rule classifies.</p></div>\n";
    } else if (how_many && *how_many == 0) {
        h += "<div class=\"card ok\"><div class=\"card-label\">Unclassified columns</div><div class=\"card-value\">0</div>"
             "<p>Every column with data has a rule.</p></div>\n";
    } else {
        h += "<div class=\"card alert\"><div class=\"card-label\">Unclassified columns</div><div class=\"card-value\">" +
             esc(count_text(unclassified)) +
             "</div><p>Columns with data that no rule classifies: review them before signing off.</p></div>\n";
    }
    h += "</div>\n</section>\n";
}

void render_scan(std::string& h, const Value* report) {
    const Value* scan = get(report, "scan");
    h += "<section class=\"panel\" id=\"scan\">\n<h2>Leak scan</h2>\n";
    if (!scan) {
        h += "<p class=\"lede\">This report holds no leak scan.</p>\n</section>\n";
        return;
    }
    const auto* findings = list(get(scan, "findings"));
    const std::size_t total = findings ? findings->size() : 0;
    h += "<p class=\"lede\">";
    const std::string values = count_text(get(scan, "values_scanned"));
    const auto bytes = number(get(scan, "bytes_scanned"));
    if (!values.empty()) {
        h += esc(values) + " values";
        if (bytes) h += " (" + esc(bytes_text(*bytes)) + ")";
        h += " searched for e-mail addresses, phone numbers, IP addresses, payment cards, IBANs and other personal data: ";
    }
    h += std::to_string(total) + (total == 1 ? " finding" : " findings") +
         ". Examples are masked; no whole value is shown.</p>\n";

    // One card per class, with its count and what it means.
    h += "<div class=\"classes\">\n";
    for (const FindingClass& c : kClasses) {
        const std::size_t n = count_class(findings, c.name);
        const std::string_view name = c.name;
        h += std::string("<div class=\"class-card") +
             (n == 0 ? " zero" : name == "leak" ? " bad" : name == "confirmed" ? " good" : " needs") + "\">";
        h += "<div class=\"class-top\">" + badge(c.name, BadgeKind::finding) + "<b>" + std::to_string(n) + "</b></div>";
        h += std::string("<p>") + c.meaning + "</p></div>\n";
    }
    h += "</div>\n";
    if (total == 0) {
        h += "<p>No personal data was found.</p>\n</section>\n";
        return;
    }

    h += "<table class=\"data\">\n<thead><tr><th>Column</th><th>Kind</th><th class=\"num\">Rows</th>"
         "<th class=\"num\">Share</th><th>Masked examples</th><th>Class</th><th>Reviewed</th></tr></thead>\n";
    // One tbody per class, in reading order; unknown or missing classes last.
    for (std::size_t rank = 0; rank <= std::size(kClasses); ++rank) {
        std::vector<const Value*> group;
        for (const Value& f : *findings) {
            if (class_rank(scalar(get(&f, "class"))) == rank) group.push_back(&f);
        }
        if (group.empty()) continue;
        const bool known = rank < std::size(kClasses);
        h += "<tbody>\n<tr class=\"group\"><th colspan=\"7\">";
        h += known ? kClasses[rank].label : "Other";
        h += " &mdash; " + std::to_string(group.size()) + (group.size() == 1 ? " finding" : " findings");
        h += "</th></tr>\n";
        for (const Value* f : group) {
            h += "<tr>";
            const std::string table = scalar(get(f, "table"));
            const std::string column = scalar(get(f, "column"));
            std::string where = table;
            if (!column.empty()) where += (where.empty() ? "" : ".") + column;
            td(h, where.empty() ? "" : "<span class=\"name\">" + ident(where) + "</span>");
            td(h, esc(scalar(get(f, "kind"))), "nowrap");
            std::string rows = esc(count_text(get(f, "rows")));
            if (const std::string of = count_text(get(f, "rows_scanned")); !rows.empty() && !of.empty()) {
                rows += " <span class=\"muted\">of&nbsp;" + esc(of) + "</span>";
            }
            td(h, rows, "num");
            auto share = number(get(f, "share"));
            if (!share) {
                const auto r = number(get(f, "rows"));
                const auto n = number(get(f, "rows_scanned"));
                if (r && n && *n > 0) share = *r / *n;
            }
            td(h, share ? esc(percent_text(*share)) : "", "num");
            std::string examples;
            if (const auto* list_of_examples = list(get(f, "examples"))) {
                for (const Value& e : *list_of_examples) {
                    if (e.type == Type::string) examples += "<code class=\"example\">" + esc(e.text) + "</code>";
                }
            }
            td(h, examples);
            td(h, badge(scalar(get(f, "class")), BadgeKind::finding));
            td(h, esc(scalar(get(f, "reviewed"))), "reason");
            h += "</tr>\n";
        }
        h += "</tbody>\n";
    }
    h += "</table>\n</section>\n";
}

// A column's action; older reports name only the transform.
std::string column_action(const Value* column) {
    std::string action = scalar(get(column, "action"));
    if (!action.empty()) return action;
    const std::string transform = scalar(get(column, "transform"));
    if (transform == "keep") return "kept";
    if (transform == "null") return "nulled";
    return transform.empty() ? "" : "transformed";
}

std::string rows_text(const Value* table) {
    const Value* rows = get(table, "rows");
    if (!rows) return "<span class=\"none\">not counted (copied as stored)</span>";
    return esc(count_text(rows));
}

std::string bytes_cell(const Value* v) {
    const auto b = number(v);
    if (!b) return esc(scalar(v));
    return "<span title=\"" + esc(count_text(v)) + " bytes\">" + esc(bytes_text(*b)) + "</span>";
}

void render_tables(std::string& h, const Value* report) {
    const auto* tables = list(get(report, "tables"));
    h += "<section class=\"panel\" id=\"tables\">\n<h2>Tables</h2>\n";
    if (!tables || tables->empty()) {
        h += "<p class=\"lede\">This report lists no tables.</p>\n</section>\n";
        return;
    }
    h += "<p class=\"lede\">" + std::to_string(tables->size()) + (tables->size() == 1 ? " table" : " tables") +
         " with data. Stored size is the table's data as the input archive holds it (compressed); COPY text is "
         "its size decoded.</p>\n";
    h += "<table class=\"data\">\n<thead><tr><th>Table</th><th>Action</th><th class=\"num\">Rows</th>"
         "<th class=\"num\">Stored</th><th class=\"num\">COPY text</th><th class=\"num\">Time</th>"
         "<th class=\"num\">Values changed</th></tr></thead>\n<tbody>\n";
    for (std::size_t i = 0; i < tables->size(); ++i) {
        const Value* t = &(*tables)[i];
        const std::string name = scalar(get(t, "table"));
        const auto* columns = list(get(t, "columns"));
        h += "<tr>";
        std::string name_html = name.empty() ? std::string("<span class=\"none\">unnamed</span>") : ident(name);
        if (columns && !columns->empty()) name_html = "<a href=\"#table-" + std::to_string(i + 1) + "\">" + name_html + "</a>";
        td(h, "<span class=\"name\">" + name_html + "</span>");
        td(h, badge(scalar(get(t, "action"))));
        td(h, rows_text(t), "num");
        td(h, bytes_cell(get(t, "stored_bytes_in")), "num");
        // A table copied as stored was never decoded: it has no COPY text size.
        const Value* as_stored = get(t, "copied_as_stored");
        const bool not_decoded = as_stored && as_stored->type == Type::boolean && as_stored->boolean;
        td(h, not_decoded ? "" : bytes_cell(get(t, "copy_bytes_in")), "num");
        const auto seconds = number(get(t, "seconds"));
        td(h, seconds ? esc(seconds_text(*seconds)) : "", "num");
        std::string changed;
        if (columns) {
            double sum = 0;
            bool any = false;
            for (const Value& c : *columns) {
                if (auto n = number(get(&c, "values_changed"))) {
                    sum += *n;
                    any = true;
                }
            }
            if (any) changed = grouped(std::to_string(static_cast<long long>(sum)));
        }
        td(h, esc(changed), "num");
        h += "</tr>\n";
    }
    h += "</tbody>\n</table>\n";

    for (std::size_t i = 0; i < tables->size(); ++i) {
        const Value* t = &(*tables)[i];
        const auto* columns = list(get(t, "columns"));
        if (!columns || columns->empty()) continue;
        const std::string name = scalar(get(t, "table"));
        // Open, so the page prints whole; a reader on screen can fold a table away.
        h += "<details class=\"table-detail\" id=\"table-" + std::to_string(i + 1) + "\" open>\n<summary>";
        h += "<span class=\"name\">" + (name.empty() ? std::string("<span class=\"none\">unnamed</span>") : ident(name)) + "</span> ";
        h += badge(scalar(get(t, "action")));
        h += "<span class=\"stats\">";
        if (get(t, "rows")) h += esc(count_text(get(t, "rows"))) + " rows";
        else h += "rows not counted (copied as stored)";
        h += " &middot; " + std::to_string(columns->size()) + (columns->size() == 1 ? " column" : " columns");
        h += "</span></summary>\n<div class=\"detail-body\">\n";

        std::vector<std::string> meta;
        if (auto id = scalar(get(t, "dump_id")); !id.empty()) meta.push_back("TOC entry " + esc(id));
        const std::string rule = scalar(get(t, "rule_table"));
        if (!rule.empty() && rule != name) meta.push_back("rule of " + code_ident(rule));
        else if (!rule.empty()) meta.push_back("its own rule");
        else if (get(t, "rule_table")) meta.push_back("no rule names it");
        if (const Value* stored = get(t, "copied_as_stored"); stored && stored->type == Type::boolean && stored->boolean) {
            meta.push_back("copied as stored, without decompressing");
        }
        if (!meta.empty()) {
            h += "<p class=\"meta\">";
            for (std::size_t m = 0; m < meta.size(); ++m) h += (m ? " &middot; " : "") + meta[m];
            h += "</p>\n";
        }
        h += "<table class=\"data fixed\">\n<colgroup><col style=\"width:19%\"><col style=\"width:20%\">"
             "<col style=\"width:12%\"><col style=\"width:15%\"><col style=\"width:13%\"><col></colgroup>\n"
             "<thead><tr><th>Column</th><th>Type</th><th>Action</th><th>Transform</th>"
             "<th class=\"num\">Values changed</th><th>Reviewed</th></tr></thead>\n<tbody>\n";
        for (const Value& c : *columns) {
            // A column no rule names ("listed": false) is what coverage counts as unclassified.
            const Value* listed = get(&c, "listed");
            const bool unclassified = listed && listed->type == Type::boolean && !listed->boolean;
            h += unclassified ? "<tr class=\"unclassified\">" : "<tr>";
            const std::string column = scalar(get(&c, "column"));
            std::string name_html = column.empty() ? "" : "<span class=\"name\">" + ident(column) + "</span>";
            if (unclassified) name_html += " <span class=\"badge b-alert\">unclassified</span>";
            td(h, name_html);
            const std::string type = scalar(get(&c, "type"));
            td(h, type.empty() ? "" : code_ident(type));
            td(h, badge(column_action(&c)));
            const std::string transform = scalar(get(&c, "transform"));
            td(h, transform.empty() ? "" : code(transform));
            td(h, esc(count_text(get(&c, "values_changed"))), "num");
            td(h, esc(scalar(get(&c, "reviewed"))), "reason");
            h += "</tr>\n";
        }
        h += "</tbody>\n</table>\n</div>\n</details>\n";
    }
    h += "</section>\n";
}

void render_signoff(std::string& h) {
    h += "<section class=\"panel signoff\">\n<h2>Sign-off</h2>\n"
         "<p class=\"lede\">I have reviewed this report and approve / do not approve copying the output to the "
         "environment named below.</p>\n<div class=\"lines\"><div>Name and signature</div><div>Date</div>"
         "<div>Target environment</div></div>\n</section>\n";
}

} // namespace

std::string html_escape(std::string_view text) { return esc(text); }

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
    std::string h;
    h.reserve(64 * 1024);
    h += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
         "<meta name=\"generator\" content=\"pgscrub report\">\n<title>pgscrub report</title>\n<style>";
    h += kReportCss;
    h += "</style>\n</head>\n<body>\n<main>\n";
    render_header(h, r);
    render_verdict(h, r);
    render_attention(h, r);
    render_coverage(h, r);
    render_scan(h, r);
    render_tables(h, r);
    render_signoff(h);
    h += "<footer>\n<p>This report holds no personal values: examples are masked and survivors are named by column only.</p>\n";
    const std::string version = scalar(get(r, "report_version"));
    h += "<p>Rendered by pgscrub " + esc(version_string()) + " from a report of version " +
         (version.empty() ? std::string("0 (before versioning)") : esc(version)) +
         ".</p>\n</footer>\n</main>\n</body>\n</html>\n";
    return h;
}

} // namespace pgscrub::report
