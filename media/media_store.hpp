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
#include <string_view>
#include <vector>

namespace pgscrub::media {

class MediaStore {
public:
    virtual ~MediaStore() = default;

    // Every object, by key relative to the location, in key order.
    virtual std::vector<ListedObject> list() = 0;

    // The bytes of `object` (listed by this store).
    virtual std::unique_ptr<common::InputStream> open(const ListedObject& object) = 0;

    class Upload {
    public:
        virtual ~Upload() = default;
        virtual common::ByteSink& sink() = 0;
        // The object appears under its key, with a record of `source`.
        virtual void commit() = 0;
    };
    // A writer for `key`, recording that it is a copy of `source`.
    virtual std::unique_ptr<Upload> create(std::string_view key, const ListedObject& source) = 0;

    virtual void remove(std::string_view key) = 0;

    // Makes the records of every committed copy durable (a local store's
    // manifest); called after the transfers, and when a run stops early, so
    // that a re-run copies nothing twice.
    virtual void save_records() = 0;
};

// The store at `location`. Throws common::Error naming the location when it
// cannot be opened.
std::unique_ptr<MediaStore> open_store(const MediaLocation& location);

} // namespace pgscrub::media
