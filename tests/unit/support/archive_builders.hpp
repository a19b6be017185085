#pragma once
// Helpers for the dump-layer unit tests: temporary directories, small
// synthetic archives built byte by byte from the format reference
// (docs/archive-format.md §1-§6), and visitors that record what a
// reader hands over.

#include "common/byte_stream.hpp"
#include "dump/archive_error.hpp"
#include "dump/archive_io.hpp"
#include "dump/archive_model.hpp"
#include "dump/compression.hpp"
#include "dump/primitives.hpp"
#include "dump/toc_codec.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <optional>
#include <random>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace pgscrub::test {

using namespace pgscrub::dump;
using namespace pgscrub::common;

// ---------------------------------------------------------------------------
// Files

// A fresh directory under /tmp, removed with everything in it on destruction.
class TempDir {
public:
    TempDir() {
        std::string pattern = "/tmp/pgscrub-unit-XXXXXX";
        if (!::mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
        path_ = pattern;
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    const std::string& path() const { return path_; }
    std::string operator/(std::string_view name) const { return path_ + "/" + std::string(name); }

private:
    std::string path_;
};

inline std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + path);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

inline void write_file(const std::string& path, std::string_view data) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(data.data(), static_cast<std::streamsize>(data.size()));
    if (!out) throw std::runtime_error("cannot write " + path);
}

// ---------------------------------------------------------------------------
// Compression helpers

inline std::string compress_all(PayloadEncoding encoding, std::string_view data, std::optional<int> level = std::nullopt) {
    StringSink out;
    auto compressor = make_compressor(encoding, level, out);
    if (!data.empty()) compressor->write(data);
    compressor->finish();
    return out.data;
}

inline std::string decompress_all(PayloadEncoding encoding, std::string_view data) {
    StringSink out;
    auto decompressor = make_decompressor(encoding, out);
    decompressor->feed(data);
    decompressor->finish();
    return out.data;
}

// ---------------------------------------------------------------------------
// Sample data

// COPY text of `rows` pseudo-random rows (fixed seed), ending with pg_dump's trailer.
inline std::string random_copy_text(std::size_t rows, unsigned seed = 42) {
    std::mt19937 rng(seed);
    std::uniform_int_distribution<int> length(0, 120);
    std::uniform_int_distribution<int> letter(0x21, 0x7e);
    std::string text;
    for (std::size_t r = 0; r < rows; ++r) {
        text += std::to_string(r);
        text += '\t';
        int n = length(rng);
        for (int i = 0; i < n; ++i) {
            char c = static_cast<char>(letter(rng));
            if (c == '\\') text += "\\\\"; // COPY doubles backslashes
            else text += c;
        }
        text += '\n';
    }
    return text + "\\.\n\n\n";
}

// Bytes of every value, pseudo-random (fixed seed).
inline std::string random_bytes(std::size_t size, unsigned seed = 7) {
    std::mt19937 rng(seed);
    std::string bytes(size, '\0');
    for (char& c : bytes) c = static_cast<char>(rng() & 0xff);
    return bytes;
}

inline constexpr std::uint32_t kHighOid = 3'000'000'000u; // >= 2^31: a negative C int on disk

inline ArchiveHeader sample_header(ArchiveVersion version, Compression compression,
                                   HeaderFormat format = HeaderFormat::Custom) {
    ArchiveHeader h;
    h.version = version;
    h.format = format;
    h.compression = compression;
    if (!version.at_least(1, 15)) h.legacy_level = compression == Compression::None ? 0 : -1;
    const int created[7] = {52, 50, 3, 24, 10, 126, 0};
    std::copy(std::begin(created), std::end(created), std::begin(h.created));
    h.database_name = "shop";
    h.server_version = "16.4 (Debian 16.4-1)";
    h.pgdump_version = ""; // "" and NULL must both survive
    return h;
}

