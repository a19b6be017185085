#include "runbook/runbook_file.hpp"

#include "rules/presets.hpp"
#include "rules/yaml_diagnostics.hpp"

#include <yaml-cpp/yaml.h>

#include "media/sync_plan.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace pgscrub::runbook {

std::string RunStep::name() const {
    switch (kind) {
    case Kind::BackupTarget: return "backup_target";
    case Kind::Restore: return "restore";
    case Kind::Sql: return "sql";
    case Kind::Verify: return "verify";
    case Kind::FlushCache: return "flush_cache";
    case Kind::CheckUrl: return "check_url";
    case Kind::SyncMedia: return "sync_media";
    case Kind::VerifyMedia: return "verify_media";
    }
    return "?";
}

const RunStep* RunFile::step(RunStep::Kind kind) const {
    for (const RunStep& s : steps)
        if (s.kind == kind) return &s;
    return nullptr;
}

namespace {

class Parser {
public:
    Parser(std::string file, std::string timestamp) : file_(std::move(file)), timestamp_(std::move(timestamp)) {}

    RunFile parse(std::string_view text) {
        RunFile run;
        run.path = file_;
        YAML::Node root;
        try {
            root = YAML::Load(std::string(text));
        } catch (const YAML::ParserException& e) {
            diagnostics_.push_back(rules::invalid_yaml(e, file_));
            throw rules::RulesError(std::move(diagnostics_));
        }
        if (!root.IsMap()) {
            error(at(root), "expected a mapping with version, source, rules, target and steps");
            throw rules::RulesError(std::move(diagnostics_));
        }
        bool saw_version = false, saw_source = false, saw_target = false, saw_steps = false;
        for (const auto& item : root) {
            std::string key = item.first.Scalar();
            const YAML::Node& value = item.second;
            if (key == "version") {
                saw_version = true;
                if (!value.IsScalar() || value.Scalar() != "1") error(at(value), "unsupported run file version — this pgscrub reads version: 1");
            } else if (key == "source") {
                saw_source = true;
                parse_source(value, run);
            } else if (key == "rules") {
                std::string rules = text_of(value);
                run.rules_path = rules::names_preset(rules) ? rules : relative_to_file(rules);
            } else if (key == "target") {
                saw_target = true;
                parse_target(value, run);
            } else if (key == "allow_production_like_target") {
                run.allow_production_like_target = boolean(value);
            } else if (key == "preflight") {
                parse_preflight(value, run);
            } else if (key == "steps") {
                saw_steps = true;
                parse_steps(value, run);
            } else if (key == "report") {
                run.report_path = relative_to_file(text_of(value));
            } else if (key == "pg_bin") {
                run.pg_bin = text_of(value);
            } else {
                error(at(item.first), "unknown key \"" + key +
                                          "\" — expected version, source, rules, target, allow_production_like_target, preflight, steps, report or pg_bin");
            }
        }
        rules::SourcePosition top{file_, 1, 1};
        if (!saw_version) error(top, "missing \"version: 1\"");
        if (!saw_source) error(top, "missing source: — give source: {dump: FILE-or-URL} or source: {database: URL}");
        if (run.rules_path.empty()) error(top, "missing rules: — the rules file the data is scrubbed with");
        if (!saw_target) error(top, "missing target: {database: URL, confirm: NAME}");
        if (!saw_steps) error(top, "missing steps: — e.g. steps: [{restore: {strategy: swap}}]");
        if (saw_steps && !run.step(RunStep::Kind::Restore) && diagnostics_.empty()) {
            error(top, "steps: has no restore step — a run restores the scrubbed data into the target");
        }
        if (!diagnostics_.empty()) throw rules::RulesError(std::move(diagnostics_));
        return run;
    }

private:
    void parse_source(const YAML::Node& node, RunFile& run) {
        if (!node.IsMap()) {
            error(at(node), "source: must be a mapping — {dump: FILE-or-URL} or {database: URL}");
            return;
        }
        for (const auto& item : node) {
            std::string key = item.first.Scalar();
            if (key == "dump") {
                std::string dump = text_of(item.second);
                bool url = dump.rfind("http://", 0) == 0 || dump.rfind("https://", 0) == 0;
                run.source_dump = url || dump == "-" ? dump : relative_to_file(dump);
            } else if (key == "database") {
                run.source_database = text_of(item.second);
            } else {
                error(at(item.first), "unknown key \"" + key + "\" in source: — expected dump or database");
            }
        }
        if (run.source_dump.empty() == run.source_database.empty()) {
            error(at(node), "source: needs exactly one of dump: (a file, - or an http(s) URL) and database: (a URL pg_dump reads)");
        }
    }

