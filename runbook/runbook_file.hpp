#pragma once
// The run file of `pgscrub run` (version 1, a published interface; see
// docs/runbook.md): where the data comes from, the rules, the target and
// its confirmation name, and the steps, parsed with the position of every
// node so a mistake names FILE:LINE:COL. ${NAME} is replaced by the
// environment variable NAME (an unset one is an error); {timestamp} in
// paths by the run's start time (20261124T070000Z).

#include "rules/rules_error.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pgscrub::runbook {

struct RunStep {
    enum class Kind { BackupTarget, Restore, Sql, Verify, FlushCache, CheckUrl, SyncMedia, VerifyMedia } kind = Kind::Restore;
    rules::SourcePosition where;
    // backup_target
    std::string backup_to;
    // restore
    int jobs = 1;
    enum class Strategy { Swap, InPlace } strategy = Strategy::Swap;
    // sql
    std::vector<std::string> statements;
    // verify
    bool scan = false;
    // flush_cache
    std::string redis_url;
    bool redis_tls_verify = true; // tls_verify: false for a self-signed certificate (Heroku)
    std::string redis_tls_ca;     // tls_ca: a CA bundle, relative to the run file
    // check_url
    std::string url;
    long status = 200;
    // sync_media and verify_media: what `pgscrub media sync` / `media verify`
    // take on their command lines (docs/media.md)
    struct Media {
        std::string from; // s3://BUCKET/PREFIX or a directory (relative to the run file)
        std::string to;
        std::string preset; // "" or wagtail-originals / wagtail-all
        std::vector<std::string> include;
        std::vector<std::string> exclude;
        bool strip_metadata = true;
        bool copy_unstrippable = false; // unstrippable: copy
        bool delete_extra = false;      // sync_media: delete: true (needs confirm:)
        std::string confirm;            // sync_media: the target bucket or directory, typed out
        int jobs = 8;
        std::vector<std::string> expect; // verify_media: TABLE.COLUMN naming keys the target must hold
        bool exact = false;              // verify_media: keys only the target has fail it
    } media;

    std::string name() const; // as written in the file: backup_target, restore, ...
};

struct RunFile {
    std::string path;
    int version = 1;
    // source: exactly one of these
    std::string source_dump;     // a file, "-" or an http(s) URL
    std::string source_database; // a libpq URL or conninfo, dumped with pg_dump
    std::string rules_path;      // relative paths are relative to the run file's folder
    std::string target_database;
    std::string target_confirm;
    bool allow_production_like_target = false;
    // Pre-flight: accounts present only on the target, listed so they can be recreated.
    std::string accounts_table = "auth_user";
    std::string accounts_key = "email";
    std::vector<RunStep> steps;
    std::string report_path; // Markdown; "" for none
    std::string pg_bin;      // where pg_dump/pg_restore live; "" = PATH

    const RunStep* step(RunStep::Kind kind) const;
};

// Reads and validates a run file; throws rules::RulesError (exit 2) with
// every problem found. `timestamp` fills {timestamp}.
RunFile load_run_file(const std::string& path, const std::string& timestamp);
RunFile parse_run_file(std::string_view yaml_text, const std::string& file_name, const std::string& timestamp);

} // namespace pgscrub::runbook
