#include "cli/arguments.hpp"
#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"
#include "cli/secret_key.hpp"
#include "common/byte_stream.hpp"
#include "report/report_html.hpp"
#include "report/scrub_report.hpp"
#include "rules/rules_file.hpp"
#include "scrub/scrub_job.hpp"

#include <unistd.h>
#include <cstdlib>
#include <iterator>
#include <thread>
#include <cstdio>
#include <fstream>

namespace pgscrub::cli {

namespace {

const CommandSpec kScrubSpec{
    "scrub",
    "rewrite an archive's table data by the rules",
    "scrub -r RULES [-i IN] [-o OUT] [--format same|custom|directory|tar|plain]\n"
    "              [--compress none|gzip[:N]|lz4[:N]|zstd[:N]] [-j N] [--report FILE.json]\n"
    "              [--verify [--verify-memory MIB]] [--drop-statistics]\n"
    "              [--allow-entry KIND[,KIND...]]",
    "Rewrites the table data of a pg_dump archive by the rules, and writes an archive that stock\n"
    "pg_restore restores. IN and OUT are files, directories (directory format) or - (stdin/stdout,\n"
    "the default). The input format is detected; output format and compression default to the input's.\n"
    "Tables that no rule changes are copied without decompressing when the compression agrees.",
    {
        rules_file_option().required_as("scrub needs a rules file: -r RULES"),
        path_option("input", 'i', "IN", "input archive: file, directory, http(s) URL or - (default -)")
            .with_doc("a file, a directory (directory format), an `http://` or `https://` URL "
                      "([streamed](#reading-a-dump-from-a-url)) or `-` for stdin (default)"),
        path_option("output", 'o', "OUT", "output archive: file, directory or - (default -)")
            .with_doc("a file, a directory (directory format) or `-` for stdout (default)"),
        choice_option("format", 'F', "FORMAT", {"same", "custom", "directory", "tar", "plain"},
                      "same (default), custom, directory, tar or plain")
            .alias("c", "custom")
            .alias("d", "directory")
            .alias("t", "tar")
            .alias("p", "plain")
            .with_doc("`same` (default), `custom`, `directory`, `tar`, `plain`"),
        text_option("compress", 'Z', "ALG[:LEVEL]",
                    "none, gzip[:1-9] (igzip; :N zlib), lz4[:1-12] or zstd[:1-22]; default: the input's")
            .with_doc("`none`, `gzip[:1-9]`, `lz4[:1-12]`, `zstd[:1-22]`; default: the input's (tar: none; "
                      "custom/directory from tar: gzip). `gzip` deflates with ISA-L's igzip (about 12× zlib's "
                      "speed, about 8 % larger than pg_dump's); `gzip:N` with zlib at level N, as pg_dump "
                      "([formats.md](formats.md#gzip-output))")
            .suggesting({"none", "gzip", "lz4", "zstd"}),
        integer_option("jobs", 'j', "N", 1, 256, "threads",
                       "threads for rewriting rows and compressing, and tables scrubbed at once directory to directory (default: all cores)"),
        path_option("report", 0, "FILE.json", "write the compliance report: FILE.json and, beside it, FILE.html")
            .with_doc("the compliance report ([report.md](report.md)): FILE.json and, beside it, FILE.html — per "
                      "table and column what the rules did, coverage, the rules file's hash, and with `--verify` the "
                      "verification and a scan of the output"),
        flag_option("verify", 0,
                    "read the output back before naming it; exit 1, and no output, if any value the rules\n"
                    "replaced survives anywhere in it (needs -o FILE or DIRECTORY)")
            .with_doc("prove that no value the rules replaced survives anywhere in the output (below); needs "
                      "`-o FILE` or `-o DIRECTORY`"),
        integer_option("verify-memory", 0, "MIB", 16, 1 << 20, "MiB",
                       "memory --verify may use to remember original values (default 1024)")
            .with_doc("memory `--verify` may use to remember original values (default 1024: about 45 million "
                      "distinct values)"),
        path_option("secret-file", 0, "FILE",
                    "read the key from FILE instead of the environment variable named by secret_env")
            .with_doc("read the key from FILE instead of the environment variable named by `secret_env`"),
        text_option("allow-entry", 0, "KIND[,KIND...]",
                    "pass TOC entries of a kind pgscrub does not know through unchanged (it\n"
                    "refuses them otherwise: they might carry table rows)")
            .repeated()
            .with_doc("pass TOC entries of a kind pgscrub does not know through unchanged; without it such an "
                      "entry stops the run (exit 3), since it might carry table rows "
                      "([formats.md](formats.md#what-each-toc-entry-kind-carries-and-what-scrub-does-with-it))"),
        flag_option("drop-statistics", 0,
                    "leave out every PostgreSQL 18 statistics entry instead of rewriting it by the\n"
                    "rules (run ANALYZE after the restore)")
            .with_doc("leave out every PostgreSQL 18 statistics entry (`pg_dump --statistics`) instead of rewriting "
                      "it by the rules ([formats.md](formats.md#postgresql-18-statistics)); run `ANALYZE` after the "
                      "restore"),
        flag_option("rewrite-all", 0, "decode and re-encode every table, even unchanged ones (testing, benchmarks)")
            .with_doc("decode and re-encode every table, even those no rule changes (for testing and benchmarking "
                      "the row path)"),
        flag_option("quiet", 'q', "no summary on stderr").with_doc("no summary line on stderr"),
    },
    {},
    "unexpected argument {} (give the input with -i)"};

// The parser has checked the name and turned c, d, t, p into it.
std::optional<dump::ArchiveFormat> parse_format(const std::string& text) {
    if (text == "custom") return dump::ArchiveFormat::Custom;
    if (text == "directory") return dump::ArchiveFormat::Directory;
    if (text == "tar") return dump::ArchiveFormat::Tar;
    if (text == "plain") return dump::ArchiveFormat::Plain;
    return std::nullopt; // same
}

int run_scrub(const ParsedArguments& parsed) {
    auto rules_path = parsed.get("rules");
    scrub::ScrubOptions options;
    options.input = parsed.get("input").value_or("-");
    options.output = parsed.get("output").value_or("-");
    if (auto f = parsed.get("format")) options.format = parse_format(*f);
    if (auto c = parsed.get("compress")) {
        std::string error;
        options.compression = dump::CompressionSpec::parse(*c, error);
        if (!options.compression) throw UsageError("--compress: " + error);
    }
    options.jobs = static_cast<int>(parsed.integer("jobs").value_or(std::max(1u, std::thread::hardware_concurrency())));
    options.report_path = parsed.get("report").value_or("");
    options.verify = parsed.has("verify");
    if (options.verify && options.output == "-") {
        throw UsageError("--verify reads the output back before giving it its name: give -o FILE or DIRECTORY");
    }
    if (auto mib = parsed.integer("verify-memory")) options.verify_memory_bytes = static_cast<std::uint64_t>(*mib) << 20;
    options.rewrite_all = parsed.has("rewrite-all");
    options.drop_statistics = parsed.has("drop-statistics");
    for (const std::string& kinds : parsed.all("allow-entry")) {
        for (std::size_t start = 0; start <= kinds.size();) {
            std::size_t comma = kinds.find(',', start);
            if (comma == std::string::npos) comma = kinds.size();
            if (comma > start) options.allowed_entries.push_back(kinds.substr(start, comma - start));
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

} // namespace

Command scrub_command() { return {&kScrubSpec, run_scrub}; }

} // namespace pgscrub::cli
