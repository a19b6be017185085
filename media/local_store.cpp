#include "media/local_store.hpp"

#include "common/error.hpp"
#include "common/json_text.hpp"
#include "common/json_writer.hpp"

#include <algorithm>
#include <cerrno>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>

namespace pgscrub::media {

namespace fs = std::filesystem;

namespace {

// Temporaries of common::FileOutput end in this (see byte_stream.hpp).
bool is_temporary(std::string_view name) { return name.find(".pgscrub-partial") != std::string_view::npos; }

[[noreturn]] void bad_manifest(const std::string& path, const std::string& why) {
    throw common::Error(common::ErrorKind::Input,
                        "media manifest " + why + "; it is pgscrub's record of what it copied here — remove the file to "
                                                  "copy everything again",
                        common::ErrorLocation{path, {}, {}, {}});
}

} // namespace

std::optional<std::string> store_key_problem(std::string_view key) {
    if (key.empty()) return "an empty key";
    if (key.front() == '/') return "an absolute path";
    if (key.find('\0') != std::string_view::npos) return "a NUL byte";
    if (key.find('\\') != std::string_view::npos) return "a backslash";
    for (std::size_t start = 0;;) {
        std::size_t slash = key.find('/', start);
        std::string_view segment = key.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start);
        if (segment.empty()) return "an empty path segment";
        if (segment == "." || segment == "..") return "a \".\" or \"..\" segment";
        if (slash == std::string_view::npos) break;
        start = slash + 1;
    }
    if (key == kManifestName) return "the name of pgscrub's manifest";
    return std::nullopt;
}

LocalStore::LocalStore(std::string directory) : directory_(std::move(directory)) {
    const std::string path = directory_ + "/" + std::string(kManifestName);
    std::ifstream in(path, std::ios::binary);
    if (!in) return; // nothing recorded yet
    std::stringstream text;
    text << in.rdbuf();
    common::json::Value manifest;
    try {
        manifest = common::json::parse(text.str());
    } catch (const common::json::ParseError& error) {
        bad_manifest(path, "is not JSON (at byte " + std::to_string(error.offset()) + ")");
    }
    using common::json::member;
    const common::json::Value* version = member(manifest, "version");
    const common::json::Value* objects = member(manifest, "objects");
    if (!version || version->text != "1" || !objects || objects->type != common::json::Type::object) {
        bad_manifest(path, "is not version 1 with an \"objects\" object");
    }
    for (std::size_t i = 0; i < objects->keys.size(); ++i) {
        const common::json::Value& entry = objects->items[i];
        const common::json::Value* etag = member(entry, "source_etag");
        const common::json::Value* size = member(entry, "source_size");
        const common::json::Value* fingerprint = member(entry, "fingerprint");
        if (!etag || etag->type != common::json::Type::string || !size || size->type != common::json::Type::number ||
            !fingerprint || fingerprint->type != common::json::Type::string) {
            bad_manifest(path, "entry " + std::to_string(i + 1) + " lacks source_etag, source_size or fingerprint");
        }
        records_[objects->keys[i]] = ListedObject::Record{etag->text, std::stoull(size->text), fingerprint->text};
    }
}

std::string LocalStore::path_of(std::string_view key) const {
    if (auto problem = store_key_problem(key)) {
        throw common::Error(common::ErrorKind::Refused, "a media key with " + *problem +
                                                            " cannot be stored as a file inside the target directory; "
                                                            "it is not copied (exclude it with --exclude)",
                            common::ErrorLocation{directory_, {}, {}, "key \"" + common::printable_text(key, 200) + "\""});
    }
    return directory_ + "/" + std::string(key);
}

std::string LocalStore::fingerprint_of(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return "";
    return std::to_string(st.st_size) + ":" + std::to_string(st.st_mtim.tv_sec) + "." + std::to_string(st.st_mtim.tv_nsec);
}