// A TOC as pg_dump writes it: an ENCODING entry, a TABLE, two TABLE DATA
// entries (one empty), a SEQUENCE SET and a BLOBS entry. Fields a version
// does not store are left at their defaults so round trips compare equal.
inline std::vector<TocEntry> sample_entries(ArchiveVersion version) {
    const bool am = version.at_least(1, 14);
    const bool relkind = version.at_least(1, 16);
    std::vector<TocEntry> entries;

    TocEntry encoding;
    encoding.dump_id = 3374;
    encoding.table_oid = "0";
    encoding.oid = "0";
    encoding.tag = "ENCODING";
    encoding.desc = "ENCODING";
    encoding.section = 2;
    encoding.defn = "SET client_encoding = 'UTF8';\n";
    encoding.drop_stmt = "";
    encoding.with_oids = "false";
    entries.push_back(encoding);

    TocEntry table;
    table.dump_id = 214;
    table.table_oid = "1259";
    table.oid = "16385";
    table.tag = "users";
    table.desc = "TABLE";
    table.section = 2;
    table.defn = "CREATE TABLE public.users (\n    id integer,\n    name text\n);\n";
    table.drop_stmt = "DROP TABLE public.users;\n";
    table.namespace_ = "public";
    table.tablespace = ""; // default tablespace, not NULL
    if (am) table.table_am = "heap";
    if (relkind) table.relkind = 'r';
    table.owner = "postgres";
    table.with_oids = "false";
    entries.push_back(table);

    TocEntry users;
    users.dump_id = 3364;
    users.had_dumper = true;
    users.table_oid = "0";
    users.oid = "16385";
    users.tag = "users";
    users.desc = "TABLE DATA";
    users.section = 3;
    users.defn = "";
    users.drop_stmt = "";
    users.copy_stmt = "COPY public.users (id, name) FROM stdin;\n";
    users.namespace_ = "public";
    users.owner = "postgres";
    users.with_oids = "false";
    users.dependencies = {"214"};
    entries.push_back(users);

    TocEntry empty = users;
    empty.dump_id = 3369;
    empty.oid = "16412";
    empty.tag = "empty0";
    empty.copy_stmt = "COPY public.empty0  FROM stdin;\n";
    empty.dependencies = {"220", "9999"}; // a dependency outside the TOC is legal
    entries.push_back(empty);

    TocEntry sequence;
    sequence.dump_id = 3378;
    sequence.table_oid = "0";
    sequence.oid = "0";
    sequence.tag = "s";
    sequence.desc = "SEQUENCE SET";
    sequence.section = 3;
    sequence.defn = "SELECT pg_catalog.setval('public.s', 1, true);\n";
    sequence.drop_stmt = "";
    sequence.namespace_ = "public";
    sequence.owner = "postgres";
    sequence.with_oids = "false";
    sequence.dependencies = {"218"};
    entries.push_back(sequence);

    TocEntry blobs;
    blobs.dump_id = 3371;
    blobs.had_dumper = true;
    blobs.table_oid = "0";
    blobs.oid = "0";
    blobs.tag = "BLOBS";
    blobs.desc = "BLOBS";
    blobs.section = 3;
    blobs.defn = "";
    blobs.drop_stmt = "";
    blobs.with_oids = "false";
    entries.push_back(blobs);
    return entries;
}

struct SampleArchive {
    ArchiveModel model;
    std::map<int, std::string> table_data;                    // dump id -> COPY text
    std::vector<std::pair<std::uint32_t, std::string>> blobs; // of the BLOBS entry, in order
    int blobs_id = 3371;
};

// `big_rows` sets the size of the users table (rows of ~60 bytes).
inline SampleArchive sample_archive(ArchiveVersion version, Compression compression, std::size_t big_rows = 50) {
    SampleArchive a;
    a.model.header = sample_header(version, compression);
    a.model.entries = sample_entries(version);
    a.table_data[3364] = "1\talice\n2\t\\\\.\n3\ta\\\\.b\n" + random_copy_text(big_rows);
    a.table_data[3369] = "\\.\n\n\n";
    a.blobs = {{16411, "large object bytes \x01\x02\xff"}, {kHighOid, random_bytes(5000)}, {16500, ""}};
    return a;
}

// ---------------------------------------------------------------------------
// Custom format, built by hand

