#include "media/media_sync.hpp"

#include "common/error.hpp"
#include "common/interrupts.hpp"
#include "common/json_writer.hpp"
#include "db/guardrails.hpp"
#include "media/image_cleaner.hpp"
#include "media/media_location.hpp"
#include "media/image_reading.hpp"
#include "media/media_store.hpp"
#include "media/sync_progress.hpp"

#include <algorithm>
#include <cctype>
#include <atomic>
#include <exception>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>

namespace pgscrub::media {

namespace {

// The name --confirm must give: the bucket, or the directory's last component.
std::string confirm_name(const MediaLocation& target) {
    if (target.kind == MediaLocation::Kind::S3) return target.bucket;
    std::size_t slash = target.directory.rfind('/');
    return slash == std::string::npos ? target.directory : target.directory.substr(slash + 1);
}

// What happened to one object, for the result.
struct Outcome {
    std::optional<CleanedImage> cleaned;
    std::optional<Unstrippable> unstrippable;
    bool written = false;
};

// True for the extensions of the formats the cleaner knows (.jpg, .jpeg,
// .png, .webp, .gif, any case): a guess that saves a request, never a
// decision — the bytes are sniffed whatever the name.
bool named_like_image(std::string_view key) {
    std::size_t dot = key.rfind('.');
    if (dot == std::string_view::npos || key.find('/', dot) != std::string_view::npos) return false;
    std::string extension;
    for (char c : key.substr(dot + 1)) extension += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return extension == "jpg" || extension == "jpeg" || extension == "png" || extension == "webp" || extension == "gif";
}

// Copies one object: an image is read whole (under the limit) and cleaned;
// anything else streams through unchanged. An image that cannot be cleaned
// is not written unless the options say to copy it as it is.
Outcome copy_object(MediaStore& source, MediaStore& target, const ListedObject& object, const MediaSyncOptions& options,
                    MemoryBudget& budget) {
    Outcome outcome;
    // Bucket to bucket, what needs no cleaning is copied by the server and
    // never downloaded: only its first bytes are read, to tell an image —
    // except under an image's name, which is read whole at once (one request
    // instead of two; the bytes still decide, below).
    if (target.can_copy_from(source) && !(options.strip_metadata && named_like_image(object.key))) {
        const bool image = options.strip_metadata &&
                           sniff_image_format(source.read_start(object, 64)) != SniffedFormat::Unknown;
        if (!image && target.copy_from(source, object)) {
            outcome.written = true;
            return outcome;
        }
    }
    ObjectProperties properties;
    std::unique_ptr<common::InputStream> in = source.open(object, &properties);
    const SniffedFormat format = options.strip_metadata ? sniff_image_format(in->peek(64)) : SniffedFormat::Unknown;
    if (format == SniffedFormat::Unknown) {
        std::unique_ptr<MediaStore::Upload> upload = target.create(object.key, object, properties);
        stream_rest(*in, upload->sink());
        upload->commit();
        outcome.written = true;
        return outcome;
    }
    // An image: whole in memory, but never more than the limit.
    BudgetHold hold(budget, object.size, options.max_image_bytes);
    std::string bytes = read_image_bytes(*in, options.max_image_bytes);
    CleanResult result = clean_read_image(bytes, options.max_image_bytes);
    if (auto* cleaned = std::get_if<CleanedImage>(&result)) {
        std::unique_ptr<MediaStore::Upload> upload = target.create(object.key, object, properties);
        upload->sink().write(cleaned->bytes);
        upload->commit();
        outcome.written = true;
        outcome.cleaned = std::move(*cleaned);
        return outcome;
    }
    outcome.unstrippable = std::get<Unstrippable>(std::move(result));
    if (!options.copy_unstrippable) return outcome;
    std::unique_ptr<MediaStore::Upload> upload = target.create(object.key, object, properties);
    upload->sink().write(bytes);
    stream_rest(*in, upload->sink());
    upload->commit();
    outcome.written = true;
    return outcome;
}

// A run cut short by the network or by Ctrl-C is half done, not broken:
// what it copied is recorded, so the message says how far it got and that
// running it again finishes the job (docs/media.md, "Stopping and resuming").
[[noreturn]] void rethrow_resumable(std::exception_ptr failure, std::uint64_t copied, std::size_t planned) {
    try {
        std::rethrow_exception(failure);
    } catch (const common::Error& error) {
        if (error.kind() != common::ErrorKind::Network && error.kind() != common::ErrorKind::Interrupted) throw;
        common::Error resumable(error.kind(),
                                std::string(error.what()) + " (" + std::to_string(copied) + " of " +
                                    std::to_string(planned) +
                                    " copies done and kept: run the same command again to finish)",
                                error.location());
        for (auto frame = error.context().rbegin(); frame != error.context().rend(); ++frame) {
            resumable.add_context(*frame);
        }
        throw resumable;
    }
}

} // namespace

void check_media_sync_guardrails(const MediaSyncOptions& options) {
    const MediaLocation from = parse_location(options.from);
    const MediaLocation to = parse_location(options.to);
    check_media_target(from, to, options.allow_production_like_target);
    if (options.delete_extra && options.confirm != confirm_name(to)) {
        throw db::GuardrailRefusal("refusing --delete on " + to.shown() + " without --confirm " + confirm_name(to) +
                                   ": it removes every key the source lacks");
    }
}

MediaSyncResult run_media_sync(const MediaSyncOptions& options) {
    check_media_sync_guardrails(options);
    const MediaLocation from = parse_location(options.from);
    const MediaLocation to = parse_location(options.to);
    std::unique_ptr<MediaStore> source = open_store(from);
    std::unique_ptr<MediaStore> target = open_store(to, StoreOptions{options.acl});

    MediaSyncResult result;
    std::vector<ListedObject> source_objects = source->list();
    result.source_objects = source_objects.size();
    std::vector<ListedObject> target_objects = target->list();
    {
        // The target's records, for the keys whose records decide something.
        std::unordered_map<std::string_view, bool> in_source;
        for (const ListedObject& object : source_objects) in_source.emplace(object.key, true);
        std::vector<std::string> both;
        for (const ListedObject& object : target_objects) {
            if (in_source.contains(object.key) && options.filter.matches(object.key)) both.push_back(object.key);
        }
        target->load_records(target_objects, both, options.jobs);
    }
    result.plan = plan_sync(source_objects, target_objects, options.filter, options.delete_extra);
    if (options.dry_run) return result;

    std::unordered_map<std::string_view, const ListedObject*> by_key;
    for (const ListedObject& object : source_objects) by_key.emplace(object.key, &object);

    // Transfers on `jobs` threads, each taking the next copy; the first
    // failure stops the others after their current object.
    std::atomic<std::size_t> next{0};
    std::atomic<bool> stop{false};
    std::atomic<std::uint64_t> copied{0}, bytes{0};
    // For the progress line: objects dealt with (copied or left out) and their source bytes.
    std::atomic<std::uint64_t> processed{0}, processed_bytes{0};
    std::exception_ptr failure;
    std::mutex failure_mutex;
    std::mutex result_mutex; // cleaning outcomes
    MemoryBudget budget(options.image_memory_budget);
    auto work = [&] {
        while (!stop.load()) {
            std::size_t i = next.fetch_add(1);
            if (i >= result.plan.copies.size()) return;
            const ListedObject& object = *by_key.at(result.plan.copies[i].key);
            try {
                common::throw_if_interrupted(to.shown());
                Outcome outcome = copy_object(*source, *target, object, options, budget);
                processed_bytes.fetch_add(object.size);
                processed.fetch_add(1);
                if (outcome.written) {
                    copied.fetch_add(1);
                    bytes.fetch_add(outcome.cleaned ? outcome.cleaned->bytes.size() : object.size);
                }
                std::lock_guard lock(result_mutex);
                if (outcome.cleaned) {
                    ++result.cleaned;
                    result.metadata_bytes_removed += outcome.cleaned->removed.bytes_removed;
                    for (RemovedKind kind : outcome.cleaned->removed.list()) ++result.removed_by_kind[std::string(kind_name(kind))];
                }
                if (outcome.unstrippable) {
                    result.unstrippable.push_back({object.key, std::string(reason_name(outcome.unstrippable->reason)),
                                                   outcome.unstrippable->detail, outcome.written});
                }
            } catch (common::Error& error) {
                error.add_context("key " + common::printable_text(object.key, 200));
                std::lock_guard lock(failure_mutex);
                if (!failure) failure = std::current_exception();
                stop = true;
            } catch (...) {
                std::lock_guard lock(failure_mutex);
                if (!failure) failure = std::current_exception();
                stop = true;
            }
        }
    };
    const std::size_t threads = std::clamp<std::size_t>(static_cast<std::size_t>(std::max(options.jobs, 1)), 1,
                                                        std::max<std::size_t>(result.plan.copies.size(), 1));
    {
        SyncProgressTicker progress(options.progress, result.plan.copies.size(), result.plan.bytes_to_copy, processed,
                                    processed_bytes);
        std::vector<std::thread> pool;
        for (std::size_t t = 1; t < threads; ++t) pool.emplace_back(work);
        work();
        for (std::thread& thread : pool) thread.join();
    } // the line is cleared before anything else is printed
    result.copied = copied.load();
    result.bytes_copied = bytes.load();
    std::sort(result.unstrippable.begin(), result.unstrippable.end(),
              [](const auto& a, const auto& b) { return a.key < b.key; });
    if (!failure) {
        for (const std::string& key : result.plan.deletions) {
            target->remove(key);
            ++result.deleted;
        }
    }
    // What was committed is kept, whatever stopped the run: a re-run then
    // copies only what is left.
    target->save_records();
    if (failure) rethrow_resumable(failure, result.copied, result.plan.copies.size());
    return result;
}

bool MediaSyncResult::refused_any() const {
    return std::any_of(unstrippable.begin(), unstrippable.end(), [](const auto& u) { return !u.copied_anyway; });
}

std::string media_sync_report_json(const MediaSyncResult& result, const MediaSyncOptions& options) {
    common::JsonWriter json(2);
    json.begin_object();
    json.key("from").value(parse_location(options.from).shown());
    json.key("to").value(parse_location(options.to).shown());
    json.key("dry_run").value(options.dry_run);
    json.key("strip_metadata").value(options.strip_metadata);
    json.key("source_objects").value(result.source_objects);
    json.key("outside_filter").value(result.plan.filtered_out);
    json.key("already_in_step").value(result.plan.unchanged);
    json.key("copied").value(result.copied);
    json.key("bytes_copied").value(result.bytes_copied);
    json.key("deleted").value(result.deleted);
    json.key("cleaned").value(result.cleaned);
    json.key("metadata_bytes_removed").value(result.metadata_bytes_removed);
    json.key("removed_by_kind").begin_object();
    for (const auto& [kind, count] : result.removed_by_kind) json.key(kind).value(count);
    json.end_object();
    json.key("unstrippable").begin_array();
    for (const auto& u : result.unstrippable) {
        json.begin_object().key("key").value(u.key).key("reason").value(u.reason).key("detail").value(u.detail);
        json.key("copied_unchanged").value(u.copied_anyway).end_object();
    }
    json.end_array();
    json.end_object();
    return json.text() + "\n";
}

std::string format_media_sync(const MediaSyncResult& result, const MediaSyncOptions& options) {
    std::string out;
    for (const auto& u : result.unstrippable) {
        out += std::string(u.copied_anyway ? "warning: copied unchanged, with its metadata: "
                                           : "not copied: cannot remove the metadata of ") +
               common::printable_text(u.key, 400) + " (" + u.reason + ": " + u.detail + ")\n";
    }
    if (options.dry_run) {
        for (const SyncPlan::Copy& c : result.plan.copies) {
            out += "would copy " + common::printable_text(c.key, 400) + " (" + std::to_string(c.size) + " bytes, " + c.why + ")\n";
        }
        for (const std::string& key : result.plan.deletions) out += "would delete " + common::printable_text(key, 400) + "\n";
    }
    out += "pgscrub media sync" + std::string(options.dry_run ? " (dry run)" : "") + ": " +
           std::to_string(result.source_objects) + " source objects, " + std::to_string(result.plan.filtered_out) +
           " outside the filter; " +
           (options.dry_run ? std::to_string(result.plan.copies.size()) + " to copy (" +
                                  std::to_string(result.plan.bytes_to_copy) + " bytes), " +
                                  std::to_string(result.plan.deletions.size()) + " to delete"
                            : std::to_string(result.copied) + " copied (" + std::to_string(result.bytes_copied) +
                                  " bytes; " + std::to_string(result.cleaned) + " images cleaned of metadata), " +
                                  std::to_string(result.deleted) + " deleted") +
           ", " + std::to_string(result.plan.unchanged) + " already in step\n";
    return out;
}

} // namespace pgscrub::media