std::vector<ListedObject> LocalStore::list() {
    std::vector<ListedObject> objects;
    std::error_code error;
    if (!fs::exists(directory_, error)) return objects;
    fs::recursive_directory_iterator it(directory_, error), end;
    if (error) common::throw_system_error(directory_, "list", common::ErrorKind::Input);
    for (; it != end; it.increment(error)) {
        if (error) common::throw_system_error(directory_, "list", common::ErrorKind::Input);
        if (!it->is_regular_file()) continue;
        std::string key = fs::relative(it->path(), directory_).generic_string();
        if (key == kManifestName || is_temporary(key)) continue;
        ListedObject object;
        object.key = key;
        object.size = it->file_size();
        object.fingerprint = fingerprint_of(it->path().string());
        {
            std::lock_guard lock(records_mutex_);
            if (auto found = records_.find(key); found != records_.end()) object.recorded = found->second;
        }
        objects.push_back(std::move(object));
    }
    std::sort(objects.begin(), objects.end(), [](const ListedObject& a, const ListedObject& b) { return a.key < b.key; });
    return objects;
}

LocalStore::Writer LocalStore::write(std::string_view key, std::string source_etag, std::uint64_t source_size) {
    std::string path = path_of(key);
    std::error_code error;
    fs::create_directories(fs::path(path).parent_path(), error);
    if (error) common::throw_system_error(fs::path(path).parent_path().string(), "create", common::ErrorKind::Output);
    return Writer(*this, std::string(key), std::move(source_etag), source_size, common::FileOutput::create(path));
}

LocalStore::Writer::Writer(LocalStore& store, std::string key, std::string source_etag, std::uint64_t source_size,
                           std::unique_ptr<common::FileOutput> file)
    : store_(store), key_(std::move(key)), source_etag_(std::move(source_etag)), source_size_(source_size),
      file_(std::move(file)) {}

void LocalStore::Writer::commit() {
    file_->commit();
    ListedObject::Record record{source_etag_, source_size_, fingerprint_of(file_->name())};
    std::lock_guard lock(store_.records_mutex_);
    store_.records_[key_] = std::move(record);
}

void LocalStore::remove(std::string_view key) {
    std::string path = path_of(key);
    if (::unlink(path.c_str()) != 0 && errno != ENOENT) common::throw_system_error(path, "remove", common::ErrorKind::Output);
    std::lock_guard lock(records_mutex_);
    if (auto found = records_.find(key); found != records_.end()) records_.erase(found);
}

void LocalStore::save_manifest() const {
    std::lock_guard lock(records_mutex_);
    common::JsonWriter json(2);
    json.begin_object().key("version").value(1).key("objects").begin_object();
    for (const auto& [key, record] : records_) {
        json.key(key).begin_object();
        json.key("source_etag").value(record.source_etag);
        json.key("source_size").value(record.source_size);
        json.key("fingerprint").value(record.target_fingerprint);
        json.end_object();
    }
    json.end_object().end_object();
    std::error_code error;
    std::filesystem::create_directories(directory_, error);
    common::write_record_file(directory_ + "/" + std::string(kManifestName), json.text() + "\n");
}

namespace {

class LocalUpload final : public MediaStore::Upload {
public:
    explicit LocalUpload(LocalStore::Writer writer) : writer_(std::move(writer)) {}
    common::ByteSink& sink() override { return writer_.sink(); }
    void commit() override { writer_.commit(); }

private:
    LocalStore::Writer writer_;
};

} // namespace

std::unique_ptr<common::InputStream> LocalStore::open(const ListedObject& object, ObjectProperties*) {
    return common::FileInput::open(path_of(object.key));
}

std::unique_ptr<MediaStore::Upload> LocalStore::create(std::string_view key, const ListedObject& source,
                                                       const ObjectProperties&) {
    return std::make_unique<LocalUpload>(write(key, source.fingerprint, source.size));
}

} // namespace pgscrub::media
