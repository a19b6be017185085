#include "runbook/runbook_run.hpp"

#include "common/secret_masking.hpp"
#include "common/utc_time.hpp"
#include "db/archive_restore.hpp"
#include "db/connection_string.hpp"
#include "db/database_address.hpp"
#include "db/database_admin.hpp"
#include "db/database_dump.hpp"
#include "db/database_error.hpp"
#include "db/guardrails.hpp"
#include "db/live_queries.hpp"
#include "db/pg_tools.hpp"
#include "dump/archive_error.hpp"
#include "report/scrub_report.hpp"
#include "rules/rules_file.hpp"
#include "runbook/site_checks.hpp"
#include "scrub/scan.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <cstdlib>
#include <map>
#include <memory>
#include <set>
#include <thread>

#include <unistd.h>

namespace pgscrub::runbook {

namespace {

using Clock = std::chrono::steady_clock;

// A source URL as messages may show it: user info and query string (a signed
// URL's credentials) masked.
std::string describe_source(const RunFile& run) {
    if (!run.source_database.empty()) return common::mask_secrets(run.source_database).str();
    return common::shown_url(run.source_dump).str();
}


} // namespace

std::string describe_plan(const RunFile& run, const RunOptions& options) {
    db::DatabaseAddress target = db::DatabaseAddress::parse(run.target_database);
    std::string db = target.describe().str();
    std::string out = "pgscrub run: plan of " + run.path + (options.dry_run ? " (dry run: nothing is touched)" : "") + "\n";
    out += "  target  " + db + " (confirm: " + run.target_confirm + ")\n";
    out += "  source  " + describe_source(run) + "\n";
    out += "  rules   " + run.rules_path + "\n";
    int n = 0;
    auto line = [&](const std::string& name, const std::string& what) {
        char head[64];
        std::snprintf(head, sizeof head, "  %d %-14s", n++, name.c_str());
        out += head + what + "\n";
    };
    line("preflight", "check confirm: against the target's name, the target is not the source and not production-like; "
                      "lock the target; list accounts only the target has (" + run.accounts_table + "." + run.accounts_key + ")");
    bool skipping = !options.from_step.empty();
    for (const RunStep& s : run.steps) {
        if (skipping && s.name() == options.from_step) skipping = false;
        std::string what;
        switch (s.kind) {
        case RunStep::Kind::BackupTarget: what = "pg_dump -Fc -f " + s.backup_to + " " + db + " (temporary name, renamed when complete; manifest beside it)"; break;
        case RunStep::Kind::Restore: {
            std::string input = run.source_database.empty() ? describe_source(run) : "pg_dump -Fc " + describe_source(run) + " |";
            std::string scrub = "pgscrub scrub -r " + run.rules_path;
            if (s.strategy == RunStep::Strategy::Swap) {
                what = input + " " + scrub + " | pg_restore --no-owner --no-acl --exit-on-error -d <fresh database beside " +
                       target.dbname + ">; then rename " + target.dbname + " away and the fresh one to " + target.dbname +
                       ", and drop the old one";
            } else {
                what = input + " " + scrub + " | pg_restore --clean --if-exists --no-owner --no-acl -d " + db +
                       " (every error stops the restore, except the drops --clean may not find)";
            }
            if (s.jobs > 1) what += " (scrubbed to a temporary file first: pg_restore -j " + std::to_string(s.jobs) + " needs one)";
            break;
        }
        case RunStep::Kind::Sql: what = "BEGIN; " + std::to_string(s.statements.size()) + " statement(s); COMMIT — on " + db; break;
        case RunStep::Kind::Verify: what = "row counts of every table equal what scrub wrote" + std::string(s.scan ? "; pgscrub scan --db " + db + " -r " + run.rules_path : ""); break;
        case RunStep::Kind::FlushCache:
            what = "FLUSHDB on " + common::shown_url(s.redis_url);
            if (s.redis_url.starts_with("rediss://")) {
                what += !s.redis_tls_verify          ? " (TLS, certificate NOT verified: tls_verify: false)"
                        : !s.redis_tls_ca.empty() ? " (TLS, certificate and host name verified against " + s.redis_tls_ca + ")"
                                                  : " (TLS, certificate and host name verified against the system's CAs)";
            }
            break;
        case RunStep::Kind::CheckUrl: what = "GET " + common::shown_url(s.url) + " expecting status " + std::to_string(s.status); break;
        case RunStep::Kind::SyncMedia:
        case RunStep::Kind::VerifyMedia: what = describe_media_step(run, s); break;
        }
        line(s.name(), (skipping ? "(skipped: before --from) " : "") + what);
    }
    if (!run.report_path.empty()) out += "  report  " + run.report_path + "\n";
    return out;
}

namespace {

double since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

std::string megabytes(std::uint64_t bytes) {
    char text[32];
    std::snprintf(text, sizeof text, "%.1f MB", static_cast<double>(bytes) / 1e6);
    return text;
}

// One run's state as its steps go by.
class RunExecution {
public:
    RunExecution(const RunFile& run, const RunOptions& options, RunRecord& record, const rules::RulesFile& rules,
                 db::DatabaseAddress target)
        : run_(run), options_(options), record_(record), rules_(rules), target_(std::move(target)), tools_(run.pg_bin) {}

