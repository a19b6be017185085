// The two long sections of the report page: the leak scan's findings and the
// tables with their columns (report_html_parts.hpp).

#include "report/report_html_parts.hpp"

#include <iterator>
#include <string>
#include <vector>

namespace pgscrub::report::parts {

namespace {

using values::count_text;
using values::get;
using values::list;
using values::number;
using values::scalar;
using values::Type;

Element finding_row(const Value* f) {
    const std::string table = scalar(get(f, "table"));
    const std::string column = scalar(get(f, "column"));
    std::string where = table;
    if (!column.empty()) where += (where.empty() ? "" : ".") + column;
    Html rows = html::text(count_text(get(f, "rows")));
    if (const std::string of = count_text(get(f, "rows_scanned")); !rows.empty() && !of.empty()) {
        rows += html::text(" ") + Element{"span"}.cls("muted").text("of").add(kNbsp).text(of);
    }
    auto share = number(get(f, "share"));
    if (!share) {
        const auto r = number(get(f, "rows"));
        const auto n = number(get(f, "rows_scanned"));
        if (r && n && *n > 0) share = *r / *n;
    }
    Html examples;
    if (const auto* list_of_examples = list(get(f, "examples"))) {
        for (const Value& e : *list_of_examples) {
            if (e.type == Type::string) examples += Element{"code"}.cls("example").text(e.text);
        }
    }
    return Element{"tr"}
        .add(cell(where.empty() ? Html() : name_span(ident(where))))
        .add(cell(html::text(scalar(get(f, "kind"))), "nowrap"))
        .add(cell(rows, "num"))
        .add(cell(share ? html::text(values::percent_text(*share)) : Html(), "num"))
        .add(cell(examples))
        .add(cell(badge(scalar(get(f, "class")), BadgeKind::finding)))
        .add(cell(html::text(scalar(get(f, "reviewed"))), "reason"))
        .line();
}

} // namespace

Element scan_section(const Value* report) {
    const Value* scan = get(report, "scan");
    Element section = Element{"section"}.cls("panel").id("scan").block();
    section.add(Element{"h2"}.text("Leak scan").line());
    if (!scan) return section.add(Element{"p"}.cls("lede").text("This report holds no leak scan.").line());

    const auto* findings = list(get(scan, "findings"));
    const std::size_t total = findings ? findings->size() : 0;
    Element lede = Element{"p"}.cls("lede").line();
    const std::string values_scanned = count_text(get(scan, "values_scanned"));
    const auto bytes = number(get(scan, "bytes_scanned"));
    if (!values_scanned.empty()) {
        lede.text(values_scanned + " values");
        if (bytes) lede.text(" (" + values::bytes_text(*bytes) + ")");
        lede.text(" searched for e-mail addresses, phone numbers, IP addresses, payment cards, IBANs and other "
                  "personal data: ");
    }
    lede.add(counted(total, "finding", "findings")).text(". Examples are masked; no whole value is shown.");
    section.add(lede);

    // One card per class, with its count and what it means.
    Element classes = Element{"div"}.cls("classes").block();
    for (const FindingClass& c : kClasses) {
        const std::size_t n = count_class(findings, c.name);
        const std::string_view name = c.name;
        const char* tone = n == 0 ? " zero" : name == "leak" ? " bad" : name == "confirmed" ? " good" : " needs";
        classes.add(Element{"div"}
                        .cls(std::string("class-card") + tone)
                        .add(Element{"div"}
                                 .cls("class-top")
                                 .add(badge(c.name, BadgeKind::finding))
                                 .add(Element{"b"}.text(std::to_string(n))))
                        .add(Element{"p"}.text(c.meaning))
                        .line());
    }
    section.add(classes);
    if (total == 0) return section.add(Element{"p"}.text("No personal data was found.").line());

    Element table = Element{"table"}.cls("data").block();
    table.add(table_head({"Column", "Kind", "#Rows", "#Share", "Masked examples", "Class", "Reviewed"}));
    // One tbody per class, in reading order; unknown or missing classes last.
    for (std::size_t rank = 0; rank <= std::size(kClasses); ++rank) {
        std::vector<const Value*> group;
        for (const Value& f : *findings) {
            if (class_rank(scalar(get(&f, "class"))) == rank) group.push_back(&f);
        }
        if (group.empty()) continue;
        const bool known = rank < std::size(kClasses);
        Element body = Element{"tbody"}.block();
        body.add(Element{"tr"}
                     .cls("group")
                     .add(Element{"th"}
                              .attr("colspan", "7")
                              .text(known ? kClasses[rank].label : "Other")
                              .text(" ")
                              .add(kMdash)
                              .text(" ")
                              .add(counted(group.size(), "finding", "findings")))
                     .line());
        for (const Value* f : group) body.add(finding_row(f));
        table.add(body);
    }
    return section.add(table);
}

namespace {

// A column's action; older reports name only the transform.
std::string column_action(const Value* column) {
    std::string action = scalar(get(column, "action"));
    if (!action.empty()) return action;
    const std::string transform = scalar(get(column, "transform"));
    if (transform == "keep") return "kept";
    if (transform == "null") return "nulled";
    return transform.empty() ? "" : "transformed";
}

Html rows_text(const Value* table) {
    const Value* rows = get(table, "rows");
    if (!rows) return Element{"span"}.cls("none").text("not counted (copied as stored)");
    return html::text(count_text(rows));
}

Html bytes_cell(const Value* v) {
    const auto b = number(v);
    if (!b) return html::text(scalar(v));
    return Element{"span"}.attr("title", count_text(v) + " bytes").text(values::bytes_text(*b));
}

Html table_name(const std::string& name) {
    return name.empty() ? Html(Element{"span"}.cls("none").text("unnamed")) : ident(name);
}

Element table_row(const Value* t, std::size_t number_on_page) {
    const auto* columns = list(get(t, "columns"));
    Html name = table_name(scalar(get(t, "table")));
    if (columns && !columns->empty()) {
        name = Element{"a"}.attr("href", "#table-" + std::to_string(number_on_page)).add(name);
    }
    // A table copied as stored was never decoded: it has no COPY text size.
    const bool not_decoded = values::is_true(get(t, "copied_as_stored"));
    const auto seconds = number(get(t, "seconds"));
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
        if (any) changed = values::grouped(std::to_string(static_cast<long long>(sum)));
    }
    return Element{"tr"}
        .add(cell(name_span(name)))
        .add(cell(badge(scalar(get(t, "action")))))
        .add(cell(rows_text(t), "num"))
        .add(cell(bytes_cell(get(t, "stored_bytes_in")), "num"))
        .add(cell(not_decoded ? Html() : bytes_cell(get(t, "copy_bytes_in")), "num"))
        .add(cell(seconds ? html::text(values::seconds_text(*seconds)) : Html(), "num"))
        .add(cell(html::text(changed), "num"))
        .line();
}

Element column_row(const Value* c) {
    // A column no rule names ("listed": false) is what coverage counts as unclassified.
    const bool unclassified = values::is_false(get(c, "listed"));
    const std::string column = scalar(get(c, "column"));
    Html name = column.empty() ? Html() : Html(name_span(ident(column)));
    if (unclassified) name += html::text(" ") + Element{"span"}.cls("badge b-alert").text("unclassified");
    const std::string type = scalar(get(c, "type"));
    const std::string transform = scalar(get(c, "transform"));
    Element row{"tr"};
    if (unclassified) row.cls("unclassified");
    return row.add(cell(name))
        .add(cell(type.empty() ? Html() : code_ident(type)))
        .add(cell(badge(column_action(c))))
        .add(cell(transform.empty() ? Html() : code(transform)))
        .add(cell(html::text(count_text(get(c, "values_changed"))), "num"))
        .add(cell(html::text(scalar(get(c, "reviewed"))), "reason"))
        .line();
}

// A table's columns, open so the page prints whole; a reader on screen can fold a table away.
Element table_detail(const Value* t, const std::vector<Value>& columns, std::size_t number_on_page) {
    const std::string name = scalar(get(t, "table"));
    Element stats = Element{"span"}.cls("stats");
    if (get(t, "rows")) stats.text(count_text(get(t, "rows")) + " rows");
    else stats.text("rows not counted (copied as stored)");
    stats.text(" ").add(kMiddot).text(" ").add(counted(columns.size(), "column", "columns"));
    const Element summary = Element{"summary"}
                                .add(name_span(table_name(name)))
                                .text(" ")
                                .add(badge(scalar(get(t, "action"))))
                                .add(stats)
                                .line();

    std::vector<Html> meta;
    if (auto id = scalar(get(t, "dump_id")); !id.empty()) meta.push_back(html::text("TOC entry " + id));
    const std::string rule = scalar(get(t, "rule_table"));
    if (!rule.empty() && rule != name) meta.push_back(html::text("rule of ") + code_ident(rule));
    else if (!rule.empty()) meta.push_back(html::text("its own rule"));
    else if (get(t, "rule_table")) meta.push_back(html::text("no rule names it"));
    if (values::is_true(get(t, "copied_as_stored"))) meta.push_back(html::text("copied as stored, without decompressing"));

    Element colgroup = Element{"colgroup"}.line();
    for (const char* width : {"width:19%", "width:20%", "width:12%", "width:15%", "width:13%"}) {
        colgroup.add(Element{"col"}.attr("style", width));
    }
    colgroup.add(Element{"col"});
    Element body = Element{"tbody"}.block();
    for (const Value& c : columns) body.add(column_row(&c));
    const Element table =
        Element{"table"}
            .cls("data fixed")
            .block()
            .add(colgroup)
            .add(table_head({"Column", "Type", "Action", "Transform", "#Values changed", "Reviewed"}))
            .add(body);

    Element detail_body = Element{"div"}.cls("detail-body").block();
    if (!meta.empty()) {
        detail_body.add(Element{"p"}.cls("meta").add(join(meta, html::text(" ") + kMiddot + html::text(" "))).line());
    }
    return Element{"details"}
        .cls("table-detail")
        .id("table-" + std::to_string(number_on_page))
        .attr("open")
        .block()
        .add(summary)
        .add(detail_body.add(table));
}

} // namespace

