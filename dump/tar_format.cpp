#include "dump/tar_format.hpp"

#include "dump/archive_error.hpp"
#include "dump/toc_codec.hpp"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fcntl.h>
#include <set>
#include <unistd.h>
#include <vector>

namespace pgscrub::dump {

namespace {

constexpr std::size_t kBlock = 512;
constexpr std::size_t kCopyPiece = 256 * 1024;

std::uint64_t parse_octal(std::string_view field) {
    std::uint64_t value = 0;
    for (char c : field) {
        if (c == ' ' || c == '\0') {
            if (value > 0) break;
            continue;
        }
        if (c < '0' || c > '7') break;
        value = value * 8 + static_cast<std::uint64_t>(c - '0');
    }
    return value;
}

// Sizes of 8 GiB and more use the GNU base-256 form (first byte 0x80).
std::uint64_t parse_size(std::string_view field) {
    if (!field.empty() && (static_cast<unsigned char>(field[0]) & 0x80)) {
        std::uint64_t value = 0;
        for (std::size_t i = 1; i < field.size(); ++i) value = (value << 8) | static_cast<unsigned char>(field[i]);
        return value;
    }
    return parse_octal(field);
}

unsigned header_checksum(std::string_view block) {
    unsigned sum = 0;
    for (std::size_t i = 0; i < kBlock; ++i) {
        sum += (i >= 148 && i < 156) ? ' ' : static_cast<unsigned char>(block[i]);
    }
    return sum;
}

bool all_zero(std::string_view block) {
    for (char c : block)
        if (c != 0) return false;
    return true;
}

std::string member_name(std::string_view block) {
    std::string_view name = block.substr(0, 100);
    return std::string(name.substr(0, name.find('\0')));
}

void put_octal(char* field, std::size_t width, std::uint64_t value) {
    // width-1 octal digits then a NUL, as pg_dump and GNU tar write.
    std::string digits(width - 1, '0');
    for (std::size_t i = width - 1; i-- > 0 && value > 0; value /= 8) digits[i] = static_cast<char>('0' + value % 8);
    std::memcpy(field, digits.data(), width - 1);
    field[width - 1] = '\0';
}

std::string make_header(const std::string& name, std::uint64_t size) {
    std::string block(kBlock, '\0');
    char* h = block.data();
    std::memcpy(h, name.data(), std::min<std::size_t>(name.size(), 99));
    put_octal(h + 100, 8, 0600);
    put_octal(h + 108, 8, 04000);
    put_octal(h + 116, 8, 02000);
    if (size < (std::uint64_t(1) << 33)) {
        put_octal(h + 124, 12, size);
    } else {
        h[124] = static_cast<char>(0x80);
        for (int i = 11; i >= 1; --i, size >>= 8) h[124 + i] = static_cast<char>(size & 0xff);
    }
    put_octal(h + 136, 12, static_cast<std::uint64_t>(std::time(nullptr)));
    h[156] = '0';
    std::memcpy(h + 257, "ustar", 6);
    std::memcpy(h + 263, "00", 2);
    std::memcpy(h + 265, "postgres", 8);
    std::memcpy(h + 297, "postgres", 8);
    unsigned sum = header_checksum(block);
    put_octal(h + 148, 7, sum);
    h[155] = ' ';
    return block;
}

// The bytes of one tar member, read in place.
class MemberPayload final : public Payload {
public:
    MemberPayload(common::InputStream& in, std::uint64_t size, ErrorLocation where)
        : in_(in), size_(size), where_(std::move(where)) {}

    PayloadEncoding encoding() const override { return PayloadEncoding::Raw; }
    std::optional<std::uint64_t> stored_size() const override { return size_; }
    ErrorLocation location() const override { return where_; }

    void copy_stored_to(ChunkAwareSink& sink) override {
        std::vector<char> buffer(kCopyPiece);
        while (left_ > 0) {
            std::size_t piece = static_cast<std::size_t>(std::min<std::uint64_t>(left_, buffer.size()));
            in_.read_exact(buffer.data(), piece, "tar member data");
            sink.write({buffer.data(), piece});
            left_ -= piece;
        }
    }