    void parse_target(const YAML::Node& node, RunFile& run) {
        if (!node.IsMap()) {
            error(at(node), "target: must be a mapping — {database: URL, confirm: NAME}");
            return;
        }
        for (const auto& item : node) {
            std::string key = item.first.Scalar();
            if (key == "database") run.target_database = text_of(item.second);
            else if (key == "confirm") run.target_confirm = text_of(item.second);
            else if (key == "allow_production_like_target") run.allow_production_like_target = boolean(item.second);
            else error(at(item.first), "unknown key \"" + key + "\" in target: — expected database and confirm");
        }
        if (run.target_database.empty()) error(at(node), "target: needs database: — the libpq URL or conninfo of the database to replace");
        if (run.target_confirm.empty()) {
            error(at(node), "target: needs confirm: — the target database's name, typed out, so a slip cannot point the run elsewhere");
        }
    }

    void parse_preflight(const YAML::Node& node, RunFile& run) {
        if (!node.IsMap()) {
            error(at(node), "preflight: must be a mapping — e.g. {accounts: auth_user.email}");
            return;
        }
        for (const auto& item : node) {
            std::string key = item.first.Scalar();
            if (key == "accounts") {
                std::string spec = text_of(item.second);
                std::size_t dot = spec.rfind('.');
                if (dot == std::string::npos || dot == 0 || dot + 1 == spec.size()) {
                    error(at(item.second), "accounts: names TABLE.COLUMN — e.g. auth_user.email");
                } else {
                    run.accounts_table = spec.substr(0, dot);
                    run.accounts_key = spec.substr(dot + 1);
                }
            } else {
                error(at(item.first), "unknown key \"" + key + "\" in preflight: — expected accounts");
            }
        }
    }

