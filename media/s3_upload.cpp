// The S3 store's writes: an upload (one PUT, or a multipart upload above the
// threshold) and a multipart copy on the server (UploadPartCopy above
// CopyObject's 5 GiB). docs/media.md, "Large objects"; s3_store.hpp has the
// contract, s3_multipart.hpp the limits and the part sizes.

#include "common/error.hpp"
#include "common/interrupts.hpp"
#include "common/secret_masking.hpp"
#include "media/s3_store.hpp"
#include "media/s3_xml.hpp"
#include "media/spool_file.hpp"
#include "net/aws_sigv4.hpp"

#include <algorithm>
#include <cstdio>
#include <vector>

namespace pgscrub::media {

S3Store::Request S3Store::create_multipart_request(const std::string& key,
                                                   std::vector<std::pair<std::string, std::string>> headers) const {
    Request request;
    request.method = "POST";
    request.key = key;
    request.query = {{"uploads", ""}};
    request.headers = std::move(headers);
    // A retry may leave an upload behind that is never completed; S3's
    // lifecycle rule AbortIncompleteMultipartUpload removes it (docs/media.md).
    return request;
}

S3Store::Request S3Store::upload_part_request(const std::string& key, const std::string& upload_id,
                                              int part_number) const {
    Request request;
    request.method = "PUT";
    request.key = key;
    request.query = {{"partNumber", std::to_string(part_number)}, {"uploadId", upload_id}};
    return request;
}

std::string S3Store::copy_source(const std::string& source_bucket, const std::string& source_key) {
    return net::encoded_path("/" + source_bucket + "/" + source_key);
}

S3Store::Request S3Store::upload_part_copy_request(const std::string& key, const std::string& upload_id,
                                                   const PartRange& part, const std::string& source_bucket,
                                                   const std::string& source_key) const {
    Request request = upload_part_request(key, upload_id, part.number);
    request.headers = {{"x-amz-copy-source", copy_source(source_bucket, source_key)},
                       {"x-amz-copy-source-range", part.copy_source_range()}};
    // The server copies for a long time and sends only whitespace meanwhile.
    request.http.low_speed_limit = 1;
    request.http.low_speed_time = std::chrono::seconds(300);
    return request;
}

S3Store::Request S3Store::complete_multipart_request(const std::string& key, const std::string& upload_id,
                                                     const std::vector<std::string>& part_etags) const {
    Request request;
    request.method = "POST";
    request.key = key;
    request.query = {{"uploadId", upload_id}};
    request.http.body = complete_multipart_xml(part_etags);
    // S3 may take minutes to assemble a large object, sending whitespace.
    request.http.low_speed_limit = 1;
    request.http.low_speed_time = std::chrono::seconds(300);
    return request;
}

S3Store::Request S3Store::abort_multipart_request(const std::string& key, const std::string& upload_id) const {
    Request request;
    request.method = "DELETE";
    request.key = key;
    request.query = {{"uploadId", upload_id}};
    return request;
}

namespace {

// One multipart upload, from CreateMultipartUpload to Complete; destroyed
// before complete() (a failure, Ctrl-C), it aborts the upload so that no
// parts stay stored.
class MultipartUpload {
public:
    MultipartUpload(const S3Store& store, std::string key, std::vector<std::pair<std::string, std::string>> headers)
        : store_(store), key_(std::move(key)) {
        net::HttpResponse response = store_.send(store_.create_multipart_request(key_, std::move(headers)));
        if (response.status != 200) store_.fail(response, "CreateMultipartUpload", key_);
        try {
            upload_id_ = parse_reply_field(response.body, "InitiateMultipartUploadResult", "UploadId");
        } catch (const S3XmlError& error) {
            throw common::Error(common::ErrorKind::Network,
                                std::string("S3 CreateMultipartUpload reply is not what S3 sends: ") + error.what(),
                                common::shown_url(store_.url_of(key_)));
        }
    }
    ~MultipartUpload() {
        if (!completed_) abort();
    }
    MultipartUpload(const MultipartUpload&) = delete;
    MultipartUpload& operator=(const MultipartUpload&) = delete;