    void finish_member() {
        in_.skip(left_, "tar member data");
        left_ = 0;
        in_.skip((kBlock - size_ % kBlock) % kBlock, "tar member padding");
    }

private:
    common::InputStream& in_;
    std::uint64_t size_;
    std::uint64_t left_ = size_;
    ErrorLocation where_;
};

struct MemberHeader {
    std::string name;
    std::uint64_t size = 0;
    std::uint64_t offset = 0;
};

class TarReader final : public ArchiveReader {
public:
    explicit TarReader(std::unique_ptr<common::InputStream> in) : in_(std::move(in)) {
        auto first = next_member();
        if (!first || first->name != "toc.dat") {
            throw ArchiveError("tar archive does not start with \"toc.dat\"; it is not a pg_dump tar archive",
                               ErrorLocation{in_->name(), 0, {}, {}});
        }
        std::uint64_t start = in_->position();
        model_.header = read_header(*in_);
        model_.entries = read_toc(*in_, model_.header, TocFlavour::Filenames);
        std::uint64_t used = in_->position() - start;
        if (used > first->size) {
            throw ArchiveError("TOC runs past the end of the toc.dat member", ErrorLocation{in_->name(), start, {}, {}});
        }
        in_->skip(first->size - used, "the rest of toc.dat");
        in_->skip((kBlock - first->size % kBlock) % kBlock, "tar member padding");
    }

    ArchiveFormat format() const override { return ArchiveFormat::Tar; }
    const ArchiveModel& model() const override { return model_; }
    const std::string& name() const override { return in_->name(); }

    void read_data(DataVisitor& visitor) override {
        std::vector<const TocEntry*> blob_groups;
        for (const TocEntry& e : model_.entries)
            if (e.is_blobs()) blob_groups.push_back(&e);
        std::size_t next_group = 0;
        const TocEntry* open_group = nullptr;

        while (auto member = next_member()) {
            ErrorLocation where{in_->name(), member->offset, {}, "tar member " + member->name};
            MemberPayload payload(*in_, member->size, where);
            const std::string& name = member->name;
            try {
                if (name.rfind("blob_", 0) == 0) {
                    if (!open_group) {
                        if (next_group >= blob_groups.size()) throw ArchiveError("large object member without a BLOBS entry in the TOC");
                        open_group = blob_groups[next_group++];
                        visitor.blobs_begin(*open_group);
                    }
                    auto oid = static_cast<std::uint32_t>(std::strtoul(name.c_str() + 5, nullptr, 10));
                    visitor.blob(*open_group, oid, payload);
                } else if (name == "blobs.toc" || name.rfind("blobs_", 0) == 0) {
                    // The writer regenerates the list from the members it wrote.
                    // A list with no blob members before it closes an empty group.
                    if (!open_group && next_group < blob_groups.size()) {
                        open_group = blob_groups[next_group++];
                        visitor.blobs_begin(*open_group);
                    }
                    if (open_group) visitor.blobs_end(*open_group);
                    open_group = nullptr;
                } else if (name == "restore.sql") {
                    common::StringSink script;
                    payload.copy_stored(script);
                    visitor.restore_script(script.data);
                } else {
                    int dump_id = std::atoi(name.c_str());
                    const TocEntry* entry = model_.find(dump_id);
                    if (!entry || !entry->had_dumper || name != std::to_string(dump_id) + ".dat") {
                        throw ArchiveError("unexpected member \"" + name + "\" (expected <dump id>.dat of a TABLE DATA entry)");
                    }
                    where.dump_id = entry->dump_id;
                    where.entry_name = entry->describe();
                    visitor.table_data(*entry, payload);
                }
                payload.finish_member();
            } catch (common::Error& error) {
                common::rethrow_with(error, where);
            }
        }
        if (open_group) visitor.blobs_end(*open_group);
    }

private:
    std::optional<MemberHeader> next_member() {
        char block[kBlock];
        for (;;) {
            std::uint64_t at = in_->position();
            std::size_t got = 0;
            while (got < kBlock) {
                std::size_t n = in_->read_some(block + got, kBlock - got);
                if (n == 0) break;
                got += n;
            }
            if (got == 0) return std::nullopt;
            if (got < kBlock) {
                throw ArchiveError("unexpected end of file inside a tar header; the archive is truncated",
                                   ErrorLocation{in_->name(), at, {}, {}});
            }
            std::string_view view(block, kBlock);
            if (all_zero(view)) continue;
            unsigned stored = static_cast<unsigned>(parse_octal(view.substr(148, 8)));
            if (stored != header_checksum(view)) {
                throw ArchiveError("corrupt tar header (checksum mismatch); the archive is corrupt",
                                   ErrorLocation{in_->name(), at, {}, {}});
            }
            return MemberHeader{member_name(view), parse_size(view.substr(124, 12)), at};
        }
    }

