#pragma once
// The compliance report as a page a person reads and signs: the JSON that
// `pgscrub scrub --report` writes, rendered as one self-contained HTML5
// document (inline CSS, no scripts, no fonts, images or anything else fetched
// over the network), readable on screen and on paper.

#include <string>
#include <string_view>

namespace pgscrub::report {

// Renders a report (report_version 1, or an older report without the newer
// sections). Absent or null sections and fields are shown as "not recorded",
// unknown fields are ignored. Every string from the report is escaped (the
// page is built with html_builder.hpp, which escapes by construction): table
// and column names come from the database and may hold anything. Throws
// std::runtime_error when the text is not JSON or not a JSON object.
std::string render_report_html(std::string_view report_json);

// `text` with & < > " ' replaced by character references, safe in element
// content and in quoted attribute values.
std::string html_escape(std::string_view text);

} // namespace pgscrub::report