    const std::string& id() const { return upload_id_; }
    int parts() const { return static_cast<int>(etags_.size()); }
    void add_part(std::string etag) { etags_.push_back(std::move(etag)); }

    void complete() {
        net::HttpResponse response = store_.send(store_.complete_multipart_request(key_, upload_id_, etags_));
        (void)store_.late_failure_checked(response, "CompleteMultipartUpload", key_);
        completed_ = true;
    }

private:
    // Best effort, never throws: after a failure or Ctrl-C. s3rver 3.7 does
    // not implement it (405 MethodNotAllowed) and an upload already gone is
    // 404: both are quiet. Anything else is one warning line naming the URL
    // and S3's code, never a header.
    void abort() noexcept {
        try {
            S3Store::Request request = store_.abort_multipart_request(key_, upload_id_);
            request.http.survives_interrupt = true;
            request.http.max_attempts = 1;
            request.http.connect_timeout = std::chrono::seconds(5);
            request.http.low_speed_time = std::chrono::seconds(10);
            net::HttpResponse response = store_.send(std::move(request));
            const long status = response.status;
            if (status == 204 || status == 200 || status == 404 || status == 405 || status == 501) return;
            std::string code;
            try {
                if (auto reply = parse_error_reply(response.body))
                    code = "; " + common::printable_text(reply->code, 60);
            } catch (const S3XmlError&) {
            }
            std::string line = "warning: could not abort the multipart upload of " +
                               common::shown_url(store_.url_of(key_)).str() + " (HTTP status " +
                               std::to_string(status) + code +
                               "): its parts stay stored until a lifecycle rule removes them\n";
            std::fputs(line.c_str(), stderr);
        } catch (...) {
            std::fputs("warning: could not abort a multipart upload: its parts stay stored until a lifecycle rule "
                       "removes them\n",
                       stderr);
        }
    }

    const S3Store& store_;
    std::string key_;
    std::string upload_id_;
    std::vector<std::string> etags_;
    bool completed_ = false;
};

// Spools the bytes to a temporary file while hashing them. Up to the
// threshold, commit() PUTs the file with its hash signed. Past it, the
// upload becomes multipart: each full part is sent as soon as it is spooled
// (its hash read back from the spool) and dropped, so the spool never holds
// more than a part and a piece.
class S3Upload final : public MediaStore::Upload, public common::ByteSink {
public:
    S3Upload(const S3Store& store, std::string key, std::vector<std::pair<std::string, std::string>> headers,
             std::uint64_t expected_size)
        : store_(store), key_(std::move(key)), headers_(std::move(headers)), expected_size_(expected_size) {}
    common::ByteSink& sink() override { return *this; }

    void write(std::string_view bytes) override {
        if (!multipart_) {
            if (file_.size() + bytes.size() <= store_.tuning().threshold) {
                file_.append(bytes);
                hash_.update(bytes);
                return;
            }
            // The part size is fixed by the first part: from the size the
            // source listed (a cleaned image only shrinks), or what is here.
            part_size_ =
                part_size_for(std::max(expected_size_, file_.size() + bytes.size()), store_.tuning().part_size);
            multipart_ = std::make_unique<MultipartUpload>(store_, key_, headers_);
        }
        file_.append(bytes);
        std::uint64_t sent = 0;
        while (file_.size() - sent >= part_size_) {
            send_part(sent, part_size_);
            sent += part_size_;
        }
        if (sent > 0) file_.drop_front(sent);
    }