    void preflight(const db::TargetGuardrails& guardrails) {
        auto start = Clock::now();
        db::check_target(target_, guardrails); // confirm against the server's own name; reads only
        lock_ = std::make_unique<db::TargetLock>(target_);
        target_accounts_ = db::column_values(target_, run_.accounts_table, run_.accounts_key);
        record_.steps.push_back({"preflight",
                                 "target confirmed as " + target_.dbname + " and locked; " + std::to_string(target_accounts_.size()) +
                                     " accounts on it (" + record_.accounts_spec + ")",
                                 since(start), false, false});
    }

    void step(const RunStep& s) {
        StepRecord entry{s.name(), "", 0, false, false};
        auto start = Clock::now();
        try {
            switch (s.kind) {
            case RunStep::Kind::BackupTarget: entry.detail = backup_target(s); break;
            case RunStep::Kind::Restore: entry.detail = restore_step(s); break;
            case RunStep::Kind::Sql: entry.detail = sql(s); break;
            case RunStep::Kind::Verify: entry.detail = verify(s); break;
            case RunStep::Kind::FlushCache: entry.detail = flush_cache(s); break;
            case RunStep::Kind::CheckUrl: entry.detail = check(s); break;
            case RunStep::Kind::SyncMedia:
            case RunStep::Kind::VerifyMedia: entry.detail = run_media_step(run_, s, record_.media); break;
            }
        } catch (const std::exception& e) {
            entry.failed = true;
            entry.seconds = since(start);
            entry.detail = common::mask_secrets(e.what()).str();
            record_.steps.push_back(entry);
            record_.failed_step = s.name();
            throw;
        }
        entry.seconds = since(start);
        record_.steps.push_back(entry);
    }

    void skipped(const RunStep& s) { record_.steps.push_back({s.name(), "skipped (before --from)", 0, true, false}); }

private:
    std::string backup_target(const RunStep& s) {
        db::BackupResult backup = db::backup_database(target_, s.backup_to, tools_);
        record_.backup_path = backup.path;
        return "pg_dump -Fc of " + target_.dbname + " to " + backup.path + " (" + megabytes(backup.size) + ", sha256 " +
               backup.sha256.substr(0, 16) + "…, manifest " + backup.manifest_path + ")";
    }

    std::string restore_step(const RunStep& s) {
        db::RestoreOptions options;
        options.jobs = s.jobs;
        if (s.strategy == RunStep::Strategy::InPlace) {
            // Not in one transaction: pg_restore's clean step fails some drops
            // on partitioned tables, which restore_archive accepts only outside one.
            options.clean = true;
            scrub_into(target_, options, s.jobs);
            return "scrubbed " + describe_source_short() + " into " + target_.dbname + " in place (--clean); " + scrub_detail();
        }
        db::DatabaseAdmin admin(target_);
        std::string fresh = db::side_database_name(target_.dbname, "new", common::compact_utc_stamp());
        admin.create_database_like(fresh, target_.dbname);
        try {
            scrub_into(db::with_database(target_, fresh), options, s.jobs);
        } catch (...) {
            // The target was never touched; the half-restored database goes.
            try {
                admin.drop_database(fresh);
            } catch (const std::exception&) {
            }
            throw;
        }
        db::DatabaseAdmin::SwapResult swap = admin.swap_databases(target_.dbname, fresh, true);
        return "scrubbed " + describe_source_short() + " into a fresh database, swapped it in as " + target_.dbname +
               (swap.old_dropped ? " and dropped the old one" : " (the old one is kept as " + swap.old_name + ")") + "; " +
               scrub_detail();
    }