inline std::string chunk_stream(std::string_view stored, std::size_t chunk_size, int int_size,
                                std::vector<std::size_t>* chunks = nullptr) {
    std::string out;
    for (std::size_t at = 0; at < stored.size(); at += chunk_size) {
        std::size_t n = std::min(chunk_size, stored.size() - at);
        out += std::string(encode_int(static_cast<std::int64_t>(n), int_size).view());
        out += stored.substr(at, n);
        if (chunks) chunks->push_back(n);
    }
    return out + std::string(encode_int(0, int_size).view());
}

struct CustomBuild {
    std::string bytes;
    std::size_t data_start = 0;                            // first byte after the TOC
    std::map<int, std::uint64_t> block_offsets;           // dump id -> offset of the block type byte
    std::map<int, std::vector<std::size_t>> chunk_sizes;  // table dump id -> stored chunk sizes
};

// Header + TOC + one block per data entry, in TOC order, every stored stream
// cut into `chunk_size`-byte chunks. With `set_offsets` the TOC carries flag 2
// and the real block positions, as pg_dump writes to a seekable file.
inline CustomBuild build_custom(const SampleArchive& a, std::size_t chunk_size, bool set_offsets) {
    const ArchiveHeader& h = a.model.header;
    const PayloadEncoding encoding = custom_block_encoding(h.compression);
    std::vector<TocEntry> entries = a.model.entries;
    for (TocEntry& e : entries) e.offset = DataOffset{e.had_dumper ? OffsetFlag::NotSet : OffsetFlag::NoData, 0};

    CustomBuild build;
    const std::string header = encode_header(h);
    EncodedToc toc = encode_toc(entries, h, TocFlavour::Offsets);
    build.data_start = header.size() + toc.bytes.size();
    std::string data;
    for (std::size_t i = 0; i < entries.size(); ++i) {
        const TocEntry& e = entries[i];
        if (!e.had_dumper) continue;
        const std::uint64_t at = build.data_start + data.size();
        build.block_offsets[e.dump_id] = at;
        if (set_offsets) {
            toc.bytes.replace(static_cast<std::size_t>(toc.offset_field_positions[i]), 1u + h.offset_size,
                              encode_offset(DataOffset{OffsetFlag::Set, at}, h.offset_size));
        }
        if (e.is_blobs()) {
            data += '\x03';
            data += std::string(encode_int(e.dump_id, h.int_size).view());
            for (const auto& [oid, bytes] : a.blobs) {
                data += std::string(encode_int(static_cast<std::int64_t>(oid), h.int_size).view());
                data += chunk_stream(compress_all(encoding, bytes), chunk_size, h.int_size);
            }
            data += std::string(encode_int(0, h.int_size).view());
        } else {
            data += '\x01';
            data += std::string(encode_int(e.dump_id, h.int_size).view());
            data += chunk_stream(compress_all(encoding, a.table_data.at(e.dump_id)), chunk_size, h.int_size,
                                 &build.chunk_sizes[e.dump_id]);
        }
    }
    build.bytes = header + toc.bytes + data;
    return build;
}

// ---------------------------------------------------------------------------
// Visitors

// Every field of an entry on one line, NULLs marked, for comparing entries
// with a readable failure message.
inline std::string describe_entry(const TocEntry& e) {
    auto s = [](const std::optional<std::string>& v) { return v ? "'" + *v + "'" : std::string("NULL"); };
    std::string text = std::to_string(e.dump_id) + (e.had_dumper ? " dumper" : " -") + " " + s(e.table_oid) + " " +
                       s(e.oid) + " " + s(e.tag) + " " + s(e.desc) + " sect=" + std::to_string(e.section) + " " +
                       s(e.defn) + " " + s(e.drop_stmt) + " " + s(e.copy_stmt) + " " + s(e.namespace_) + " " +
                       s(e.tablespace) + " am=" + s(e.table_am) + " relkind=" + std::to_string(e.relkind) + " " +
                       s(e.owner) + " " + s(e.with_oids) + " deps=[";
    for (const std::string& d : e.dependencies) text += d + ",";
    return text + "] file=" + s(e.filename);
}

// Records the visit order and the decoded (or stored) data.
class RecordingVisitor : public DataVisitor {
public:
    enum class Mode { Decode, Stored, Ignore };
    explicit RecordingVisitor(Mode mode = Mode::Decode) : mode_(mode) {}

