#include "media/s3_xml.hpp"

#include <expat.h>

#include <charconv>
#include <exception>
#include <initializer_list>
#include <memory>

namespace pgscrub::media {

namespace {

// Collects the text of elements along a path of element names; expat hands
// text over in pieces, so it is appended until the element ends.
//
// A handler that finds the reply wrong throws S3XmlError; the throw must not
// cross expat's C frames, so the callbacks catch it, stop the parser
// (XML_StopParser, the way expat's handlers abort) and parse() throws it
// again once XML_Parse has returned.
class XmlWalk {
public:
    virtual ~XmlWalk() = default;
    void parse(std::string_view xml) {
        std::unique_ptr<XML_ParserStruct, decltype(&XML_ParserFree)> parser(XML_ParserCreate("UTF-8"), XML_ParserFree);
        if (!parser) throw S3XmlError("cannot create an XML parser");
        parser_ = parser.get();
        XML_SetUserData(parser.get(), this);
        XML_SetElementHandler(parser.get(), &XmlWalk::on_start, &XmlWalk::on_end);
        XML_SetCharacterDataHandler(parser.get(), &XmlWalk::on_text);
        const bool parsed =
            XML_Parse(parser.get(), xml.data(), static_cast<int>(xml.size()), XML_TRUE) != XML_STATUS_ERROR;
        if (failure_) std::rethrow_exception(failure_);
        if (!parsed) {
            throw S3XmlError(std::string("malformed XML from S3 (") + XML_ErrorString(XML_GetErrorCode(parser.get())) +
                             " at line " + std::to_string(XML_GetCurrentLineNumber(parser.get())) + ", column " +
                             std::to_string(XML_GetCurrentColumnNumber(parser.get())) + ")");
        }
    }

protected:
    virtual void start(const std::vector<std::string>& path) { (void)path; }
    // `path` still includes the element that ended.
    virtual void end(const std::vector<std::string>& path, const std::string& text) = 0;

private:
    template <typename Step>
    void guarded(Step step) {
        if (failure_) return; // stopped: a handler may still be called once
        try {
            step();
        } catch (...) {
            failure_ = std::current_exception();
            XML_StopParser(parser_, XML_FALSE);
        }
    }
    static void on_start(void* self, const XML_Char* name, const XML_Char**) {
        auto* walk = static_cast<XmlWalk*>(self);
        walk->guarded([&] {
            walk->path_.emplace_back(name);
            walk->text_.clear();
            walk->start(walk->path_);
        });
    }
    static void on_end(void* self, const XML_Char*) {
        auto* walk = static_cast<XmlWalk*>(self);
        walk->guarded([&] {
            walk->end(walk->path_, walk->text_);
            walk->path_.pop_back();
            walk->text_.clear();
        });
    }
    static void on_text(void* self, const XML_Char* text, int length) {
        auto* walk = static_cast<XmlWalk*>(self);
        walk->guarded([&] { walk->text_.append(text, static_cast<std::size_t>(length)); });
    }

