#include "cli/arguments.hpp"
#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"
#include "media/media_sync.hpp"

#include <cstdio>

namespace pgscrub::cli {

namespace {
const std::string kMediaSyncUsage = "usage: pgscrub media sync --from SRC --to DST";
const CommandSpec kMediaSyncSpec{
    "media sync",
    "bring a media folder in step with another",
    "media sync --from SRC --to DST [--include PREFIX]... [--exclude PREFIX]... [--preset NAME] [--delete --confirm NAME] "
    "[-j N] [--dry-run]",
    "Copies what the target lacks, or what changed at the source or was edited at the target since pgscrub\n"
    "copied it (same-size edits included); a second run with nothing changed copies nothing. SRC and DST are\n"
    "local directories (s3:// locations come with the S3 store). With --delete, keys the source lacks are\n"
    "removed from the target, inside the filter only, and --confirm must name the target.",
    {
        text_option("from", 0, "SRC", "where the media is: a directory").required_as(kMediaSyncUsage),
        text_option("to", 0, "DST", "where it goes: a directory apart from SRC").required_as(kMediaSyncUsage),
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
    options.allow_production_like_target = parsed.has("allow-production-like-target");
    media::MediaSyncResult result = media::run_media_sync(options);
    std::fputs(media::format_media_sync(result, options).c_str(), stderr);
    return kSuccess;
}

} // namespace

Command media_sync_command() { return {&kMediaSyncSpec, run_media_sync}; }

} // namespace pgscrub::cli