    std::unique_ptr<common::InputStream> in_;
    ArchiveModel model_;
};

// An unlinked temporary file that holds a member until its size is known.
class SpoolFile final : public common::ByteSink {
public:
    SpoolFile() {
        const char* dir = std::getenv("TMPDIR");
        std::string pattern = std::string(dir && *dir ? dir : "/tmp") + "/pgscrub-spool-XXXXXX";
        fd_ = ::mkstemp(pattern.data());
        if (fd_ < 0) common::throw_system_error(pattern, "cannot create a temporary file", common::ErrorKind::Output);
        ::unlink(pattern.c_str());
    }
    ~SpoolFile() override { ::close(fd_); }

    void write(std::string_view bytes) override {
        while (!bytes.empty()) {
            ssize_t n = ::write(fd_, bytes.data(), bytes.size());
            if (n < 0) {
                if (errno == EINTR) continue;
                common::throw_system_error("temporary spool file", "write failed", common::ErrorKind::Output);
            }
            bytes.remove_prefix(static_cast<std::size_t>(n));
            size_ += static_cast<std::uint64_t>(n);
        }
    }

    std::uint64_t size() const { return size_; }

    void copy_to(common::ByteSink& out) {
        std::vector<char> buffer(kCopyPiece);
        ::lseek(fd_, 0, SEEK_SET);
        for (;;) {
            ssize_t n = ::read(fd_, buffer.data(), buffer.size());
            if (n < 0 && errno == EINTR) continue;
            if (n < 0) common::throw_system_error("temporary spool file", "read failed");
            if (n == 0) break;
            out.write({buffer.data(), static_cast<std::size_t>(n)});
        }
    }

private:
    int fd_ = -1;
    std::uint64_t size_ = 0;
};

class TarWriter final : public ArchiveWriter {
public:
    TarWriter(std::unique_ptr<common::FileOutput> out, const OutputSpec& spec) : out_(std::move(out)), spec_(spec) {}

    void begin(const ArchiveModel& input) override {
        model_ = output_model(input, spec_);
        std::string toc = encode_header(model_.header) + encode_toc(model_.entries, model_.header, TocFlavour::Filenames).bytes;
        write_member("toc.dat", toc);
    }

    PayloadEncoding data_encoding() const override { return PayloadEncoding::Raw; }

    void table_data_stored(const TocEntry& entry, Payload& payload) override {
        written_.insert(entry.dump_id);
        write_payload_member(std::to_string(entry.dump_id) + ".dat", payload);
    }

    common::ByteSink& begin_table_data(const TocEntry& entry) override {
        written_.insert(entry.dump_id);
        spool_name_ = std::to_string(entry.dump_id) + ".dat";
        spool_ = std::make_unique<SpoolFile>();
        return *spool_;
    }

    void end_table_data() override { flush_spool(); }

