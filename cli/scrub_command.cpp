#include "cli/arguments.hpp"
#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"
#include "cli/secret_key.hpp"
#include "common/byte_stream.hpp"
#include "report/report_html.hpp"
#include "report/scrub_report.hpp"
#include "rules/rules_file.hpp"
#include "scrub/scrub_job.hpp"

#include <charconv>
#include <unistd.h>
#include <cstdlib>
#include <iterator>
#include <thread>
#include <cstdio>
#include <fstream>
#include <iostream>

namespace pgscrub::cli {

namespace {

const CommandSpec kScrubSpec{
    "scrub",
    "scrub -r RULES [-i IN] [-o OUT] [--format same|custom|directory|tar|plain]\n"
    "              [--compress none|gzip[:N]|lz4[:N]|zstd[:N]] [-j N] [--report FILE.json]\n"
    "              [--verify [--verify-memory MIB]] [--drop-statistics]\n"
    "              [--allow-entry KIND[,KIND...]]",
    "Rewrites the table data of a pg_dump archive by the rules, and writes an archive that stock\n"
    "pg_restore restores. IN and OUT are files, directories (directory format) or - (stdin/stdout,\n"
    "the default). The input format is detected; output format and compression default to the input's.\n"
    "Tables that no rule changes are copied without decompressing when the compression agrees.",
    {
        {"rules", 'r', "RULES", "rules file (YAML, version 1)"},
        {"input", 'i', "IN", "input archive: file, directory, http(s) URL or - (default -)"},
        {"output", 'o', "OUT", "output archive: file, directory or - (default -)"},
        {"format", 'F', "FORMAT", "same (default), custom, directory, tar or plain"},
        {"compress", 'Z', "ALG[:LEVEL]", "none, gzip[:1-9], lz4[:1-12] or zstd[:1-22]; default: the input's"},
        {"jobs", 'j', "N", "threads for compression (default: all cores)"},
        {"report", 0, "FILE.json", "write the compliance report: FILE.json and, beside it, FILE.html"},
        {"verify", 0, "", "read the output back before naming it; exit 1, and no output, if any value the rules\n"
                          "replaced survives anywhere in it (needs -o FILE or DIRECTORY)"},
        {"verify-memory", 0, "MIB", "memory --verify may use to remember original values (default 1024)"},
        {"secret-file", 0, "FILE", "read the key from FILE instead of the environment variable named by secret_env"},
        {"allow-entry", 0, "KIND[,KIND...]", "pass TOC entries of a kind pgscrub does not know through unchanged (it\n"
                                              "refuses them otherwise: they might carry table rows)"},
        {"drop-statistics", 0, "", "leave out every PostgreSQL 18 statistics entry instead of rewriting it by the\n"
                                   "rules (run ANALYZE after the restore)"},
        {"rewrite-all", 0, "", "decode and re-encode every table, even unchanged ones (testing, benchmarks)"},
        {"quiet", 'q', "", "no summary on stderr"},
        {"help", 'h', "", "show this help"},
    },
    {}};

std::optional<dump::ArchiveFormat> parse_format(const std::string& text) {
    if (text == "same") return std::nullopt;
    if (text == "custom" || text == "c") return dump::ArchiveFormat::Custom;
    if (text == "directory" || text == "d") return dump::ArchiveFormat::Directory;
    if (text == "tar" || text == "t") return dump::ArchiveFormat::Tar;
    if (text == "plain" || text == "p") return dump::ArchiveFormat::Plain;
    throw UsageError("unknown --format \"" + text + "\" (expected same, custom, directory, tar or plain)");
}

} // namespace

int run_scrub_command(const std::vector<std::string>& args) {
    ParsedArguments parsed = parse_arguments(kScrubSpec, args);
    if (parsed.has("help")) {
        std::cout << command_help(kScrubSpec);
        return kSuccess;
    }
    if (!parsed.positionals.empty()) throw UsageError("unexpected argument \"" + parsed.positionals[0] + "\" (give the input with -i)");
    auto rules_path = parsed.get("rules");
    if (!rules_path) throw UsageError("scrub needs a rules file: -r RULES");

    scrub::ScrubOptions options;
    options.input = parsed.get("input").value_or("-");
    options.output = parsed.get("output").value_or("-");
    if (auto f = parsed.get("format")) options.format = parse_format(*f);
    if (auto c = parsed.get("compress")) {
        std::string error;
        options.compression = dump::CompressionSpec::parse(*c, error);
        if (!options.compression) throw UsageError("--compress: " + error);
    }
    options.jobs = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    if (auto j = parsed.get("jobs")) {
        auto [end, ec] = std::from_chars(j->data(), j->data() + j->size(), options.jobs);
        if (ec != std::errc() || end != j->data() + j->size() || options.jobs < 1 || options.jobs > 256) {
            throw UsageError("-j needs a number of threads from 1 to 256, not \"" + *j + "\"");
        }
    }
    options.report_path = parsed.get("report").value_or("");
    options.verify = parsed.has("verify");
    if (options.verify && options.output == "-") {
        throw UsageError("--verify reads the output back before giving it its name: give -o FILE or DIRECTORY");
    }
    if (auto m = parsed.get("verify-memory")) {
        std::uint64_t mib = 0;
        auto [end, ec] = std::from_chars(m->data(), m->data() + m->size(), mib);
        if (ec != std::errc() || end != m->data() + m->size() || mib < 16 || mib > (std::uint64_t{1} << 20)) {
            throw UsageError("--verify-memory needs a number of MiB from 16 up, not \"" + *m + "\"");
        }
        options.verify_memory_bytes = mib << 20;
    }
    options.rewrite_all = parsed.has("rewrite-all");
    options.drop_statistics = parsed.has("drop-statistics");
    if (auto kinds = parsed.get("allow-entry")) {
        for (std::size_t start = 0; start <= kinds->size();) {
            std::size_t comma = kinds->find(',', start);
            if (comma == std::string::npos) comma = kinds->size();
            if (comma > start) options.allowed_entries.push_back(kinds->substr(start, comma - start));
            start = comma + 1;
        }
    }
    options.progress = !parsed.has("quiet") && ::isatty(STDERR_FILENO);

    rules::RulesFile rules = rules::load_rules_file(*rules_path);
    options.key = read_key(rules, parsed.get("secret-file"));
    if (!options.report_path.empty()) {
        // The report and its page are committed with the output, or not at all.
        options.companion_paths = {options.report_path, report::html_report_path(options.report_path)};
        options.companion_contents = [&](const scrub::ScrubSummary& summary) {
            report::ReportContext context{options.input, options.output, {}};
            std::string json = report::scrub_report_json(summary, rules, context);
            return std::vector<std::string>{json, report::render_report_html(json)};
        };
    }
    scrub::ScrubSummary summary = scrub::run_scrub(options, rules);
    for (const std::string& warning : summary.warnings) std::fprintf(stderr, "%s\n", warning.c_str());
    if (!parsed.has("quiet")) std::fputs(scrub::format_summary(summary).c_str(), stderr);
    if (summary.verify) {
        const scrub::VerifyResult& v = *summary.verify;
        if (!v.passed) {
            for (const scrub::Survivor& s : v.survivors) {
                std::fprintf(stderr, "pgscrub scrub: verify: %s\n", scrub::describe_survivor(s).c_str());
            }
            std::fprintf(stderr,
                         "pgscrub scrub: verify failed: %zu place(s) still hold values the rules replaced; no output was "
                         "written — give those columns a transform (or truncate their table) and scrub again\n",
                         v.survivors.size());
            return kProblemsFound;
        }
        if (!parsed.has("quiet")) {
            std::fprintf(stderr,
                         "pgscrub: verified: none of %llu remembered original values survives in %llu output fields "
                         "(%llu values, leaves, elements and tokens checked in %.2f s)\n",
                         static_cast<unsigned long long>(v.originals_remembered),
                         static_cast<unsigned long long>(v.fields_checked),
                         static_cast<unsigned long long>(v.pieces_checked), v.seconds);
        }
    }
    return kSuccess;
}

} // namespace pgscrub::cli