    void commit() override {
        if (!multipart_) {
            S3Store::Request request;
            request.method = "PUT";
            request.key = key_;
            request.headers = headers_;
            request.payload_sha256 = hash_.finish_hex();
            stream_body(request, 0, file_.size());
            net::HttpResponse response = store_.send(std::move(request));
            if (response.status != 200) store_.fail(response, "PUT", key_);
            return;
        }
        if (file_.size() > 0 || multipart_->parts() == 0) send_part(0, file_.size());
        multipart_->complete();
    }

private:
    // The body of `request`: `length` bytes of the spool from `first`,
    // replayable (a retry rewinds).
    void stream_body(S3Store::Request& request, std::uint64_t first, std::uint64_t length) {
        offset_ = 0;
        request.http.body_size = length;
        request.http.read_body = [this, first, length](char* buffer, std::size_t size) {
            std::size_t n = file_.read_at(first + offset_, buffer,
                                          static_cast<std::size_t>(std::min<std::uint64_t>(size, length - offset_)));
            offset_ += n;
            return n;
        };
        request.http.rewind_body = [this] { offset_ = 0; };
    }

    void send_part(std::uint64_t first, std::uint64_t length) {
        if (multipart_->parts() >= static_cast<int>(kMaxParts)) {
            throw common::Error(common::ErrorKind::Input,
                                "the object grew past " + std::to_string(kMaxParts) + " parts of " +
                                    std::to_string(part_size_) + " bytes while it was read: run the sync again",
                                common::shown_url(store_.url_of(key_)));
        }
        net::Sha256 hash;
        std::vector<char> buffer(static_cast<std::size_t>(std::min<std::uint64_t>(length, kMiB)));
        for (std::uint64_t done = 0; done < length;) {
            std::size_t n =
                file_.read_at(first + done, buffer.data(),
                              static_cast<std::size_t>(std::min<std::uint64_t>(buffer.size(), length - done)));
            if (n == 0) throw common::Error(common::ErrorKind::Output, "a temporary file is shorter than written");
            hash.update(std::string_view(buffer.data(), n));
            done += n;
        }
        const int number = multipart_->parts() + 1;
        S3Store::Request request = store_.upload_part_request(key_, multipart_->id(), number);
        request.payload_sha256 = hash.finish_hex();
        stream_body(request, first, length);
        net::HttpResponse response = store_.send(std::move(request));
        if (response.status != 200) store_.fail(response, "UploadPart " + std::to_string(number), key_);
        std::string etag = response.header("etag");
        if (etag.empty()) {
            throw common::Error(common::ErrorKind::Network, "S3 UploadPart reply has no ETag",
                                common::shown_url(store_.url_of(key_)));
        }
        multipart_->add_part(std::move(etag));
    }

    const S3Store& store_;
    std::string key_;
    std::vector<std::pair<std::string, std::string>> headers_;
    std::uint64_t expected_size_;
    SpoolFile file_;
    net::Sha256 hash_;
    std::uint64_t offset_ = 0; // of the body being sent
    std::uint64_t part_size_ = 0;
    std::unique_ptr<MultipartUpload> multipart_;
};

} // namespace

std::unique_ptr<MediaStore::Upload> S3Store::create(std::string_view key, const ListedObject& source,
                                                    const ObjectProperties& properties) {
    return std::make_unique<S3Upload>(*this, location_.key_of(key), copy_headers(source, properties, options_.acl),
                                      source.size);
}

bool S3Store::multipart_copy(const S3Store& from, const std::string& source_key, const std::string& key,
                             std::vector<std::pair<std::string, std::string>> headers, std::uint64_t size) {
    MultipartUpload upload(*this, key, std::move(headers));
    for (const PartRange& part : plan_parts(size, tuning_.copy_part_size)) {
        const std::string what = "UploadPartCopy " + std::to_string(part.number);
        net::HttpResponse response =
            send(upload_part_copy_request(key, upload.id(), part, from.location_.bucket, source_key));
        if (!late_failure_checked(response, what, key)) return false; // aborted by `upload`
        std::string etag;
        try {
            etag = parse_reply_field(response.body, "CopyPartResult", "ETag");
        } catch (const S3XmlError& error) {
            throw common::Error(common::ErrorKind::Network,
                                "S3 " + what + " reply is not what S3 sends: " + error.what(),
                                common::shown_url(url_of(key)));
        }
        upload.add_part(std::move(etag));
        common::throw_if_interrupted(common::shown_url(url_of(key)).str());
    }
    upload.complete();
    return true;
}

} // namespace pgscrub::media
