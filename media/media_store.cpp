#include "media/media_store.hpp"

#include "media/local_store.hpp"
#include "media/s3_store.hpp"

namespace pgscrub::media {

std::string MediaStore::read_start(const ListedObject& object, std::size_t size) {
    std::unique_ptr<common::InputStream> in = open(object);
    return std::string(in->peek(size));
}

std::unique_ptr<MediaStore> open_store(const MediaLocation& location, const StoreOptions& options) {
    if (location.kind == MediaLocation::Kind::Local) return std::make_unique<LocalStore>(location.directory);
    // Credentials, region and endpoint are resolved here, once: a missing
    // credential is the resolver's one-line error before anything is listed.
    return std::make_unique<S3Store>(location, net::resolve_aws_settings("s3"), options,
                                     multipart_tuning_from_environment());
}

} // namespace pgscrub::media