    void table_data(const TocEntry& entry, Payload& payload) override {
        events.push_back("data " + std::to_string(entry.dump_id));
        encodings[entry.dump_id] = payload.encoding();
        if (mode_ != Mode::Ignore) tables[entry.dump_id] = consume(payload);
    }
    void blobs_begin(const TocEntry& entry) override { events.push_back("blobs_begin " + std::to_string(entry.dump_id)); }
    void blob(const TocEntry& entry, std::uint32_t oid, Payload& payload) override {
        events.push_back("blob " + std::to_string(entry.dump_id) + " " + std::to_string(oid));
        blobs.emplace_back(oid, mode_ == Mode::Ignore ? std::string() : consume(payload));
    }
    void blobs_end(const TocEntry& entry) override { events.push_back("blobs_end " + std::to_string(entry.dump_id)); }
    void restore_script(std::string_view script) override { restore_sql = std::string(script); }

    std::vector<std::string> events;
    std::map<int, std::string> tables;
    std::map<int, PayloadEncoding> encodings;
    std::vector<std::pair<std::uint32_t, std::string>> blobs;
    std::optional<std::string> restore_sql;

private:
    std::string consume(Payload& payload) {
        StringSink sink;
        if (mode_ == Mode::Decode) payload.decode(sink);
        else payload.copy_stored(sink);
        return sink.data;
    }
    Mode mode_;
};

// The events a reader of `a` must produce, in storage (= TOC) order.
inline std::vector<std::string> expected_events(const SampleArchive& a) {
    std::vector<std::string> events;
    for (const TocEntry& e : a.model.entries) {
        if (!e.had_dumper) continue;
        if (!e.is_blobs()) {
            events.push_back("data " + std::to_string(e.dump_id));
            continue;
        }
        events.push_back("blobs_begin " + std::to_string(e.dump_id));
        for (const auto& blob : a.blobs) events.push_back("blob " + std::to_string(e.dump_id) + " " + std::to_string(blob.first));
        events.push_back("blobs_end " + std::to_string(e.dump_id));
    }
    return events;
}

// Copies every data stream of `reader` into `writer`, as stored where the
// encodings match and `prefer_stored` is set, otherwise decoded and
// re-encoded, the way the pipeline drives a writer.
class CopyingVisitor final : public DataVisitor {
public:
    CopyingVisitor(ArchiveWriter& writer, bool prefer_stored) : writer_(writer), prefer_stored_(prefer_stored) {}

    void table_data(const TocEntry& entry, Payload& payload) override {
        if (prefer_stored_ && payload.encoding() == writer_.data_encoding()) {
            writer_.table_data_stored(entry, payload);
            return;
        }
        payload.decode(writer_.begin_table_data(entry));
        writer_.end_table_data();
    }
    void blobs_begin(const TocEntry& entry) override { writer_.blobs_begin(entry); }
    void blob(const TocEntry&, std::uint32_t oid, Payload& payload) override {
        if (prefer_stored_ && payload.encoding() == writer_.data_encoding()) {
            writer_.blob_stored(oid, payload);
            return;
        }
        payload.decode(writer_.begin_blob(oid));
        writer_.end_blob();
    }
    void blobs_end(const TocEntry&) override { writer_.blobs_end(); }
    void restore_script(std::string_view script) override { writer_.restore_script(script); }

private:
    ArchiveWriter& writer_;
    bool prefer_stored_;
};

inline void copy_archive(ArchiveReader& reader, ArchiveWriter& writer, bool prefer_stored) {
    writer.begin(reader.model());
    CopyingVisitor visitor(writer, prefer_stored);
    reader.read_data(visitor);
    writer.finish();
}

// Runs `f`, expecting a pgscrub error; returns it (a default one, after a
// failed check, when nothing was thrown) so tests can look at its parts.
template <typename F>
common::Error catch_archive_error(F&& f) {
    try {
        f();
    } catch (const common::Error& error) {
        return error;
    }
    return ArchiveError("<no ArchiveError was thrown>");
}

} // namespace pgscrub::test
