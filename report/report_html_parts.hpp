#pragma once
// The pieces the report page is made of, shared by its sections
// (report_html.cpp: the head, verdict and coverage; report_html_tables.cpp:
// the leak scan and the tables). Internal to report/.

#include "report/html_builder.hpp"
#include "report/report_values.hpp"

#include <cstddef>
#include <initializer_list>
#include <string_view>
#include <vector>

namespace pgscrub::report::parts {

using html::Element;
using html::Entity;
using html::Html;
using values::Value;

inline constexpr Entity kMiddot{"middot"};
inline constexpr Entity kNbsp{"nbsp"};
inline constexpr Entity kMdash{"mdash"};

// <span class="none">not recorded</span>
Html not_recorded();
// `content`, or "not recorded" when it is empty.
Html or_not_recorded(const Html& content);

// A name (schema.table.column, a path) as text, with a line-break
// opportunity (<wbr>) after each . _ / - and within long runs, so narrow
// columns wrap it at its joints rather than mid-word, and a long name never
// widens the page.
Html ident(std::string_view name);
// <span class="name"> around ident(name).
Element name_span(const Html& name);

// <code> around text, and around a name that may wrap.
Html code(std::string_view text);
Html code_ident(std::string_view name);

// A badge for a table or column action, or for the class of a scan finding
// ("kept" is both, in different colours); "not recorded" for no word. Only
// constant class names reach the class attribute.
enum class BadgeKind { action, finding };
Html badge(std::string_view word, BadgeKind kind = BadgeKind::action);

// <td class="cls"> holding `content`, or a dash when it is empty.
Element cell(const Html& content, std::string_view cls = {});

// <thead><tr><th>…</th>…</tr></thead>; a heading written "#Rows" is a
// number column's (<th class="num">Rows</th>).
Element table_head(std::initializer_list<std::string_view> headings);

// The parts with `separator` between them.
Html join(const std::vector<Html>& parts, const Html& separator);

// "1 finding", "2 findings".
Html counted(std::size_t n, std::string_view one, std::string_view many);

// The classes of scan findings, in the order a reviewer should read them.
struct FindingClass {
    const char* name;
    const char* label;
    const char* meaning;
};
inline constexpr FindingClass kClasses[] = {
    {"leak", "Leak", "the rules transform or drop this column, yet personal data is here"},
    {"unlisted", "Unlisted", "no rule names this column"},
    {"kept", "Kept", "the rules keep this column as it is; a reviewer must confirm it with a reviewed reason"},
    {"confirmed", "Confirmed", "kept on purpose, with a reviewed reason"},
};
// Position in kClasses, or its size for an unknown class.
std::size_t class_rank(std::string_view name);
// How many findings have class `name`.
std::size_t count_class(const std::vector<Value>* findings, std::string_view name);

// The page's sections, each a <section> element.
Element scan_section(const Value* report);
Element tables_section(const Value* report);

} // namespace pgscrub::report::parts
