#include "media/media_sync.hpp"

#include "common/error.hpp"
#include "common/interrupts.hpp"
#include "db/guardrails.hpp"
#include "media/media_location.hpp"
#include "media/media_store.hpp"

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
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

void copy_object(MediaStore& source, MediaStore& target, const ListedObject& object) {
    std::unique_ptr<common::InputStream> in = source.open(object);
    std::unique_ptr<MediaStore::Upload> upload = target.create(object.key, object);
    for (;;) {
        std::string_view piece = in->peek(1 << 20);
        if (piece.empty()) break;
        upload->sink().write(piece);
        in->skip(piece.size(), "object bytes");
        common::stop_point();
    }
    upload->commit();
}

} // namespace

MediaSyncResult run_media_sync(const MediaSyncOptions& options) {
    const MediaLocation from = parse_location(options.from);
    const MediaLocation to = parse_location(options.to);
    check_media_target(from, to, options.allow_production_like_target);
    if (options.delete_extra && options.confirm != confirm_name(to)) {
        throw db::GuardrailRefusal("refusing --delete on " + to.shown() + " without --confirm " + confirm_name(to) +
                                   ": it removes every key the source lacks");
    }
    std::unique_ptr<MediaStore> source = open_store(from);
    std::unique_ptr<MediaStore> target = open_store(to);

    MediaSyncResult result;
    std::vector<ListedObject> source_objects = source->list();
    result.source_objects = source_objects.size();
    result.plan = plan_sync(source_objects, target->list(), options.filter, options.delete_extra);
    if (options.dry_run) return result;

    std::unordered_map<std::string_view, const ListedObject*> by_key;
    for (const ListedObject& object : source_objects) by_key.emplace(object.key, &object);

    // Transfers on `jobs` threads, each taking the next copy; the first
    // failure stops the others after their current object.
    std::atomic<std::size_t> next{0};
    std::atomic<bool> stop{false};
    std::atomic<std::uint64_t> copied{0}, bytes{0};
    std::exception_ptr failure;
    std::mutex failure_mutex;
    auto work = [&] {
        while (!stop.load()) {
            std::size_t i = next.fetch_add(1);
            if (i >= result.plan.copies.size()) return;
            const ListedObject& object = *by_key.at(result.plan.copies[i].key);
            try {
                common::throw_if_interrupted(to.shown());
                copy_object(*source, *target, object);
                copied.fetch_add(1);
                bytes.fetch_add(object.size);
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
    std::vector<std::thread> pool;
    for (std::size_t t = 1; t < threads; ++t) pool.emplace_back(work);
    work();
    for (std::thread& thread : pool) thread.join();
    result.copied = copied.load();
    result.bytes_copied = bytes.load();
    if (!failure) {
        for (const std::string& key : result.plan.deletions) {
            target->remove(key);
            ++result.deleted;
        }
    }
    // What was committed is kept, whatever stopped the run: a re-run then
    // copies only what is left.
    target->save_records();
    if (failure) std::rethrow_exception(failure);
    return result;
}

std::string format_media_sync(const MediaSyncResult& result, const MediaSyncOptions& options) {
    std::string out;
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
                                  " bytes), " + std::to_string(result.deleted) + " deleted") +
           ", " + std::to_string(result.plan.unchanged) + " already in step\n";
    return out;
}

} // namespace pgscrub::media
