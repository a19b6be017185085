#pragma once
// A local directory as a media store, for pulls to a developer's machine and
// local sources: its listing, the manifest in which pgscrub records what it
// copied there, and safe writes.
//
// The manifest (`.pgscrub-media.json` at the directory's root) maps each key
// pgscrub wrote to the source's ETag and size and to the file's own
// fingerprint when written (size and modification time in nanoseconds), so a
// later sync tells a file it made from one edited since (sync_plan.hpp).
// Files are written under a temporary name in their directory and renamed
// into place, so a run cut short leaves no half-written file under a key's
// name; the manifest is saved the same way.
//
// Keys come from the source (an S3 listing can hold any key): one that
// would not name a file inside the directory — an absolute path, an empty,
// "." or ".." segment, a NUL or a backslash — is refused (store_key_problem),
// never resolved.

#include "media/media_store.hpp"
#include "media/sync_plan.hpp"

#include "common/byte_stream.hpp"

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pgscrub::media {

inline constexpr std::string_view kManifestName = ".pgscrub-media.json";

// Why `key` cannot be stored as a file; nullopt when it can.
std::optional<std::string> store_key_problem(std::string_view key);

class LocalStore final : public MediaStore {
public:
    // Reads the manifest if there is one. Throws common::Error (input) for a
    // manifest that is not pgscrub's, naming the file and how to go on.
    explicit LocalStore(std::string directory);

    const std::string& directory() const { return directory_; }

    // Every regular file below the directory, by key ('/'-separated), with
    // its fingerprint and, where the manifest has one, its record. The
    // manifest and temporaries are not listed. Order: by key.
    std::vector<ListedObject> list() override;

    // Writes a key: bytes go to `sink()`, then commit() renames the file into
    // place and records `source_etag`/`source_size` for it. Destroyed without
    // commit(), it leaves nothing.
    class Writer {
    public:
        common::ByteSink& sink() { return *file_; }
        void commit();

    private:
        friend class LocalStore;
        Writer(LocalStore& store, std::string key, std::string source_etag, std::uint64_t source_size,
               std::unique_ptr<common::FileOutput> file);
        LocalStore& store_;
        std::string key_;
        std::string source_etag_;
        std::uint64_t source_size_;
        std::unique_ptr<common::FileOutput> file_;
    };
    Writer write(std::string_view key, std::string source_etag, std::uint64_t source_size);

    // Saves the manifest (temporary name, then rename).
    void save_manifest() const;

    // MediaStore
    std::unique_ptr<common::InputStream> open(const ListedObject& object,
                                              ObjectProperties* properties = nullptr) override;
    // `properties` are not kept: a file has no Content-Type.
    std::unique_ptr<Upload> create(std::string_view key, const ListedObject& source,
                                   const ObjectProperties& properties = {}) override;
    void remove(std::string_view key) override;
    void save_records() override { save_manifest(); }

    // The fingerprint list() gives the file at `path`.
    static std::string fingerprint_of(const std::string& path);

private:
    std::string path_of(std::string_view key) const;

    std::string directory_;
    mutable std::mutex records_mutex_; // transfer threads commit concurrently
    std::map<std::string, ListedObject::Record, std::less<>> records_;
};

} // namespace pgscrub::media