    // source -> scrub -> pg_restore into `into`: streamed, or through a
    // scrubbed temporary file when pg_restore -j needs one.
    void scrub_into(const db::DatabaseAddress& into, const db::RestoreOptions& restore_options, int jobs) {
        scrub::ScrubOptions scrub;
        scrub.key = options_.key;
        scrub.progress = options_.progress;
        scrub.format = dump::ArchiveFormat::Custom;
        // Straight into a local pg_restore: compressing would only cost time.
        // Every table is decoded so verify can compare every row count.
        scrub.compression = dump::CompressionSpec{dump::Compression::None, std::nullopt};
        scrub.rewrite_all = run_.step(RunStep::Kind::Verify) != nullptr;
        // Every core rewrites rows, so the scrub keeps up with the restore it feeds.
        scrub.jobs = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
        std::unique_ptr<db::PgDumpStream> dump;
        if (!run_.source_database.empty()) {
            dump = std::make_unique<db::PgDumpStream>(db::DatabaseAddress::parse(run_.source_database), tools_);
            scrub.input = dump->path();
        } else {
            scrub.input = run_.source_dump;
        }
        scrub.before_output = [&into](const dump::ArchiveModel& model) {
            if (db::archive_needs_heroku_ext(model)) db::ensure_heroku_ext_schema(into);
        };
        try {
            if (jobs > 1) {
                // pg_restore -j reads a file; it holds scrubbed data only.
                std::string temp = (std::getenv("TMPDIR") ? std::string(std::getenv("TMPDIR")) : std::string("/tmp")) +
                                   "/pgscrub-run-" + std::to_string(::getpid()) + ".dump";
                scrub.output = temp;
                struct Remove {
                    std::string path;
                    ~Remove() { std::remove(path.c_str()); }
                } remove{temp};
                record_.scrub = scrub::run_scrub(scrub, rules_);
                if (dump) dump->finish();
                db::restore_archive(temp, into, restore_options, tools_);
            } else {
                db::PgRestoreStream restore(into, restore_options, tools_, false);
                scrub.output = restore.input_path();
                try {
                    record_.scrub = scrub::run_scrub(scrub, rules_);
                } catch (...) {
                    restore.throw_if_failed();
                    throw;
                }
                restore.finish();
                if (dump) dump->finish();
            }
        } catch (...) {
            if (dump) dump->throw_if_failed();
            throw;
        }
    }

    std::string scrub_detail() const {
        if (!record_.scrub) return "";
        int transformed = 0, truncated = 0;
        for (const scrub::TableOutcome& t : record_.scrub->tables) {
            if (t.action == rules::TableAction::Transform) ++transformed;
            if (t.action == rules::TableAction::Truncate) ++truncated;
        }
        return std::to_string(record_.scrub->tables.size()) + " tables (" + std::to_string(transformed) + " transformed, " +
               std::to_string(truncated) + " truncated)";
    }

    std::string describe_source_short() const { return record_.source; }

    std::string sql(const RunStep& s) {
        db::run_in_transaction(target_, s.statements);
        return std::to_string(s.statements.size()) + " statement(s) committed in one transaction";
    }

    std::string verify(const RunStep& s) {
        std::string detail;
        if (record_.scrub) {
            std::map<std::string, std::uint64_t> counts = db::count_rows(target_);
            std::size_t compared = 0;
            for (const scrub::TableOutcome& t : record_.scrub->tables) {
                if (!t.rows) continue;
                auto found = counts.find(t.name);
                std::uint64_t actual = found == counts.end() ? 0 : found->second;
                if (actual != *t.rows) {
                    throw db::DatabaseError("table " + t.name + " has " + std::to_string(actual) + " rows, but scrub wrote " +
                                                 std::to_string(*t.rows) + " — the restore is incomplete",
                                             target_.describe());
                }
                ++compared;
            }
            detail = "row counts of " + std::to_string(compared) + " tables equal what scrub wrote";
        } else {
            detail = "row counts not compared (the restore ran in an earlier run)";
        }
        if (s.scan) {
            scrub::ScanOptions scan;
            scan.database = target_.text();
            scan.rules = &rules_;
            scrub::ScanResult result = scrub::run_scan(scan);
            std::size_t attention = result.needing_attention();
            if (attention) {
                std::string where;
                for (const scrub::ScanFinding& f : result.findings) {
                    if (!f.needs_attention()) continue;
                    if (!where.empty()) where += ", ";
                    where += f.table + "." + f.column + " (" + f.kind + ", " + f.finding_class + ")";
                }
                throw db::DatabaseError("the scan of the restored database found personal data the rules do not confirm: " + where,
                                         target_.describe());
            }
            detail += "; scan of " + std::to_string(result.values_scanned) + " values found nothing the rules do not confirm";
        }
        return detail;
    }

