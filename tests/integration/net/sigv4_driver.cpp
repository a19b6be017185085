// Signs requests read from stdin with net::sign_v4, for
// tests/integration/net/sigv4_oracle.py, which signs the same requests with
// botocore and compares. One JSON object per line in:
//   {"name": "...", "method": "PUT", "host": "127.0.0.1:4568", "path": "/b/a b",
//    "query": [["k", "v"]], "headers": [["Content-Type", "image/jpeg"]],
//    "payload": "<hex sha256>|UNSIGNED-PAYLOAD", "key": "AKID", "secret": "...",
//    "token": "", "region": "eu-west-1", "service": "s3", "time": 1369353600}
// One JSON object per line out: name, authorization, the encoded path and
// query (what goes in the URL), and the headers to send.

#include "common/json_text.hpp"
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

std::vector<net::HttpField> pairs(const json::Value& array) {
    std::vector<net::HttpField> out;
    for (const json::Value& pair : array.items) out.emplace_back(pair.items.at(0).text, pair.items.at(1).text);
    return out;
}

void append_pairs(std::string& out, const std::vector<net::HttpField>& fields) {
    out += "[";
    for (std::size_t i = 0; i < fields.size(); ++i) {
        if (i > 0) out += ", ";
        out += "[";
        json::append_quoted(out, fields[i].first);
        out += ", ";
        json::append_quoted(out, fields[i].second);
        out += "]";
    }
    out += "]";
}

} // namespace

int main() {
    std::string line;
    try {
        while (std::getline(std::cin, line)) {
            if (line.empty()) continue;
            const json::Value spec = json::parse(line);
            net::SigV4Request request;
            request.method = required(spec, "method").text;
            request.host = required(spec, "host").text;
            request.path = required(spec, "path").text;
            request.query = pairs(required(spec, "query"));
            request.headers = pairs(required(spec, "headers"));
            request.payload_sha256 = required(spec, "payload").text;
            const net::AwsCredentials keys{required(spec, "key").text, required(spec, "secret").text,
                                           required(spec, "token").text, "driver"};
            const net::SigV4Scope scope{required(spec, "region").text, required(spec, "service").text};
            const std::chrono::sys_seconds when{std::chrono::seconds{std::stoll(required(spec, "time").text)}};
            const net::SigV4Signature signature = net::sign_v4(request, keys, scope, when);

            std::string out = "{\"name\": ";
            json::append_quoted(out, required(spec, "name").text);
            out += ", \"authorization\": ";
            json::append_quoted(out, signature.authorization);
            out += ", \"path\": ";
            json::append_quoted(out, net::encoded_path(request.path));
            out += ", \"query\": ";
            json::append_quoted(out, net::encoded_query(request.query));
            out += ", \"canonical_request\": ";
            json::append_quoted(out, signature.canonical_request);
            out += ", \"headers\": ";
            append_pairs(out, signature.headers);
            out += "}\n";
            std::cout << out;
        }
    } catch (const std::exception& e) {
        std::cerr << "sigv4_driver: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
