// Builds the S3 store's multipart requests and signs them at a fixed time,
// for tests/integration/media/multipart_oracle.py, which builds the same
// operations with botocore's serializer and signer and compares. One JSON
// object per line in:
//   {"op": "create|upload_part|upload_part_copy|complete|abort", "bucket": "b",
//    "key": "k", "upload_id": "u", "part_number": "3", "first": "0", "length": "9",
//    "source_bucket": "s", "source_key": "k2", "etags": ["\"e1\""], "body": "...",
//    "content_type": "", "cache_control": "", "content_disposition": "",
//    "content_encoding": "", "metadata": [["x-amz-meta-owner", "web"]],
//    "source_etag": "\"e\"", "source_size": "12", "acl": "private",
//    "endpoint": "http://127.0.0.1:4568", "region": "eu-west-1",
//    "key_id": "AKID", "secret": "...", "token": "", "time": "1369353600"}
// (numbers as strings). One JSON object per line out: method, url, headers
// (as sent, signature included), body.

#include "common/json_text.hpp"
#include "media/media_location.hpp"
#include "media/s3_store.hpp"
#include "net/aws_sigv4.hpp"

#include <chrono>
#include <exception>
#include <iostream>
#include <string>

using namespace pgscrub;
namespace json = common::json;

namespace {

const json::Value& required(const json::Value& object, const std::string& key) {
    if (const json::Value* found = json::member(object, key)) return *found;
    throw std::runtime_error("missing member " + key);
}

std::string text(const json::Value& object, const std::string& key) {
    const json::Value* found = json::member(object, key);
    if (found) return found->text;
    return "";
}

void append_pairs(std::string& out, const std::vector<std::pair<std::string, std::string>>& fields) {
    out += "[";
    for (std::size_t i = 0; i < fields.size(); ++i) {
        out += i > 0 ? ", [" : "[";
        json::append_quoted(out, fields[i].first);
        out += ", ";
        json::append_quoted(out, fields[i].second);
        out += "]";
    }
    out += "]";
}

media::S3Store::Request build(const media::S3Store& store, const json::Value& spec) {
    const std::string op = text(spec, "op");
    const std::string key = text(spec, "key");
    const std::string upload_id = text(spec, "upload_id");
    if (op == "create") {
        media::ListedObject source{key, std::stoull(text(spec, "source_size")), text(spec, "source_etag"), {}};
        media::ObjectProperties properties;
        properties.content_type = text(spec, "content_type");
        properties.cache_control = text(spec, "cache_control");
        properties.content_disposition = text(spec, "content_disposition");
        properties.content_encoding = text(spec, "content_encoding");
        for (const json::Value& pair : required(spec, "metadata").items)
            properties.user_metadata.emplace_back(pair.items.at(0).text, pair.items.at(1).text);
        return store.create_multipart_request(key, media::S3Store::copy_headers(source, properties, text(spec, "acl")));
    }
    if (op == "upload_part") {
        auto request = store.upload_part_request(key, upload_id, std::stoi(text(spec, "part_number")));
        request.http.body = text(spec, "body");
        return request;
    }
    if (op == "upload_part_copy") {
        media::PartRange part{std::stoi(text(spec, "part_number")), std::stoull(text(spec, "first")),
                              std::stoull(text(spec, "length"))};
        return store.upload_part_copy_request(key, upload_id, part, text(spec, "source_bucket"),
                                              text(spec, "source_key"));
    }
    if (op == "complete") {
        std::vector<std::string> etags;
        for (const json::Value& etag : required(spec, "etags").items) etags.push_back(etag.text);
        return store.complete_multipart_request(key, upload_id, etags);
    }
    if (op == "abort") return store.abort_multipart_request(key, upload_id);
    throw std::runtime_error("unknown op " + op);
}

} // namespace

int main() {
    std::string line;
    try {
        while (std::getline(std::cin, line)) {
            if (line.empty()) continue;
            const json::Value spec = json::parse(line);
            net::AwsSettings settings;
            settings.credentials = {text(spec, "key_id"), text(spec, "secret"), text(spec, "token"), "driver"};
            settings.region = text(spec, "region");
            settings.endpoint_url = text(spec, "endpoint");
            media::S3Store store(media::parse_location("s3://" + text(spec, "bucket") + "/"), settings);
            const std::chrono::sys_seconds when{std::chrono::seconds{std::stoll(text(spec, "time"))}};
            const net::HttpRequest http = store.signed_request(build(store, spec), when);
            std::string out = "{\"name\": ";
            json::append_quoted(out, text(spec, "name"));
            out += ", \"method\": ";
            json::append_quoted(out, http.method);
            out += ", \"url\": ";
            json::append_quoted(out, http.url);
            out += ", \"headers\": ";
            append_pairs(out, http.headers);
            out += ", \"body\": ";
            json::append_quoted(out, http.body.value_or(""));
            out += "}\n";
            std::cout << out;
        }
    } catch (const std::exception& e) {
        std::cerr << "multipart_driver: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