    void parse_steps(const YAML::Node& node, RunFile& run) {
        if (!node.IsSequence()) {
            error(at(node), "steps: must be a list — e.g. steps: [{backup_target: {to: backups/staging.dump}}, {restore: {}}]");
            return;
        }
        for (const auto& item : node) {
            if (!item.IsMap() || item.size() != 1) {
                error(at(item), "each step is a mapping with one key: backup_target, restore, sql, verify, flush_cache, check_url, sync_media or verify_media");
                continue;
            }
            auto entry = *item.begin();
            std::string name = entry.first.Scalar();
            const YAML::Node& args = entry.second;
            RunStep step;
            step.where = at(entry.first);
            if (name == "backup_target") {
                step.kind = RunStep::Kind::BackupTarget;
                for_each_arg(args, name, {"to"}, [&](const std::string&, const YAML::Node& v) { step.backup_to = relative_to_file(text_of(v)); });
                if (step.backup_to.empty()) error(step.where, "backup_target needs to: — e.g. {to: \"backups/staging-{timestamp}.dump\"}");
            } else if (name == "restore") {
                step.kind = RunStep::Kind::Restore;
                for_each_arg(args, name, {"jobs", "strategy"}, [&](const std::string& key, const YAML::Node& v) {
                    if (key == "jobs") {
                        step.jobs = integer(v, 1, 64);
                    } else {
                        std::string s = text_of(v);
                        if (s == "swap") step.strategy = RunStep::Strategy::Swap;
                        else if (s == "in_place") step.strategy = RunStep::Strategy::InPlace;
                        else error(at(v), "unknown strategy \"" + s + "\" — expected swap (restore beside the target, rename into place) or in_place");
                    }
                });
            } else if (name == "sql") {
                step.kind = RunStep::Kind::Sql;
                if (args.IsScalar()) {
                    step.statements.push_back(text_of(args));
                } else if (args.IsSequence()) {
                    for (const auto& s : args) step.statements.push_back(text_of(s));
                } else {
                    error(at(args), "sql: is a statement or a list of statements, run in one transaction");
                }
            } else if (name == "verify") {
                step.kind = RunStep::Kind::Verify;
                for_each_arg(args, name, {"scan"}, [&](const std::string&, const YAML::Node& v) { step.scan = boolean(v); });
            } else if (name == "flush_cache") {
                step.kind = RunStep::Kind::FlushCache;
                for_each_arg(args, name, {"redis", "tls_verify", "tls_ca"}, [&](const std::string& key, const YAML::Node& v) {
                    if (key == "redis") step.redis_url = text_of(v);
                    else if (key == "tls_verify") step.redis_tls_verify = boolean(v);
                    else step.redis_tls_ca = relative_to_file(text_of(v));
                });
                if (step.redis_url.empty()) error(step.where, "flush_cache needs redis: — e.g. {redis: \"redis://127.0.0.1:6379/0\"}");
                // (tls_verify: and tls_ca: are ignored for redis://: the URL
                // often comes from the environment, TLS or not.)
                if (!step.redis_tls_verify && !step.redis_tls_ca.empty()) {
                    error(step.where, "tls_ca: names a CA to verify with, but tls_verify: false verifies nothing — keep one");
                }
            } else if (name == "check_url") {
                step.kind = RunStep::Kind::CheckUrl;
                for_each_arg(args, name, {"url", "status"}, [&](const std::string& key, const YAML::Node& v) {
                    if (key == "url") step.url = text_of(v);
                    else step.status = integer(v, 100, 599);
                });
                if (step.url.empty()) error(step.where, "check_url needs url: — e.g. {url: \"https://staging.example.org/\", status: 200}");
            } else if (name == "sync_media") {
                step.kind = RunStep::Kind::SyncMedia;
                parse_media(args, step, {"from", "to", "preset", "include", "exclude", "strip_metadata", "unstrippable", "delete",
                                         "confirm", "jobs"});
                if (step.media.delete_extra && step.media.confirm.empty()) {
                    error(step.where, "sync_media with delete: true needs confirm: — the target bucket (or directory's last "
                                      "component), typed out, as for the database");
                }
            } else if (name == "verify_media") {
                step.kind = RunStep::Kind::VerifyMedia;
                parse_media(args, step, {"from", "to", "preset", "include", "exclude", "strip_metadata", "unstrippable", "expect",
                                         "exact", "jobs"});
            } else {
                error(at(entry.first), "unknown step \"" + name + "\" — expected backup_target, restore, sql, verify, flush_cache, check_url, sync_media or verify_media");
                continue;
            }
            for (const RunStep& earlier : run.steps) {
                if (earlier.kind == step.kind && step.kind != RunStep::Kind::Sql && step.kind != RunStep::Kind::CheckUrl &&
                    step.kind != RunStep::Kind::SyncMedia && step.kind != RunStep::Kind::VerifyMedia) {
                    error(step.where, "a second " + name + " step — the first is at line " + std::to_string(earlier.where.line));
                }
            }
            run.steps.push_back(std::move(step));
        }
        const RunStep* restore = run.step(RunStep::Kind::Restore);
        if (restore && restore->strategy == RunStep::Strategy::InPlace && !run.step(RunStep::Kind::BackupTarget)) {
            error(restore->where, "strategy: in_place replaces the target's data where it is: add a backup_target step before it");
        }
        // Order: a backup of the target is only a backup before the restore;
        // fix-ups, checks and flushes only mean something after it.
        int restore_at = -1;
        for (std::size_t i = 0; i < run.steps.size(); ++i)
            if (run.steps[i].kind == RunStep::Kind::Restore) restore_at = static_cast<int>(i);
        for (std::size_t i = 0; i < run.steps.size() && restore_at >= 0; ++i) {
            const RunStep& s = run.steps[i];
            bool before = static_cast<int>(i) < restore_at;
            if (s.kind == RunStep::Kind::BackupTarget && !before) error(s.where, "backup_target must come before restore: it saves the target as it was");
            // Media steps touch no database and may run before the restore
            // (a bucket copy and a restore are independent), except a
            // verify_media that checks the restored rows' keys.
            bool anywhere = s.kind == RunStep::Kind::SyncMedia || (s.kind == RunStep::Kind::VerifyMedia && s.media.expect.empty());
            if (s.kind != RunStep::Kind::BackupTarget && s.kind != RunStep::Kind::Restore && !anywhere && before) {
                error(s.where, s.name() + " must come after restore: it works on the restored data");
            }
        }
    }