Element tables_section(const Value* report) {
    const auto* tables = list(get(report, "tables"));
    Element section = Element{"section"}.cls("panel").id("tables").block();
    section.add(Element{"h2"}.text("Tables").line());
    if (!tables || tables->empty()) {
        return section.add(Element{"p"}.cls("lede").text("This report lists no tables.").line());
    }
    section.add(Element{"p"}
                    .cls("lede")
                    .add(counted(tables->size(), "table", "tables"))
                    .text(" with data. Stored size is the table's data as the input archive holds it (compressed); "
                          "COPY text is its size decoded.")
                    .line());
    Element body = Element{"tbody"}.block();
    for (std::size_t i = 0; i < tables->size(); ++i) body.add(table_row(&(*tables)[i], i + 1));
    section.add(Element{"table"}
                    .cls("data")
                    .block()
                    .add(table_head({"Table", "Action", "#Rows", "#Stored", "#COPY text", "#Time", "#Values changed"}))
                    .add(body));
    for (std::size_t i = 0; i < tables->size(); ++i) {
        const Value* t = &(*tables)[i];
        const auto* columns = list(get(t, "columns"));
        if (columns && !columns->empty()) section.add(table_detail(t, *columns, i + 1));
    }
    return section;
}

} // namespace pgscrub::report::parts
