#include "dump/directory_format.hpp"

#include "dump/archive_error.hpp"
#include "dump/toc_codec.hpp"

#include <cerrno>
#include <cstring>
#include <charconv>
#include <filesystem>
#include <sys/stat.h>

#include <mutex>
#include <set>
#include <unistd.h>
#include <vector>

namespace pgscrub::dump {

namespace fs = std::filesystem;

bool is_directory(const std::string& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

namespace {

constexpr std::size_t kCopyPiece = 256 * 1024;

// A data file of a directory archive, in whatever encoding its suffix says.
class FilePayload final : public Payload {
public:
    FilePayload(std::string path, PayloadEncoding encoding, ErrorLocation where)
        : path_(std::move(path)), encoding_(encoding), where_(std::move(where)) {
        struct stat st {};
        if (::stat(path_.c_str(), &st) == 0) size_ = static_cast<std::uint64_t>(st.st_size);
    }

    PayloadEncoding encoding() const override { return encoding_; }
    std::optional<std::uint64_t> stored_size() const override { return size_; }
    ErrorLocation location() const override { return where_; }
    std::unique_ptr<Payload> reopen() const override {
        return std::make_unique<FilePayload>(path_, encoding_, where_);
    }

    void copy_stored_to(ChunkAwareSink& sink) override {
        auto in = common::FileInput::open(path_);
        std::vector<char> buffer(kCopyPiece);
        for (;;) {
            std::size_t got = in->read_some(buffer.data(), buffer.size());
            if (got == 0) break;
            sink.write({buffer.data(), got});
        }
    }

private:
    std::string path_;
    PayloadEncoding encoding_;
    ErrorLocation where_;
    std::optional<std::uint64_t> size_;
};

bool is_regular_file(const std::string& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

// pg_restore finds a data file by suffix: the bare name, else .gz, .lz4, .zst.
std::unique_ptr<FilePayload> find_data_file(const std::string& dir, const std::string& name, ErrorLocation where) {
    struct Candidate {
        const char* suffix;
        PayloadEncoding encoding;
    };
    static constexpr Candidate candidates[] = {{"", PayloadEncoding::Raw},
                                               {".gz", PayloadEncoding::GzipFile},
                                               {".lz4", PayloadEncoding::Lz4Frame},
                                               {".zst", PayloadEncoding::ZstdFrame}};
    std::string base = dir + "/" + name;
    for (const Candidate& c : candidates) {
        std::string path = base + c.suffix;
        if (is_regular_file(path)) {
            if (::access(path.c_str(), R_OK) != 0) {
                where.file = path;
                throw ArchiveError(std::string("cannot read data file: ") + std::strerror(errno), where);
            }
            where.file = path;
            return std::make_unique<FilePayload>(path, c.encoding, where);
        }
    }
    where.file = base;
    throw ArchiveError("data file is missing or not a regular file: expected " + name + " (or " + name + ".gz, .lz4, .zst)", where);
}

class DirectoryReader final : public ArchiveReader {
public:
    explicit DirectoryReader(std::string path) : path_(std::move(path)) {
        std::string toc_path = path_ + "/toc.dat";
        if (!is_regular_file(toc_path)) {
            throw ArchiveError("not a directory-format archive: \"toc.dat\" does not exist", ErrorLocation{path_, {}, {}, {}});
        }
        auto in = common::FileInput::open(toc_path);
        model_.header = read_header(*in);
        model_.entries = read_toc(*in, model_.header, TocFlavour::Filenames);
    }

    ArchiveFormat format() const override { return ArchiveFormat::Directory; }
    const ArchiveModel& model() const override { return model_; }
    const std::string& name() const override { return path_; }

    void read_data(DataVisitor& visitor) override {
        for (const TocEntry& entry : model_.entries) {
            if (!entry.had_dumper || !entry.filename || entry.filename->empty()) continue;
            ErrorLocation where{path_, {}, entry.dump_id, entry.describe()};
            if (entry.is_blobs()) {
                read_blobs(entry, where, visitor);
            } else {
                auto payload = find_data_file(path_, *entry.filename, where);
                visitor.table_data(entry, *payload);
            }
        }
    }

private:
    void read_blobs(const TocEntry& entry, ErrorLocation where, DataVisitor& visitor) {
        std::string list_path = path_ + "/" + *entry.filename;
        where.file = list_path;
        if (!is_regular_file(list_path)) throw ArchiveError("large-object list is missing", where);
        common::StringSink list;
        {
            auto in = common::FileInput::open(list_path);
            char buffer[65536];
            for (std::size_t got; (got = in->read_some(buffer, sizeof buffer)) > 0;) list.write({buffer, got});
        }
        visitor.blobs_begin(entry);
        std::string_view text = list.data;
        for (std::size_t line_no = 1; !text.empty(); ++line_no) {
            std::size_t eol = text.find('\n');
            std::string_view line = text.substr(0, eol);
            text.remove_prefix(eol == std::string_view::npos ? text.size() : eol + 1);
            if (line.empty()) continue;
            std::uint32_t oid = 0;
            auto [end, ec] = std::from_chars(line.data(), line.data() + line.size(), oid);
            std::size_t space = line.find(' ');
            if (ec != std::errc() || space == std::string_view::npos || end != line.data() + space) {
                throw ArchiveError("line " + std::to_string(line_no) + ": expected \"<oid> blob_<oid>.dat\"", where);
            }
            std::string name(line.substr(space + 1));
            auto payload = find_data_file(path_, name, ErrorLocation{path_, {}, entry.dump_id, entry.describe()});
            visitor.blob(entry, oid, *payload);
        }
        visitor.blobs_end(entry);
    }

    std::string path_;
    ArchiveModel model_;
};

class DirectoryWriter final : public ArchiveWriter {
public:
    DirectoryWriter(std::string path, const OutputSpec& spec) : final_path_(std::move(path)), spec_(spec) {
        // "out/" names the directory "out": the temporary sibling must not land inside it.
        while (final_path_.size() > 1 && final_path_.back() == '/') final_path_.pop_back();
        if (final_path_ == "-") {
            throw ArchiveError("directory format cannot be written to standard output; give -o DIRECTORY");
        }
        std::error_code ec;
        if (fs::exists(final_path_, ec) && !(fs::is_directory(final_path_, ec) && fs::is_empty(final_path_, ec))) {
            throw ArchiveError("output directory already exists and is not empty; remove it or choose another name",
                               ErrorLocation{final_path_, {}, {}, {}});
        }
        common::remove_stale_partials(final_path_);
        temp_path_ = final_path_ + ".pgscrub-partial-" + std::to_string(::getpid());
        fs::remove_all(temp_path_, ec);
        if (::mkdir(temp_path_.c_str(), 0700) != 0) common::throw_system_error(temp_path_, "cannot create output directory", common::ErrorKind::Output);
    }

    ~DirectoryWriter() override {
        if (!finished_) {
            std::error_code ec;
            fs::remove_all(temp_path_, ec);
        }
    }

    void begin(const ArchiveModel& input) override { model_ = output_model(input, spec_); }

    PayloadEncoding data_encoding() const override { return directory_file_encoding(model_.header.compression); }

    bool writes_tables_concurrently() const override { return true; }

    void table_data_stored(const TocEntry& entry, Payload& payload) override {
        mark_written(entry);
        auto out = open_data_file(std::to_string(entry.dump_id) + ".dat", payload.encoding());
        payload.copy_stored(*out);
        out->commit();
    }

    std::unique_ptr<TableDataSink> open_table_data(const TocEntry& entry, int threads) override {
        mark_written(entry);
        return std::make_unique<CompressedFile>(open_data_file(std::to_string(entry.dump_id) + ".dat", data_encoding()),
                                                data_encoding(), spec_.compression.level, threads);
    }

    common::ByteSink& begin_table_data(const TocEntry& entry) override {
        mark_written(entry);
        return begin_compressed(std::to_string(entry.dump_id) + ".dat");
    }

    void end_table_data() override { end_compressed(); }

    void blobs_begin(const TocEntry& entry) override {
        mark_written(entry);
        blob_list_.clear();
        blob_list_name_ = model_.header.version.at_least(1, 16) ? "blobs_" + std::to_string(entry.dump_id) + ".toc" : "blobs.toc";
    }

    void blob_stored(std::uint32_t oid, Payload& payload) override {
        auto out = open_data_file(blob_name(oid), payload.encoding());
        payload.copy_stored(*out);
        out->commit();
    }

    common::ByteSink& begin_blob(std::uint32_t oid) override { return begin_compressed(blob_name(oid)); }
    void end_blob() override { end_compressed(); }

    void blobs_end() override {
        auto out = common::FileOutput::create_direct(temp_path_ + "/" + blob_list_name_);
        out->write(blob_list_);
        out->commit();
    }

    void complete() override {
        require_promised_data();
        auto toc = common::FileOutput::create_direct(temp_path_ + "/toc.dat");
        toc->write(encode_header(model_.header));
        toc->write(encode_toc(model_.entries, model_.header, TocFlavour::Filenames).bytes);
        toc->commit();
    }

    std::string pending_path() const override { return temp_path_; }

    void commit() override {
        std::error_code ec;
        if (fs::is_directory(final_path_, ec)) fs::remove(final_path_, ec); // empty, checked at start
        if (::rename(temp_path_.c_str(), final_path_.c_str()) != 0) common::throw_system_error(final_path_, "cannot rename output directory into place", common::ErrorKind::Output);
        finished_ = true;
    }

    // Every data file the TOC names must be there, or pg_restore stops
    // ("could not find file").
    void require_promised_data() const {
        for (const TocEntry& e : model_.entries) {
            if (e.filename && !e.filename->empty() && !written_.count(e.dump_id)) {
                throw ArchiveError("the input's TOC promises data that it does not hold; the output would not restore",
                                   ErrorLocation{{}, {}, e.dump_id, e.describe()});
            }
        }
    }

private:
    // One data file and the compressor in front of it.
    class CompressedFile final : public TableDataSink {
    public:
        CompressedFile(std::unique_ptr<common::FileOutput> file, PayloadEncoding encoding, std::optional<int> level,
                       int threads)
            : file_(std::move(file)), compressor_(make_compressor(encoding, level, *file_, threads)) {}
        void write(std::string_view bytes) override { compressor_->write(bytes); }
        void finish() override {
            compressor_->finish();
            file_->commit();
        }

    private:
        std::unique_ptr<common::FileOutput> file_;
        std::unique_ptr<Compressor> compressor_;
    };

    // Tables may be written from several threads at once (open_table_data).
    void mark_written(const TocEntry& entry) {
        std::lock_guard lock(written_mutex_);
        written_.insert(entry.dump_id);
    }

    std::string blob_name(std::uint32_t oid) {
        std::string name = "blob_" + std::to_string(oid) + ".dat";
        blob_list_ += std::to_string(oid) + " " + name + "\n";
        return name;
    }

    std::unique_ptr<common::FileOutput> open_data_file(const std::string& name, PayloadEncoding encoding) {
        return common::FileOutput::create_direct(temp_path_ + "/" + name + directory_suffix(encoding));
    }

    common::ByteSink& begin_compressed(const std::string& name) {
        current_ = std::make_unique<CompressedFile>(open_data_file(name, data_encoding()), data_encoding(),
                                                    spec_.compression.level, spec_.threads);
        return *current_;
    }

    void end_compressed() {
        current_->finish();
        current_.reset();
    }

    std::string final_path_;
    std::string temp_path_;
    OutputSpec spec_;
    ArchiveModel model_;
    std::mutex written_mutex_;
    std::set<int> written_; // dump ids whose data was written
    std::unique_ptr<CompressedFile> current_; // between begin_table_data / begin_blob and their end
    std::string blob_list_;
    std::string blob_list_name_;
    bool finished_ = false;
};

} // namespace

std::unique_ptr<ArchiveReader> open_directory_reader(const std::string& path) {
    return std::make_unique<DirectoryReader>(path);
}

std::unique_ptr<ArchiveWriter> make_directory_writer(const std::string& path, const OutputSpec& spec) {
    return std::make_unique<DirectoryWriter>(path, spec);
}

} // namespace pgscrub::dump