    // The options of sync_media and verify_media (`known` lists which).
    void parse_media(const YAML::Node& args, RunStep& step, std::initializer_list<const char*> known) {
        const std::string name = step.name();
        RunStep::Media& media = step.media;
        for_each_arg(args, name, known, [&](const std::string& key, const YAML::Node& v) {
            if (key == "from") media.from = location(v);
            else if (key == "to") media.to = location(v);
            else if (key == "preset") {
                media.preset = text_of(v);
                try {
                    (void)media::preset_filter(media.preset);
                } catch (const std::exception&) {
                    error(at(v), "unknown preset \"" + media.preset + "\" — expected wagtail-originals or wagtail-all");
                }
            } else if (key == "include") media.include = prefixes(v);
            else if (key == "exclude") media.exclude = prefixes(v);
            else if (key == "strip_metadata") media.strip_metadata = boolean(v);
            else if (key == "unstrippable") {
                std::string what = text_of(v);
                if (what == "copy") media.copy_unstrippable = true;
                else if (what != "refuse") error(at(v), "unstrippable: is refuse (leave the image out, the default) or copy (copy it unchanged)");
            } else if (key == "delete") media.delete_extra = boolean(v);
            else if (key == "confirm") media.confirm = text_of(v);
            else if (key == "jobs") media.jobs = integer(v, 1, 256);
            else if (key == "expect") {
                for (const std::string& column : prefixes(v)) {
                    std::size_t dot = column.rfind('.');
                    if (dot == std::string::npos || dot == 0 || dot + 1 == column.size()) {
                        error(at(v), "expect: names TABLE.COLUMN of the target database, e.g. wagtailimages_image.file");
                    }
                    media.expect.push_back(column);
                }
            } else if (key == "exact") media.exact = boolean(v);
        });
        // (A from: or to: whose ${NAME} is unset has had its error already.)
        if (!has(args, "from") || !has(args, "to")) {
            error(step.where, name + " needs from: and to: — e.g. {from: \"s3://media.example.org\", to: \"s3://staging-media\"}");
        }
        if (!media.preset.empty() && (!media.include.empty() || !media.exclude.empty())) {
            error(step.where, name + ": give preset: or include:/exclude:, not both");
        }
    }

    static bool has(const YAML::Node& args, const char* key) { return args.IsMap() && args[key]; }

    // A media location: s3://… as written, a directory relative to the run file.
    std::string location(const YAML::Node& node) {
        std::string text = text_of(node);
        return text.rfind("s3://", 0) == 0 ? text : relative_to_file(text);
    }