    std::string flush_cache(const RunStep& s) {
        RedisFlushResult flushed = flush_redis(s.redis_url, std::chrono::seconds{10}, RedisTls{s.redis_tls_verify, s.redis_tls_ca});
        return std::to_string(flushed.keys_before) + " keys flushed from database " + std::to_string(flushed.database) + " of " +
               flushed.address;
    }

    std::string check(const RunStep& s) {
        CheckResult result = check_url(s.url, s.status, std::chrono::seconds(30));
        if (!result.matches()) {
            throw common::Error(common::ErrorKind::Network, "check_url: " + result.summary());
        }
        return result.summary();
    }

    const RunFile& run_;
    const RunOptions& options_;
    RunRecord& record_;
    const rules::RulesFile& rules_;
    db::DatabaseAddress target_;
    db::PgTools tools_;
    std::unique_ptr<db::TargetLock> lock_;
    std::vector<std::string> target_accounts_;

public:
    // Accounts the target had that the restored data lacks (after restore).
    void note_target_only_accounts() {
        std::vector<std::string> now = db::column_values(target_, run_.accounts_table, run_.accounts_key);
        std::set<std::string> present(now.begin(), now.end());
        for (const std::string& a : target_accounts_)
            if (!present.count(a)) record_.target_only_accounts.push_back(a);
    }
};

} // namespace

bool RunRecord::media_refused_any() const {
    return std::any_of(media.begin(), media.end(), [](const MediaStepRecord& m) { return m.sync && m.sync->refused_any(); });
}

void execute_run(const RunFile& run, const RunOptions& options, RunRecord& record) {
    auto started = Clock::now();
    record.run_file = run.path;
    record.started_at = common::utc_timestamp();
    record.accounts_spec = run.accounts_table + "." + run.accounts_key;
    db::DatabaseAddress target = db::DatabaseAddress::parse(run.target_database);
    record.target = target.describe().str();
    record.source = describe_source(run);
    db::TargetGuardrails guardrails;
    guardrails.confirm = run.target_confirm;
    guardrails.allow_production_like_target = run.allow_production_like_target;
    if (!run.source_database.empty()) guardrails.source = db::DatabaseAddress::parse(run.source_database);
    db::check_target_offline(target, guardrails);
    for (const RunStep& s : run.steps)
        if (s.kind == RunStep::Kind::SyncMedia || s.kind == RunStep::Kind::VerifyMedia) check_media_step(run, s);
    rules::RulesFile rules = rules::load_rules_file(run.rules_path);
    record.rules_sha256 = rules.sha256;
    if (!options.from_step.empty()) {
        bool known = std::any_of(run.steps.begin(), run.steps.end(), [&](const RunStep& s) { return s.name() == options.from_step; });
        if (!known) throw RunRefused("--from " + options.from_step + ": the run file has no such step");
    }
    if (options.dry_run) return;

    RunExecution execution(run, options, record, rules, target);
    struct Timer {
        RunRecord& record;
        Clock::time_point start;
        ~Timer() { record.seconds = since(start); }
    } timer{record, started};
    try {
        execution.preflight(guardrails);
    } catch (const common::Error&) {
        record.failed_step = "preflight";
        throw;
    }
    bool skipping = !options.from_step.empty();
    bool restored = false;
    for (const RunStep& s : run.steps) {
        if (skipping && s.name() == options.from_step) skipping = false;
        if (skipping) {
            execution.skipped(s);
            continue;
        }
        execution.step(s);
        if (s.kind == RunStep::Kind::Restore) restored = true;
    }
    if (restored) execution.note_target_only_accounts();
}

} // namespace pgscrub::runbook
