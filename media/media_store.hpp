#pragma once
// What a media sync needs of a place that holds objects: its listing, a
// reader for an object, a writer that records where a copy came from, and
// removal. LocalStore (local_store.hpp) is one; the S3 store is the other.
//
// Writers are whole-or-nothing: what is not committed does not appear under
// the key. Implementations are safe to call from several transfer threads.

#include "common/byte_stream.hpp"
#include "media/media_location.hpp"
#include "media/sync_plan.hpp"

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace pgscrub::media {

// How an object is served, carried from source to copy where the source
// knows it (S3: its response headers; a local file: nothing, so the copy
// gets application/octet-stream).
struct ObjectProperties {
    std::string content_type;
    std::string cache_control;
    std::string content_disposition;
    std::string content_encoding;
    std::vector<std::pair<std::string, std::string>> user_metadata; // x-amz-meta-NAME (lower case) -> value
};

// How a store writes, where the store has a say (S3).
struct StoreOptions {
    // The canned ACL of every object written to S3 (x-amz-acl); docs/media.md
    // "ACLs" says why this default.
    std::string acl = "bucket-owner-full-control";
};

// The canned ACLs `--acl` offers: those that make sense for an object.
inline constexpr std::string_view kCannedAcls[] = {"bucket-owner-full-control", "private", "public-read",
                                                    "authenticated-read", "bucket-owner-read"};

class MediaStore {
public:
    virtual ~MediaStore() = default;

    // Every object, by key relative to the location, in key order.
    virtual std::vector<ListedObject> list() = 0;

    // Fills in `recorded` for the objects of `listing` (this store's) whose
    // keys are in `keys`, where list() could not do it cheaply (S3: a HEAD per
    // key, on up to `jobs` threads). Called by the sync for the keys both
    // sides hold, between listing and planning. A local store's list()
    // already has them.
    virtual void load_records(std::vector<ListedObject>& listing, const std::vector<std::string>& keys, int jobs) {
        (void)listing, (void)keys, (void)jobs;
    }

    // The MD5 of `object`'s bytes (lower-case hex) when its listing already
    // says it — an S3 ETag of a single-part upload — else nullopt. Only a
    // claim: an SSE-KMS object's ETag looks the same but is not its MD5, so
    // `media verify` downloads before it calls a mismatch a difference.
    virtual std::optional<std::string> listed_md5(const ListedObject& object) const {
        (void)object;
        return std::nullopt;
    }

    // The bytes of `object` (listed by this store); `properties`, when
    // given, receives how it is served.
    virtual std::unique_ptr<common::InputStream> open(const ListedObject& object,
                                                      ObjectProperties* properties = nullptr) = 0;

    // The first `size` bytes of `object` (or all of a shorter one), to tell an
    // image from anything else before choosing how to copy it.
    virtual std::string read_start(const ListedObject& object, std::size_t size);

    // True when this store can copy objects of `source` without them passing
    // through pgscrub (two S3 locations on one endpoint).
    virtual bool can_copy_from(const MediaStore& source) const {
        (void)source;
        return false;
    }
    // Copies `object` of `source` under the same key, on the server, with its
    // record; false when the server could not find it under the name it was
    // given (the caller then streams it). Only when can_copy_from(source).
    virtual bool copy_from(const MediaStore& source, const ListedObject& object) {
        (void)source, (void)object;
        return false;
    }

    class Upload {
    public:
        virtual ~Upload() = default;
        virtual common::ByteSink& sink() = 0;
        // The object appears under its key, with a record of `source`.
        virtual void commit() = 0;
    };
    // A writer for `key`, recording that it is a copy of `source`.
    virtual std::unique_ptr<Upload> create(std::string_view key, const ListedObject& source,
                                           const ObjectProperties& properties = {}) = 0;

    virtual void remove(std::string_view key) = 0;

    // Makes the records of every committed copy durable (a local store's
    // manifest); called after the transfers, and when a run stops early, so
    // that a re-run copies nothing twice.
    virtual void save_records() = 0;
};

// The store at `location`. Throws common::Error naming the location when it
// cannot be opened. `options` matter to an S3 store only.
std::unique_ptr<MediaStore> open_store(const MediaLocation& location, const StoreOptions& options = {});

} // namespace pgscrub::media
