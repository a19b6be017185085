#pragma once
// An S3 prefix (`s3://bucket/prefix`) as a media store (docs/media.md, "S3").
//
// Addressing is path-style (https://ENDPOINT/bucket/key): bucket names with
// dots break virtual-host TLS, and custom endpoints (s3rver, MinIO) want it.
// The endpoint is AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL / the profile's
// endpoint_url, else https://s3.REGION.amazonaws.com. Every request is
// signed with net::sign_v4 and sent with net::http_request.
//
// Records: every object pgscrub writes carries the source's ETag and size as
// x-amz-meta-pgscrub-source-etag / -size. A listing has no metadata, so the
// records are read with a HEAD, only for the keys both sides hold
// (load_records). A copy's own ETag is only known after its PUT, so it is
// not recorded: an edit on the target by anything else replaces the object
// and its metadata with it, and the key then counts as "not copied by
// pgscrub" and is copied again.
//
// Bodies never sit whole in memory: open() downloads into an unlinked
// temporary file (spool_file.hpp) and reads it back; an upload is spooled
// while its SHA-256 is computed, then PUT with that hash signed (so a PUT can
// be retried). An upload larger than the multipart threshold becomes a
// multipart upload: the spool then holds one part at a time, each part is
// PUT with its own hash signed and retried on its own, and a failure or
// Ctrl-C aborts the upload (s3_upload.cpp). Objects are copied bucket to
// bucket with CopyObject when they need no cleaning, and with UploadPartCopy
// above CopyObject's 5 GiB (s3_multipart.hpp plans the parts).
//
// ACLs: every PUT, CopyObject and CreateMultipartUpload carries x-amz-acl
// (`--acl`, default bucket-owner-full-control: the one canned ACL a bucket
// with "bucket owner enforced" ownership accepts; docs/media.md). S3 answering
// AccessControlListNotSupported is a usage error saying what to pass.

#include "media/media_location.hpp"
#include "media/media_store.hpp"
#include "media/s3_multipart.hpp"
#include "net/aws_credentials.hpp"
#include "net/http_request.hpp"

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace pgscrub::media {

inline constexpr std::string_view kSourceEtagHeader = "x-amz-meta-pgscrub-source-etag";
inline constexpr std::string_view kSourceSizeHeader = "x-amz-meta-pgscrub-source-size";

class S3Store final : public MediaStore {
public:
    // Throws common::Error (usage) for an endpoint that cannot be used.
    S3Store(MediaLocation location, net::AwsSettings settings, StoreOptions options = {},
            MultipartTuning tuning = {});

    std::vector<ListedObject> list() override;
    void load_records(std::vector<ListedObject>& listing, const std::vector<std::string>& keys, int jobs) override;
    std::unique_ptr<common::InputStream> open(const ListedObject& object,
                                              ObjectProperties* properties = nullptr) override;
    std::string read_start(const ListedObject& object, std::size_t size) override;
    // The ETag, when it is a plain MD5 (md5_of_etag).
    std::optional<std::string> listed_md5(const ListedObject& object) const override;
    std::unique_ptr<Upload> create(std::string_view key, const ListedObject& source,
                                   const ObjectProperties& properties = {}) override;
    bool can_copy_from(const MediaStore& source) const override;
    bool copy_from(const MediaStore& source, const ListedObject& object) override;
    void remove(std::string_view key) override;
    void save_records() override {} // the records travel with the objects

    // A request to this store's endpoint: `key` is the bucket key ("" for the
    // bucket itself), decoded; signed and sent. For the upload and copy code.
    struct Request {
        std::string method = "GET";
        std::string key;
        bool bucket_level = false;
        std::vector<std::pair<std::string, std::string>> query;
        std::vector<std::pair<std::string, std::string>> headers;
        net::HttpRequest http; // body, retries, timeouts; url and headers are filled in
        std::string payload_sha256;
    };
    net::HttpResponse send(Request request, common::ByteSink* sink = nullptr) const;
    // `request` signed at `when`, as send() would hand it to net::http_request.
    net::HttpRequest signed_request(Request request, std::chrono::sys_seconds when) const;

    // The multipart requests, built but not sent (the tests compare them with
    // botocore's). `key` is the bucket key, decoded.
    Request create_multipart_request(const std::string& key,
                                     std::vector<std::pair<std::string, std::string>> headers) const;
    Request upload_part_request(const std::string& key, const std::string& upload_id, int part_number) const;
    Request upload_part_copy_request(const std::string& key, const std::string& upload_id, const PartRange& part,
                                     const std::string& source_bucket, const std::string& source_key) const;
    Request complete_multipart_request(const std::string& key, const std::string& upload_id,
                                       const std::vector<std::string>& part_etags) const;
    Request abort_multipart_request(const std::string& key, const std::string& upload_id) const;
    // The x-amz-copy-source of `source_key` in `source_bucket`.
    static std::string copy_source(const std::string& source_bucket, const std::string& source_key);
    // The URL of a key as messages show it (no query).
    std::string url_of(std::string_view bucket_key, bool bucket_level = false) const;
    // Throws common::Error (network) describing a failed S3 reply.
    // S3's AccessControlListNotSupported is common::Error (Usage) saying
    // which --acl to pass instead.
    [[noreturn]] void fail(const net::HttpResponse& response, std::string_view what, std::string_view bucket_key) const;

    const MediaLocation& location() const { return location_; }
    const MultipartTuning& tuning() const { return tuning_; }
    // The headers that record `source` on a copy, plus Content-Type and the
    // other properties, and the explicit ACL (a canned ACL, x-amz-acl).
    static std::vector<std::pair<std::string, std::string>> copy_headers(const ListedObject& source,
                                                                         const ObjectProperties& properties,
                                                                         std::string_view acl);

    // The reply of a request that fails late, with an <Error> inside a 200 OK
    // (CopyObject, UploadPartCopy, CompleteMultipartUpload): true for success,
    // false for a 404 NoSuchKey (the copy source was not found); fail()s
    // otherwise.
    bool late_failure_checked(const net::HttpResponse& response, std::string_view what, const std::string& key) const;

private:
    // UploadPartCopy part by part, under one multipart upload; false when the
    // server cannot find the source under its name (as copy_from).
    bool multipart_copy(const S3Store& from, const std::string& source_key, const std::string& key,
                        std::vector<std::pair<std::string, std::string>> headers, std::uint64_t size);

    MediaLocation location_;
    net::AwsSettings settings_;
    StoreOptions options_;
    MultipartTuning tuning_;
    std::string base_url_;  // scheme://host[:port]
    std::string base_path_; // the endpoint's path, "" or "/x" without a trailing '/'
    std::string host_;      // as signed: host[:port], lower case
    bool https_ = true;
};

} // namespace pgscrub::media