    // One prefix or a list of them.
    std::vector<std::string> prefixes(const YAML::Node& node) {
        std::vector<std::string> out;
        if (node.IsSequence()) {
            for (const auto& item : node) out.push_back(text_of(item));
        } else {
            out.push_back(text_of(node));
        }
        return out;
    }

    template <class OnArg>
    void for_each_arg(const YAML::Node& args, const std::string& step, std::initializer_list<const char*> known, OnArg&& on_arg) {
        if (args.IsNull()) return;
        if (!args.IsMap()) {
            error(at(args), step + " takes a mapping of options, e.g. " + step + ": {}");
            return;
        }
        for (const auto& item : args) {
            std::string key = item.first.Scalar();
            bool ok = false;
            std::string expected;
            for (const char* k : known) {
                ok = ok || key == k;
                expected += std::string(expected.empty() ? "" : ", ") + k;
            }
            if (!ok) {
                error(at(item.first), "unknown option \"" + key + "\" of " + step + " — expected " + expected);
                continue;
            }
            on_arg(key, item.second);
        }
    }

    // A scalar with ${NAME} replaced from the environment and {timestamp} filled in.
    std::string text_of(const YAML::Node& node) {
        if (!node.IsScalar()) {
            error(at(node), "expected a value, not a list or mapping");
            return "";
        }
        const std::string& raw = node.Scalar();
        std::string out;
        for (std::size_t i = 0; i < raw.size(); ++i) {
            if (raw.compare(i, 2, "${") == 0) {
                std::size_t end = raw.find('}', i);
                if (end == std::string::npos) {
                    error(at(node), "unclosed ${ — write ${NAME} for the environment variable NAME");
                    return out;
                }
                std::string name = raw.substr(i + 2, end - i - 2);
                const char* value = std::getenv(name.c_str());
                if (!value) {
                    error(at(node), "environment variable " + name + " is not set — export it, or write the value here");
                } else {
                    out += value;
                }
                i = end;
            } else if (raw.compare(i, 11, "{timestamp}") == 0) {
                out += timestamp_;
                i += 10;
            } else {
                out += raw[i];
            }
        }
        return out;
    }

    bool boolean(const YAML::Node& node) {
        std::string v = node.IsScalar() ? node.Scalar() : "";
        if (v == "true" || v == "yes") return true;
        if (v == "false" || v == "no") return false;
        error(at(node), "expected true or false");
        return false;
    }

    int integer(const YAML::Node& node, int low, int high) {
        std::string v = node.IsScalar() ? node.Scalar() : "";
        try {
            std::size_t used = 0;
            int n = std::stoi(v, &used);
            if (used == v.size() && n >= low && n <= high) return n;
        } catch (const std::exception&) {
        }
        error(at(node), "expected a whole number from " + std::to_string(low) + " to " + std::to_string(high));
        return low;
    }

    std::string relative_to_file(const std::string& path) {
        if (path.empty() || path == "-" || path.front() == '/') return path;
        std::filesystem::path dir = std::filesystem::path(file_).parent_path();
        return dir.empty() ? path : (dir / path).string();
    }

    rules::SourcePosition at(const YAML::Node& node) const { return rules::position_of(node, file_); }

    void error(rules::SourcePosition where, std::string message) {
        where.file = file_;
        diagnostics_.push_back({std::move(where), std::move(message)});
    }

    std::string file_;
    std::string timestamp_;
    std::vector<rules::Diagnostic> diagnostics_;
};

} // namespace

RunFile parse_run_file(std::string_view yaml_text, const std::string& file_name, const std::string& timestamp) {
    return Parser(file_name, timestamp).parse(yaml_text);
}

RunFile load_run_file(const std::string& path, const std::string& timestamp) {
    std::ifstream in(path);
    if (!in) throw rules::RulesError({{{path, 0, 0}, "cannot open the run file — check the path given to pgscrub run"}});
    std::stringstream text;
    text << in.rdbuf();
    return parse_run_file(text.str(), path, timestamp);
}

} // namespace pgscrub::runbook
