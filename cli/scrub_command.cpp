#include "cli/arguments.hpp"
#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"
#include "cli/secret_key.hpp"
#include "pipeline/scrub_job.hpp"
#include "rules/rules_file.hpp"

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
    "              [--compress none|gzip[:N]|lz4[:N]|zstd[:N]] [-j N] [--report FILE.json]",
    "Rewrites the table data of a pg_dump archive by the rules, and writes an archive that stock\n"
    "pg_restore restores. IN and OUT are files, directories (directory format) or - (stdin/stdout,\n"
    "the default). The input format is detected; output format and compression default to the input's.\n"
    "Tables that no rule changes are copied without decompressing when the compression agrees.",
    {
        {"rules", 'r', "RULES", "rules file (YAML, version 1)"},
        {"input", 'i', "IN", "input archive: file, directory or - (default -)"},
        {"output", 'o', "OUT", "output archive: file, directory or - (default -)"},
        {"format", 'F', "FORMAT", "same (default), custom, directory, tar or plain"},
        {"compress", 'Z', "ALG[:LEVEL]", "none, gzip[:1-9], lz4[:1-12] or zstd[:1-22]; default: the input's"},
        {"jobs", 'j', "N", "threads for compression (default: all cores)"},
        {"report", 0, "FILE.json", "write a per-table report as JSON"},
        {"secret-file", 0, "FILE", "read the key from FILE instead of the environment variable named by secret_env"},
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

    pipeline::ScrubOptions options;
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
    options.rewrite_all = parsed.has("rewrite-all");
    options.progress = !parsed.has("quiet") && ::isatty(STDERR_FILENO);

    rules::RulesFile rules = rules::load_rules_file(*rules_path);
    options.key = read_key(rules, parsed.get("secret-file"));
    pipeline::ScrubSummary summary = pipeline::run_scrub(options, rules);
    for (const std::string& warning : summary.warnings) std::fprintf(stderr, "%s\n", warning.c_str());
    if (!options.report_path.empty()) {
        std::ofstream report(options.report_path);
        report << pipeline::summary_json(summary, rules);
        if (!report) {
            std::fprintf(stderr, "pgscrub: %s: cannot write the report\n", options.report_path.c_str());
            return kDataError;
        }
    }
    if (!parsed.has("quiet")) std::fputs(pipeline::format_summary(summary).c_str(), stderr);
    return kSuccess;
}

} // namespace pgscrub::cli