    void blobs_begin(const TocEntry& entry) override {
        written_.insert(entry.dump_id);
        blob_list_.clear();
        blob_list_name_ = model_.header.version.at_least(1, 16) ? "blobs_" + std::to_string(entry.dump_id) + ".toc" : "blobs.toc";
    }

    void blob_stored(std::uint32_t oid, Payload& payload) override { write_payload_member(blob_name(oid), payload); }

    common::ByteSink& begin_blob(std::uint32_t oid) override {
        spool_name_ = blob_name(oid);
        spool_ = std::make_unique<SpoolFile>();
        return *spool_;
    }

    void end_blob() override { flush_spool(); }

    void blobs_end() override { write_member(blob_list_name_, blob_list_); }

    void restore_script(std::string_view script) override { restore_script_ = std::string(script); }

    void complete() override {
        require_promised_data();
        if (!restore_script_) {
            restore_script_ = "--\n-- This tar archive was rewritten by pgscrub. Restore it with pg_restore;\n"
                              "-- this script is informational only and is not used by pg_restore.\n--\n";
        }
        write_member("restore.sql", *restore_script_);
        out_->write(std::string(2 * kBlock, '\0'));
        out_->complete();
    }
    std::string pending_path() const override { return out_->pending_name(); }
    void commit() override { out_->commit(); }

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
    std::string blob_name(std::uint32_t oid) {
        std::string name = "blob_" + std::to_string(oid) + ".dat";
        blob_list_ += std::to_string(oid) + " " + name + "\n";
        return name;
    }

    void write_member(const std::string& name, std::string_view bytes) {
        out_->write(make_header(name, bytes.size()));
        out_->write(bytes);
        pad(bytes.size());
    }

    void write_payload_member(const std::string& name, Payload& payload) {
        if (auto size = payload.stored_size()) {
            out_->write(make_header(name, *size));
            class Counting final : public common::ByteSink {
            public:
                explicit Counting(common::ByteSink& out) : out_(out) {}
                void write(std::string_view b) override {
                    out_.write(b);
                    n += b.size();
                }
                common::ByteSink& out_;
                std::uint64_t n = 0;
            } counting(*out_);
            payload.copy_stored(counting);
            if (counting.n != *size) throw ArchiveError("member size changed while it was being copied");
            pad(*size);
            return;
        }
        spool_name_ = name;
        spool_ = std::make_unique<SpoolFile>();
        payload.copy_stored(*spool_);
        flush_spool();
    }

    void flush_spool() {
        out_->write(make_header(spool_name_, spool_->size()));
        spool_->copy_to(*out_);
        pad(spool_->size());
        spool_.reset();
    }

    void pad(std::uint64_t size) {
        std::size_t padding = (kBlock - size % kBlock) % kBlock;
        if (padding) out_->write(std::string(padding, '\0'));
    }

    std::unique_ptr<common::FileOutput> out_;
    OutputSpec spec_;
    ArchiveModel model_;
    std::set<int> written_; // dump ids whose data was written
    std::unique_ptr<SpoolFile> spool_;
    std::string spool_name_;
    std::string blob_list_;
    std::string blob_list_name_;
    std::optional<std::string> restore_script_;
};

} // namespace

bool looks_like_tar_header(std::string_view block) {
    if (block.size() < kBlock || all_zero(block.substr(0, kBlock))) return false;
    std::string_view magic = block.substr(257, 8);
    bool ustar = magic.substr(0, 6) == std::string_view("ustar\0", 6) || magic == std::string_view("ustar  \0", 8);
    return ustar && parse_octal(block.substr(148, 8)) == header_checksum(block.substr(0, kBlock));
}

std::unique_ptr<ArchiveReader> open_tar_reader(std::unique_ptr<common::InputStream> in) {
    return std::make_unique<TarReader>(std::move(in));
}

std::unique_ptr<ArchiveWriter> make_tar_writer(std::unique_ptr<common::FileOutput> out, const OutputSpec& spec) {
    return std::make_unique<TarWriter>(std::move(out), spec);
}

} // namespace pgscrub::dump
