#include "cli/arguments.hpp"
#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"
#include "common/byte_stream.hpp"
#include "report/report_html.hpp"

#include <cstdio>
#include <stdexcept>
#include <string>

namespace pgscrub::cli {

namespace {
const CommandSpec kReportSpec{
    "report",
    "render a scrub report (JSON) as an HTML page for sign-off",
    "report REPORT.json [-o OUT.html]",
    "Renders the JSON report of 'pgscrub scrub --report' as one self-contained HTML page for whoever signs\n"
    "off a copy of production data: the verification verdict, coverage, leak-scan findings (masked), and\n"
    "every table and column with what the rules did to it. The page has no scripts, loads nothing from the\n"
    "network and prints. It holds no personal values, as the JSON holds none. REPORT.json may be - (stdin).",
    {
        path_option("output", 'o', "OUT.html", "where to write the page, - for stdout (default: REPORT.html beside the input)")
            .with_doc("where to write the page, `-` for stdout; default: beside the input, `.json` replaced by "
                      "`.html` (or `.html` added); stdout when the input is `-`"),
    },
    {"REPORT.json"},
    "report needs exactly one report file: pgscrub report REPORT.json [-o OUT.html]"};

// report.json -> report.html; anything else gets .html added.
std::string default_output(const std::string& input) {
    if (input == "-") return "-";
    const std::string suffix = ".json";
    if (input.size() > suffix.size() && input.compare(input.size() - suffix.size(), suffix.size(), suffix) == 0) {
        return input.substr(0, input.size() - suffix.size()) + ".html";
    }
    return input + ".html";
}

std::string read_all(const std::string& path) {
    auto in = common::FileInput::open(path);
    std::string text;
    char buffer[64 * 1024];
    while (std::size_t n = in->read_some(buffer, sizeof buffer)) text.append(buffer, n);
    return text;
}

int run_report(const ParsedArguments& parsed) {
    const std::string input = parsed.positionals[0];
    const std::string output = parsed.get("output").value_or(default_output(input));
    if (output.empty()) throw UsageError("-o needs a file name (or - for stdout)");

    // Unreadable input surfaces as an ArchiveError naming the file (exit 3).
    const std::string text = read_all(input);
    std::string html;
    try {
        html = report::render_report_html(text);
    } catch (const std::runtime_error& e) {
        std::fprintf(stderr, "pgscrub report: %s: %s\n", input == "-" ? "stdin" : input.c_str(), e.what());
        return kDataError;
    }
    // Written under a temporary name and renamed: a failed write leaves no half page.
    common::write_whole_file(output, html);
    if (output != "-") std::fprintf(stderr, "pgscrub report: wrote %s\n", output.c_str());
    return kSuccess;
}

} // namespace

Command report_command() { return {&kReportSpec, run_report}; }

} // namespace pgscrub::cli
