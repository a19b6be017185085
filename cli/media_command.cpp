#include "cli/arguments.hpp"
#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"
#include "common/byte_stream.hpp"
#include "media/media_store.hpp"
#include "media/media_sync.hpp"
#include "media/media_verify.hpp"

#include <cstdio>
#include <iterator>
#include <unistd.h>

namespace pgscrub::cli {

namespace {

// The options media sync and media verify share: one meaning, one spec.
OptionSpec from_option(const std::string& usage) {
    return text_option("from", 0, "SRC", "where the media is: a directory or s3://BUCKET/PREFIX").required_as(usage);
}

std::vector<OptionSpec> filter_options(const std::string& include_help) {
    return {
        text_option("include", 0, "PREFIX", include_help).repeated(),
        text_option("exclude", 0, "PREFIX", "leave keys under PREFIX alone").repeated(),
        choice_option("preset", 0, "NAME", {"wagtail-originals", "wagtail-all"},
                      "Wagtail layouts: original_images/ only, or everything")
            .with_doc("`wagtail-originals`: `original_images/` only (a local site rebuilds renditions); "
                      "`wagtail-all`: every key"),
    };
}

OptionSpec jobs_option() {
    return integer_option("jobs", 'j', "N", 1, 256, "transfers", "parallel transfers (default 8)");
}

std::vector<OptionSpec> strip_options(const std::string& strip_help, const std::string& no_strip_help) {
    return {
        flag_option("strip-metadata", 0, strip_help),
        flag_option("no-strip-metadata", 0, no_strip_help),
    };
}

OptionSpec unstrippable_option(const std::string& help, const std::string& doc) {
    return choice_option("unstrippable", 0, "WHAT", {"refuse", "copy"}, help).with_doc(doc);
}

std::vector<OptionSpec> concat(std::vector<std::vector<OptionSpec>> parts) {
    std::vector<OptionSpec> all;
    for (auto& part : parts) std::move(part.begin(), part.end(), std::back_inserter(all));
    return all;
}

media::KeyFilter filter_of(const ParsedArguments& parsed) {
    media::KeyFilter filter;
    if (auto preset = parsed.get("preset")) filter = media::preset_filter(*preset);
    for (const std::string& prefix : parsed.all("include")) filter.include.push_back(prefix);
    for (const std::string& prefix : parsed.all("exclude")) filter.exclude.push_back(prefix);
    return filter;
}

bool strip_of(const ParsedArguments& parsed) {
    if (parsed.has("strip-metadata") && parsed.has("no-strip-metadata")) {
        throw UsageError("give --strip-metadata or --no-strip-metadata, not both");
    }
    return !parsed.has("no-strip-metadata");
}

const std::string kMediaSyncUsage = "usage: pgscrub media sync --from SRC --to DST";
const CommandSpec kMediaSyncSpec{
    "media sync",
    "bring a media folder in step with another",
    "media sync --from SRC --to DST [--include PREFIX]... [--exclude PREFIX]... [--preset NAME] [--delete --confirm NAME] "
    "[-j N] [--dry-run] [--strip-metadata|--no-strip-metadata] [--unstrippable refuse|copy] [--acl CANNED] "
    "[--report FILE.json]",
    "Copies what the target lacks, or what changed at the source or was edited at the target since pgscrub\n"
    "copied it (same-size edits included); a second run with nothing changed copies nothing. Images (JPEG, PNG,\n"
    "WebP, GIF) lose their personal metadata on the way, without re-encoding; one that cannot be cleaned is\n"
    "not copied, and the run exits 1 after everything else is done. SRC and DST are local directories or\n"
    "s3://BUCKET/PREFIX (credentials and endpoint as the AWS CLI takes them). With --delete, keys the source lacks are\n"
    "removed from the target, inside the filter only, and --confirm must name the target.",
    concat({
        {from_option(kMediaSyncUsage),
         text_option("to", 0, "DST", "where it goes: a directory or s3://BUCKET/PREFIX apart from SRC")
             .required_as(kMediaSyncUsage)},
        filter_options("copy only keys under PREFIX (relative to SRC)"),
        {flag_option("delete", 0, "remove target keys the source lacks (needs --confirm)"),
         text_option("confirm", 0, "NAME", "the target's name (its directory's last component), for --delete"),
         jobs_option(),
         flag_option("dry-run", 0, "list what would be copied and deleted; write nothing")},
        strip_options("clean JPEG, PNG, WebP and GIF images of their metadata on the way (the default)",
                      "copy images with their metadata (default: JPEG, PNG, WebP and GIF are cleaned)"),
        {unstrippable_option(
             "an image that cannot be cleaned: refuse (not copied, exit 1; the default) or copy it unchanged",
             "an image that cannot be cleaned (HEIC/AVIF, corrupt, truncated, too large): `refuse` leaves it "
             "out, names it and exits 1 after everything else is done (the default); `copy` copies it "
             "unchanged, with a warning"),
         choice_option("acl", 0, "CANNED", std::vector<std::string>(std::begin(media::kCannedAcls), std::end(media::kCannedAcls)),
                       "the canned ACL of every object written to an S3 target (default bucket-owner-full-control)")
             .with_doc("the canned ACL sent (`x-amz-acl`) with every object written to an S3 target: "
                       "`bucket-owner-full-control` (the default: the only one a bucket with \"bucket owner enforced\" "
                       "ownership, the default since 2023, accepts), `private`, `public-read`, `authenticated-read`, "
                       "`bucket-owner-read`. See docs/media.md, \"ACLs\""),
         path_option("report", 0, "FILE.json", "write what the run did as JSON: counts, removals by kind, unstrippable images"),
         flag_option("allow-production-like-target", 0, "allow a target whose name contains \"prod\"")},
    }),
    {},
    ""};

const std::string kMediaVerifyUsage = "usage: pgscrub media verify --from SRC --to DST";
const CommandSpec kMediaVerifySpec{
    "media verify",
    "check a media folder against the one it was synced from",
    "media verify --from SRC --to DST [--include PREFIX]... [--exclude PREFIX]... [--preset NAME] "
    "[--strip-metadata|--no-strip-metadata] [--unstrippable refuse|copy] [--exact] [--db URL --expect TABLE.COLUMN]... "
    "[-j N] [--report FILE.json]",
    "Compares DST with SRC, reading both and writing neither: every source key inside the filter must be in\n"
    "DST with the right size and content, where an image (JPEG, PNG, WebP, GIF) must hold what cleaning the\n"
    "source gives, not the source's bytes. An image that cannot be cleaned must be absent, unless\n"
    "--unstrippable copy says it was copied unchanged. Keys only DST holds are listed and fail only with\n"
    "--exact. With --db, every key that each --expect column names must be in DST. Content is compared by\n"
    "MD5: an S3 ETag of a single-part object is its MD5, so most objects are not downloaded. One line per\n"
    "problem, then a summary; exit 0 when everything matches, 1 when something differs, 3 when a location\n"
    "or the database cannot be read.",
    concat({
        {from_option(kMediaVerifyUsage),
         text_option("to", 0, "DST", "the copy to check: a directory or s3://BUCKET/PREFIX apart from SRC")
             .required_as(kMediaVerifyUsage)},
        filter_options("compare only keys under PREFIX (relative to SRC)"),
        strip_options("expect images cleaned of their metadata, as a sync leaves them (the default)",
                      "expect images with their metadata, as a sync with --no-strip-metadata copies them"),
        {unstrippable_option(
             "an image that cannot be cleaned: refuse (must be absent; the default) or copy (must be unchanged)",
             "an image that cannot be cleaned (HEIC/AVIF, corrupt, truncated, too large): `refuse` expects it "
             "absent, as a sync leaves it, and fails when DST holds it (the default); `copy` expects it copied "
             "unchanged"),
         flag_option("exact", 0, "fail on keys only DST holds (inside the filter); by default they are only listed"),
         address_option("db", 0, "URL",
                        "the database whose rows name media keys (libpq URL or conninfo), for --expect"),
         text_option("expect", 0, "TABLE.COLUMN",
                     "every non-empty value of this column must be a key of DST (e.g. wagtailimages_image.file)")
             .repeated()
             .with_doc("every non-empty value of this column (`TABLE.COLUMN`, or `SCHEMA.TABLE.COLUMN`) must be a "
                       "key of DST, relative to DST and whatever the filter (e.g. `wagtailimages_image.file`, "
                       "`wagtaildocs_document.file`); needs `--db`"),
         jobs_option(),
         path_option("report", 0, "FILE.json", "write the result as JSON: counts, problems, keys only in DST")},
    }),
    {},
    ""};

int run_media_sync(const ParsedArguments& parsed) {
    media::MediaSyncOptions options;
    options.from = *parsed.get("from");
    options.to = *parsed.get("to");
    options.filter = filter_of(parsed);
    options.delete_extra = parsed.has("delete");
    options.confirm = parsed.get("confirm").value_or("");
    if (auto jobs = parsed.integer("jobs")) options.jobs = static_cast<int>(*jobs);
    options.dry_run = parsed.has("dry-run");
    options.progress = !options.dry_run && ::isatty(STDERR_FILENO);
    options.allow_production_like_target = parsed.has("allow-production-like-target");
    options.strip_metadata = strip_of(parsed);
    options.copy_unstrippable = parsed.get("unstrippable").value_or("refuse") == "copy";
    if (auto acl = parsed.get("acl")) options.acl = *acl;
    media::MediaSyncResult result = media::run_media_sync(options);
    if (auto report = parsed.get("report")) common::write_whole_file(*report, media::media_sync_report_json(result, options));
    std::fputs(media::format_media_sync(result, options).c_str(), stderr);
    return result.refused_any() ? kProblemsFound : kSuccess;
}

int run_media_verify(const ParsedArguments& parsed) {
    media::MediaVerifyOptions options;
    options.from = *parsed.get("from");
    options.to = *parsed.get("to");
    options.filter = filter_of(parsed);
    options.strip_metadata = strip_of(parsed);
    options.copy_unstrippable = parsed.get("unstrippable").value_or("refuse") == "copy";
    options.exact = parsed.has("exact");
    options.database_url = parsed.get("db").value_or("");
    options.expected_columns = parsed.all("expect");
    if (auto jobs = parsed.integer("jobs")) options.jobs = static_cast<int>(*jobs);
    media::MediaVerifyResult result = media::run_media_verify(options);
    if (auto report = parsed.get("report"))
        common::write_whole_file(*report, media::media_verify_report_json(result, options));
    std::fputs(media::format_media_verify(result, options).c_str(), stdout);
    return result.ok() ? kSuccess : kProblemsFound;
}

} // namespace

Command media_sync_command() { return {&kMediaSyncSpec, run_media_sync}; }
Command media_verify_command() { return {&kMediaVerifySpec, run_media_verify}; }

} // namespace pgscrub::cli
