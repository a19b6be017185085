#include "media/s3_store.hpp"

#include "common/error.hpp"
#include "common/secret_masking.hpp"
#include "common/url_parts.hpp"
#include "media/s3_xml.hpp"
#include "media/spool_file.hpp"
#include "media/verify_compare.hpp"
#include "net/aws_sigv4.hpp"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <cstdlib>
#include <exception>
#include <mutex>
#include <thread>
#include <unordered_map>

namespace pgscrub::media {

namespace {

// A header value from a response, fit to be sent again: one line, printable.
bool sendable(std::string_view value) {
    return std::none_of(value.begin(), value.end(), [](char c) { return c == '\r' || c == '\n' || c == '\0'; });
}

ObjectProperties properties_of(const net::HttpResponse& response) {
    ObjectProperties properties;
    for (const auto& [name, value] : response.headers) {
        if (!sendable(value)) continue;
        if (name == "content-type")
            properties.content_type = value;
        else if (name == "cache-control")
            properties.cache_control = value;
        else if (name == "content-disposition")
            properties.content_disposition = value;
        else if (name == "content-encoding")
            properties.content_encoding = value;
        else if (name.starts_with("x-amz-meta-") && name != kSourceEtagHeader && name != kSourceSizeHeader) {
            properties.user_metadata.emplace_back(name, value);
        }
    }
    return properties;
}

std::optional<ListedObject::Record> record_of(const net::HttpResponse& response) {
    std::string etag = response.header(kSourceEtagHeader);
    std::string size = response.header(kSourceSizeHeader);
    if (etag.empty() || size.empty() ||
        !std::all_of(size.begin(), size.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        return std::nullopt;
    }
    ListedObject::Record record;
    record.source_etag = etag;
    record.source_size = std::strtoull(size.c_str(), nullptr, 10);
    return record; // target_fingerprint "": S3 metadata goes with the object (sync_plan.hpp)
}

} // namespace

S3Store::S3Store(MediaLocation location, net::AwsSettings settings, StoreOptions options, MultipartTuning tuning)
    : location_(std::move(location)), settings_(std::move(settings)), options_(std::move(options)), tuning_(tuning) {
    std::string endpoint =
        settings_.endpoint_url.empty() ? "https://s3." + settings_.region + ".amazonaws.com" : settings_.endpoint_url;
    common::UrlParts parts;
    if (!common::parse_url(endpoint, parts) || parts.host.empty() ||
        (parts.scheme != "http" && parts.scheme != "https")) {
        throw common::Error(common::ErrorKind::Usage,
                            "S3 endpoint " + common::shown_url(endpoint) + " is not an http:// or https:// URL");
    }
    https_ = parts.scheme == "https";
    std::string host = parts.ipv6 ? "[" + parts.host + "]" : parts.host;
    for (char& c : host) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const bool default_port = parts.port.empty() || (https_ && parts.port == "443") || (!https_ && parts.port == "80");
    host_ = default_port ? host : host + ":" + parts.port;
    base_url_ = parts.scheme + "://" + host_;
    base_path_ = parts.path;
    while (!base_path_.empty() && base_path_.back() == '/') base_path_.pop_back();
}

std::string S3Store::url_of(std::string_view bucket_key, bool bucket_level) const {
    std::string path = base_path_ + "/" + location_.bucket + (bucket_level ? "" : "/" + std::string(bucket_key));
    return base_url_ + net::encoded_path(path);
}

net::HttpResponse S3Store::send(Request request, common::ByteSink* sink) const {
    auto now = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
    return net::http_request(signed_request(std::move(request), now), sink);
}

net::HttpRequest S3Store::signed_request(Request request, std::chrono::sys_seconds when) const {
    net::SigV4Request signing;
    signing.method = request.method;
    signing.host = host_;
    signing.path = base_path_ + "/" + location_.bucket + (request.bucket_level ? "" : "/" + request.key);
    signing.query = request.query;
    signing.headers = request.headers;
    signing.payload_sha256 = !request.payload_sha256.empty() ? request.payload_sha256
                             : request.http.body             ? net::sha256_hex(*request.http.body)
                                                             : std::string(net::kEmptyPayloadSha256);
    net::SigV4Signature signature =
        net::sign_v4(signing, settings_.credentials, net::SigV4Scope{settings_.region, "s3"}, when);
    net::HttpRequest& http = request.http;
    http.method = request.method;
    http.url = base_url_ + net::encoded_path(signing.path);
    std::string query = net::encoded_query(signing.query);
    if (!query.empty()) http.url += "?" + query;
    http.headers = request.headers;
    http.headers.insert(http.headers.end(), signature.headers.begin(), signature.headers.end());
    return std::move(http);
}

void S3Store::fail(const net::HttpResponse& response, std::string_view what, std::string_view bucket_key) const {
    std::string message = "S3 " + std::string(what) + " failed: HTTP status " + std::to_string(response.status);
    if (response.attempts > 1) message += " after " + std::to_string(response.attempts) + " attempts";
    std::optional<S3ErrorReply> reply;
    try {
        reply = parse_error_reply(response.body);
    } catch (const S3XmlError&) {
    }
    if (reply) {
        message += "; the server says " + common::printable_text(reply->code, 60) + ": " +
                   common::printable_text(reply->message, 200);
    }
    if (reply && reply->code == "AccessControlListNotSupported") {
        // A bucket with "bucket owner enforced" ownership (the default since
        // 2023) takes no ACL but bucket-owner-full-control (docs/media.md).
        throw common::Error(common::ErrorKind::Usage,
                            "S3 " + std::string(what) + " refused the ACL " + options_.acl +
                                ": the bucket's Object Ownership is \"bucket owner enforced\", which allows no ACL but "
                                "bucket-owner-full-control; pass --acl bucket-owner-full-control (the default)",
                            common::shown_url(url_of(bucket_key, bucket_key.empty())));
    }
    if (response.status == 301 || (reply && reply->code == "PermanentRedirect")) {
        message += " — the bucket is in another region: set AWS_REGION to it";
    }
    throw common::Error(common::ErrorKind::Network, message, common::shown_url(url_of(bucket_key, bucket_key.empty())));
}

std::vector<ListedObject> S3Store::list() {
    std::vector<ListedObject> objects;
    std::string token;
    for (;;) {
        Request request;
        request.bucket_level = true;
        request.query = {{"list-type", "2"}, {"prefix", location_.prefix}, {"encoding-type", "url"}};
        if (!token.empty()) request.query.emplace_back("continuation-token", token);
        net::HttpResponse response = send(std::move(request));
        if (response.status != 200) fail(response, "listing of " + location_.shown(), "");
        S3ListPage page;
        try {
            page = parse_list_page(response.body);
        } catch (const S3XmlError& error) {
            throw common::Error(common::ErrorKind::Network,
                                std::string("S3 listing reply is not what S3 sends: ") + error.what(),
                                common::shown_url(url_of("", true)));
        }
        for (S3ListedObject& listed : page.objects) {
            if (!listed.key.starts_with(location_.prefix) || listed.key.size() == location_.prefix.size()) continue;
            ListedObject object;
            object.key = listed.key.substr(location_.prefix.size());
            object.size = listed.size;
            object.fingerprint = std::move(listed.etag);
            objects.push_back(std::move(object));
        }
        if (!page.truncated) break;
        if (page.next_continuation_token.empty() || page.next_continuation_token == token) {
            throw common::Error(common::ErrorKind::Network,
                                "S3 listing is truncated but gives no new continuation token",
                                common::shown_url(url_of("", true)));
        }
        token = page.next_continuation_token;
    }
    std::sort(objects.begin(), objects.end(),
              [](const ListedObject& a, const ListedObject& b) { return a.key < b.key; });
    objects.erase(
        std::unique(objects.begin(), objects.end(), [](const auto& a, const auto& b) { return a.key == b.key; }),
        objects.end());
    return objects;
}

void S3Store::load_records(std::vector<ListedObject>& listing, const std::vector<std::string>& keys, int jobs) {
    std::unordered_map<std::string_view, ListedObject*> by_key;
    for (ListedObject& object : listing) by_key.emplace(object.key, &object);
    std::vector<ListedObject*> wanted;
    for (const std::string& key : keys) {
        if (auto found = by_key.find(key); found != by_key.end()) wanted.push_back(found->second);
    }
    std::atomic<std::size_t> next{0};
    std::exception_ptr failure;
    std::mutex failure_mutex;
    auto work = [&] {
        for (;;) {
            std::size_t i = next.fetch_add(1);
            if (i >= wanted.size()) return;
            try {
                {
                    std::lock_guard lock(failure_mutex);
                    if (failure) return;
                }
                Request request;
                request.method = "HEAD";
                request.key = location_.key_of(wanted[i]->key);
                net::HttpResponse response = send(request);
                if (response.status == 404) continue; // deleted since the listing: it will be copied
                if (response.status != 200) fail(response, "HEAD", request.key);
                wanted[i]->recorded = record_of(response);
            } catch (...) {
                std::lock_guard lock(failure_mutex);
                if (!failure) failure = std::current_exception();
                return;
            }
        }
    };
    std::size_t threads = std::clamp<std::size_t>(static_cast<std::size_t>(std::max(jobs, 1)), 1,
                                                  std::max<std::size_t>(wanted.size(), 1));
    std::vector<std::thread> pool;
    for (std::size_t t = 1; t < threads; ++t) pool.emplace_back(work);
    work();
    for (std::thread& thread : pool) thread.join();
    if (failure) std::rethrow_exception(failure);
}

std::unique_ptr<common::InputStream> S3Store::open(const ListedObject& object, ObjectProperties* properties) {
    const std::string key = location_.key_of(object.key);
    auto file = std::make_unique<SpoolFile>();
    SpoolSink sink(*file);
    Request request;
    request.key = key;
    net::HttpResponse response = send(request, &sink);
    if (response.status != 200) fail(response, "GET", key);
    if (properties) *properties = properties_of(response);
    return spool_input(common::shown_url(url_of(key)).str(), std::move(file));
}

std::string S3Store::read_start(const ListedObject& object, std::size_t size) {
    if (object.size == 0 || size == 0) return "";
    const std::string key = location_.key_of(object.key);
    Request request;
    request.key = key;
    request.headers = {{"Range", "bytes=0-" + std::to_string(size - 1)}};
    net::HttpResponse response = send(request);
    if (response.status != 200 && response.status != 206) fail(response, "GET (range)", key);
    return response.body.substr(0, size);
}

std::optional<std::string> S3Store::listed_md5(const ListedObject& object) const {
    return md5_of_etag(object.fingerprint);
}

std::vector<std::pair<std::string, std::string>> S3Store::copy_headers(const ListedObject& source,
                                                                       const ObjectProperties& properties,
                                                                       std::string_view acl) {
    std::vector<std::pair<std::string, std::string>> headers;
    headers.emplace_back("Content-Type",
                         properties.content_type.empty() ? "application/octet-stream" : properties.content_type);
    if (!properties.cache_control.empty()) headers.emplace_back("Cache-Control", properties.cache_control);
    if (!properties.content_disposition.empty())
        headers.emplace_back("Content-Disposition", properties.content_disposition);
    if (!properties.content_encoding.empty()) headers.emplace_back("Content-Encoding", properties.content_encoding);
    // ACLs are never copied by S3: set one explicitly (docs/media.md, "ACLs").
    headers.emplace_back("x-amz-acl", std::string(acl));
    for (const auto& [name, value] : properties.user_metadata) headers.emplace_back(name, value);
    headers.emplace_back(std::string(kSourceEtagHeader), source.fingerprint);
    headers.emplace_back(std::string(kSourceSizeHeader), std::to_string(source.size));
    return headers;
}

bool S3Store::can_copy_from(const MediaStore& source) const {
    const auto* other = dynamic_cast<const S3Store*>(&source);
    return other && other->base_url_ == base_url_ && other->base_path_ == base_path_ &&
           other->settings_.region == settings_.region;
}

bool S3Store::copy_from(const MediaStore& source, const ListedObject& object) {
    const auto& from = dynamic_cast<const S3Store&>(source);
    const std::string source_key = from.location_.key_of(object.key);
    const std::string key = location_.key_of(object.key);
    // The source's properties, so that REPLACE (needed to write the records)
    // keeps Content-Type, Cache-Control, Content-Disposition and user metadata.
    Request head;
    head.method = "HEAD";
    head.key = source_key;
    net::HttpResponse described = from.send(head);
    if (described.status != 200) from.fail(described, "HEAD", source_key);
    auto headers = copy_headers(object, properties_of(described), options_.acl);
    if (needs_multipart_copy(object.size)) return multipart_copy(from, source_key, key, std::move(headers), object.size);
    Request request;
    request.method = "PUT";
    request.key = key;
    request.headers = std::move(headers);
    request.headers.emplace_back("x-amz-copy-source", copy_source(from.location_.bucket, source_key));
    request.headers.emplace_back("x-amz-metadata-directive", "REPLACE");
    return late_failure_checked(send(std::move(request)), "CopyObject", key);
}

bool S3Store::late_failure_checked(const net::HttpResponse& response, std::string_view what,
                                   const std::string& key) const {
    std::optional<S3ErrorReply> reply;
    try {
        reply = parse_error_reply(response.body);
    } catch (const S3XmlError&) {
        if (response.status == 200) {
            throw common::Error(common::ErrorKind::Network, "S3 " + std::string(what) + " reply is not XML",
                                common::shown_url(url_of(key)));
        }
    }
    // A server that cannot find a key it just listed under its encoded name
    // (s3rver 3.7 decodes the copy source with decodeURI, so %2B, %3D... stay
    // encoded): the caller streams the object instead.
    if (response.status == 404 && reply && reply->code == "NoSuchKey") return false;
    if (response.status != 200 || reply) {
        net::HttpResponse failed = response;
        if (failed.status == 200) failed.status = 500; // an <Error> inside a 200 OK
        fail(failed, what, key);
    }
    return true;
}

void S3Store::remove(std::string_view key) {
    Request request;
    request.method = "DELETE";
    request.key = location_.key_of(key);
    net::HttpResponse response = send(request);
    if (response.status != 204 && response.status != 200 && response.status != 404)
        fail(response, "DELETE", request.key);
}

} // namespace pgscrub::media
