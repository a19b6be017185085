#include "cli/arguments.hpp"
#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"
#include "common/byte_stream.hpp"
#include "media/media_sync.hpp"

#include <cstdio>
#include <unistd.h>

namespace pgscrub::cli {

namespace {
const std::string kMediaSyncUsage = "usage: pgscrub media sync --from SRC --to DST";
const CommandSpec kMediaSyncSpec{
    "media sync",
    "bring a media folder in step with another",
    "media sync --from SRC --to DST [--include PREFIX]... [--exclude PREFIX]... [--preset NAME] [--delete --confirm NAME] "
    "[-j N] [--dry-run] [--no-strip-metadata] [--unstrippable refuse|copy] [--report FILE.json]",
    "Copies what the target lacks, or what changed at the source or was edited at the target since pgscrub\n"
    "copied it (same-size edits included); a second run with nothing changed copies nothing. Images (JPEG, PNG,\n"
    "WebP, GIF) lose their personal metadata on the way, without re-encoding; one that cannot be cleaned is\n"
    "not copied, and the run exits 1 after everything else is done. SRC and DST are local directories or\n"
    "s3://BUCKET/PREFIX (credentials and endpoint as the AWS CLI takes them). With --delete, keys the source lacks are\n"
    "removed from the target, inside the filter only, and --confirm must name the target.",
    {
        text_option("from", 0, "SRC", "where the media is: a directory or s3://BUCKET/PREFIX").required_as(kMediaSyncUsage),
        text_option("to", 0, "DST", "where it goes: a directory or s3://BUCKET/PREFIX apart from SRC").required_as(kMediaSyncUsage),
        text_option("include", 0, "PREFIX", "copy only keys under PREFIX (relative to SRC)").repeated(),
        text_option("exclude", 0, "PREFIX", "leave keys under PREFIX alone").repeated(),
        choice_option("preset", 0, "NAME", {"wagtail-originals", "wagtail-all"},
                      "Wagtail layouts: original_images/ only, or everything")
            .with_doc("`wagtail-originals`: `original_images/` only (a local site rebuilds renditions); "
                      "`wagtail-all`: every key"),
        flag_option("delete", 0, "remove target keys the source lacks (needs --confirm)"),
        text_option("confirm", 0, "NAME", "the target's name (its directory's last component), for --delete"),
        integer_option("jobs", 'j', "N", 1, 256, "transfers", "parallel transfers (default 8)"),
        flag_option("dry-run", 0, "list what would be copied and deleted; write nothing"),
        flag_option("no-strip-metadata", 0, "copy images with their metadata (default: JPEG, PNG, WebP and GIF are cleaned)"),
        choice_option("unstrippable", 0, "WHAT", {"refuse", "copy"},
                      "an image that cannot be cleaned: refuse (not copied, exit 1; the default) or copy it unchanged")
            .with_doc("an image that cannot be cleaned (HEIC/AVIF, corrupt, truncated, too large): `refuse` leaves it "
                      "out, names it and exits 1 after everything else is done (the default); `copy` copies it "
                      "unchanged, with a warning"),
        path_option("report", 0, "FILE.json", "write what the run did as JSON: counts, removals by kind, unstrippable images"),
        flag_option("allow-production-like-target", 0, "allow a target whose name contains \"prod\""),
    },
    {},
    ""};

int run_media_sync(const ParsedArguments& parsed) {
    media::MediaSyncOptions options;
    options.from = *parsed.get("from");
    options.to = *parsed.get("to");
    if (auto preset = parsed.get("preset")) options.filter = media::preset_filter(*preset);
    for (const std::string& prefix : parsed.all("include")) options.filter.include.push_back(prefix);
    for (const std::string& prefix : parsed.all("exclude")) options.filter.exclude.push_back(prefix);
    options.delete_extra = parsed.has("delete");
    options.confirm = parsed.get("confirm").value_or("");
    if (auto jobs = parsed.integer("jobs")) options.jobs = static_cast<int>(*jobs);
    options.dry_run = parsed.has("dry-run");
    options.progress = !options.dry_run && ::isatty(STDERR_FILENO);
    options.allow_production_like_target = parsed.has("allow-production-like-target");
    options.strip_metadata = !parsed.has("no-strip-metadata");
    options.copy_unstrippable = parsed.get("unstrippable").value_or("refuse") == "copy";
    media::MediaSyncResult result = media::run_media_sync(options);
    if (auto report = parsed.get("report")) common::write_whole_file(*report, media::media_sync_report_json(result, options));
    std::fputs(media::format_media_sync(result, options).c_str(), stderr);
    return result.refused_any() ? kProblemsFound : kSuccess;
}

} // namespace

Command media_sync_command() { return {&kMediaSyncSpec, run_media_sync}; }

} // namespace pgscrub::cli