    XML_Parser parser_ = nullptr;
    std::exception_ptr failure_;
    std::vector<std::string> path_;
    std::string text_;
};

bool at(const std::vector<std::string>& path, std::initializer_list<std::string_view> expected) {
    if (path.size() != expected.size()) return false;
    std::size_t i = 0;
    for (std::string_view name : expected) {
        if (path[i++] != name) return false;
    }
    return true;
}

class ListPageWalk final : public XmlWalk {
public:
    S3ListPage page;
    bool url_encoded = false;
    bool saw_root = false;

protected:
    void start(const std::vector<std::string>& path) override {
        if (path.size() == 1) {
            if (path[0] != "ListBucketResult") throw S3XmlError("a listing reply whose root is not ListBucketResult");
            saw_root = true;
        }
        if (at(path, {"ListBucketResult", "Contents"})) page.objects.emplace_back();
    }
    void end(const std::vector<std::string>& path, const std::string& text) override {
        if (at(path, {"ListBucketResult", "IsTruncated"})) page.truncated = text == "true";
        else if (at(path, {"ListBucketResult", "NextContinuationToken"})) page.next_continuation_token = text;
        else if (at(path, {"ListBucketResult", "EncodingType"})) url_encoded = text == "url";
        else if (at(path, {"ListBucketResult", "Contents", "Key"})) page.objects.back().key = text;
        else if (at(path, {"ListBucketResult", "Contents", "ETag"})) page.objects.back().etag = text;
        else if (at(path, {"ListBucketResult", "Contents", "Size"})) {
            std::uint64_t size = 0;
            auto [end_of, error] = std::from_chars(text.data(), text.data() + text.size(), size);
            if (error != std::errc() || end_of != text.data() + text.size()) {
                throw S3XmlError("a listed object's Size is not a number");
            }
            page.objects.back().size = size;
        }
    }
};

class ErrorWalk final : public XmlWalk {
public:
    std::optional<S3ErrorReply> reply;

protected:
    void start(const std::vector<std::string>& path) override {
        if (path.size() == 1 && path[0] == "Error") reply.emplace();
    }
    void end(const std::vector<std::string>& path, const std::string& text) override {
        if (!reply) return;
        if (at(path, {"Error", "Code"})) reply->code = text;
        else if (at(path, {"Error", "Message"})) reply->message = text;
    }
};

class FieldWalk final : public XmlWalk {
public:
    FieldWalk(std::string_view root, std::string_view field) : root_(root), field_(field) {}
    std::optional<std::string> value;
    std::string seen_root;

protected:
    void start(const std::vector<std::string>& path) override {
        if (path.size() == 1) seen_root = path[0];
    }
    void end(const std::vector<std::string>& path, const std::string& text) override {
        if (path.size() == 2 && path[0] == root_ && path[1] == field_) value = text;
    }

private:
    std::string_view root_;
    std::string_view field_;
};

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

} // namespace

std::string url_decode_key(std::string_view encoded) {
    std::string key;
    key.reserve(encoded.size());
    for (std::size_t i = 0; i < encoded.size(); ++i) {
        char c = encoded[i];
        if (c == '+') {
            key.push_back(' ');
        } else if (c == '%') {
            const bool whole = i + 2 < encoded.size();
            int high = whole ? hex_value(encoded[i + 1]) : -1;
            int low = whole ? hex_value(encoded[i + 2]) : -1;
            if (high < 0 || low < 0) throw S3XmlError("a listed key has a malformed %-escape");
            key.push_back(static_cast<char>(high * 16 + low));
            i += 2;
        } else {
            key.push_back(c);
        }
    }
    return key;
}

S3ListPage parse_list_page(std::string_view xml) {
    ListPageWalk walk;
    walk.parse(xml);
    if (!walk.saw_root) throw S3XmlError("an empty listing reply");
    if (walk.url_encoded) {
        for (S3ListedObject& object : walk.page.objects) object.key = url_decode_key(object.key);
    }
    for (const S3ListedObject& object : walk.page.objects) {
        if (object.key.empty()) throw S3XmlError("a listed object without a Key");
    }
    if (walk.page.truncated && walk.page.next_continuation_token.empty()) {
        throw S3XmlError("a truncated listing without a NextContinuationToken");
    }
    return std::move(walk.page);
}

std::string parse_reply_field(std::string_view xml, std::string_view root, std::string_view field) {
    FieldWalk walk(root, field);
    walk.parse(xml);
    if (walk.seen_root != root) {
        throw S3XmlError("a reply whose root element is not " + std::string(root));
    }
    if (!walk.value || walk.value->empty()) {
        throw S3XmlError("a " + std::string(root) + " reply without " + std::string(field));
    }
    return std::move(*walk.value);
}

std::optional<S3ErrorReply> parse_error_reply(std::string_view xml) {
    if (xml.find_first_not_of(" \t\r\n") == std::string_view::npos) return std::nullopt;
    ErrorWalk walk;
    walk.parse(xml);
    return walk.reply;
}

} // namespace pgscrub::media
