#include "dump/toc_codec.hpp"

#include "dump/archive_error.hpp"
#include "dump/entry_kinds.hpp"
#include "dump/primitives.hpp"

#include <algorithm>
#include <cstring>

namespace pgscrub::dump {

namespace {

ArchiveError header_error(const common::InputStream& in, std::uint64_t at, std::string what) {
    return ArchiveError(std::move(what), ErrorLocation{in.name(), at, {}, {}});
}

} // namespace

ArchiveHeader read_header(common::InputStream& in) {
    ArchiveHeader header;
    char magic[5];
    std::uint64_t start = in.position();
    in.read_exact(magic, 5, "the archive magic \"PGDMP\"");
    if (std::memcmp(magic, "PGDMP", 5) != 0) {
        throw header_error(in, start, "not a pg_dump archive: expected the magic bytes \"PGDMP\"");
    }
    PrimitiveReader raw(in, 4, 8);
    header.version.major = raw.read_byte("archive major version");
    header.version.minor = raw.read_byte("archive minor version");
    header.version.revision = raw.read_byte("archive revision");
    if (header.version.value() < kOldestSupportedVersion.value() ||
        header.version.value() > kNewestSupportedVersion.value()) {
        throw header_error(in, 5,
                           "unsupported archive version " + header.version.to_string() +
                               "; pgscrub reads archive versions 1.12 to 1.16 (pg_dump of PostgreSQL 11 to 18)");
    }
    header.int_size = raw.read_byte("integer size");
    header.offset_size = raw.read_byte("offset size");
    if (header.int_size < 1 || header.int_size > 8 || header.offset_size < 1 || header.offset_size > 16) {
        throw header_error(in, 8,
                           "implausible integer size " + std::to_string(header.int_size) + " / offset size " +
                               std::to_string(header.offset_size) + " (pg_dump writes 4 and 8); the archive is corrupt");
    }
    std::uint64_t format_at = in.position();
    std::uint8_t format = raw.read_byte("archive format");
    if (format != 1 && format != 3) {
        throw header_error(in, format_at,
                           "unexpected archive format code " + std::to_string(format) + " (expected 1 for custom or 3 for tar/directory)");
    }
    header.format = static_cast<HeaderFormat>(format);

    PrimitiveReader prims(in, header.int_size, header.offset_size);
    std::uint64_t compression_at = in.position();
    if (header.version.at_least(1, 15)) {
        std::uint8_t algorithm = prims.read_byte("compression algorithm");
        if (algorithm > 3) {
            throw header_error(in, compression_at,
                               "unknown compression algorithm " + std::to_string(algorithm) + " (expected 0 none, 1 gzip, 2 lz4 or 3 zstd)");
        }
        header.compression = static_cast<Compression>(algorithm);
    } else {
        auto level = prims.read_int("compression level");
        if (level < -1 || level > 9) {
            throw header_error(in, compression_at,
                               "invalid compression level " + std::to_string(level) + " (expected -1 to 9)");
        }
        header.legacy_level = static_cast<int>(level);
        header.compression = level == 0 ? Compression::None : Compression::Gzip;
    }
    for (int& field : header.created) field = static_cast<int>(prims.read_int("archive creation time"));
    header.database_name = prims.read_str("database name");
    header.server_version = prims.read_str("server version");
    header.pgdump_version = prims.read_str("pg_dump version");
    return header;
}

std::vector<TocEntry> read_toc(common::InputStream& in, const ArchiveHeader& header, TocFlavour flavour) {
    PrimitiveReader prims(in, header.int_size, header.offset_size);
    std::uint64_t count_at = in.position();
    auto count = prims.read_int("TOC entry count");
    if (count < 0 || count > 100'000'000) {
        throw ArchiveError("implausible TOC entry count " + std::to_string(count) + "; the archive is corrupt",
                           ErrorLocation{in.name(), count_at, {}, {}});
    }
    std::vector<TocEntry> entries;
    // Reserved only up to what a real schema has: a corrupt count must fail
    // when the entries run out, not allocate gigabytes first.
    entries.reserve(static_cast<std::size_t>(std::min<std::int64_t>(count, 4096)));
    for (std::int64_t i = 0; i < count; ++i) {
        TocEntry e;
        std::uint64_t entry_at = in.position();
        try {
            e.dump_id = static_cast<int>(prims.read_int("TOC entry dump id"));
            if (e.dump_id <= 0) {
                throw ArchiveError("TOC entry id " + std::to_string(e.dump_id) + " out of range; the archive is corrupt");
            }
            e.had_dumper = prims.read_int("TOC entry hadDumper") != 0;
            e.table_oid = prims.read_str("TOC entry table oid");
            e.oid = prims.read_str("TOC entry oid");
            e.tag = prims.read_str("TOC entry tag");
            e.desc = prims.read_str("TOC entry description");
            e.section = static_cast<int>(prims.read_int("TOC entry section"));
            e.defn = prims.read_str("TOC entry definition");
            e.drop_stmt = prims.read_str("TOC entry drop statement");
            e.copy_stmt = prims.read_str("TOC entry COPY statement");
            e.namespace_ = prims.read_str("TOC entry schema");
            e.tablespace = prims.read_str("TOC entry tablespace");
            if (header.version.at_least(1, 14)) e.table_am = prims.read_str("TOC entry table access method");
            if (header.version.at_least(1, 16)) e.relkind = static_cast<int>(prims.read_int("TOC entry relkind"));
            e.owner = prims.read_str("TOC entry owner");
            e.with_oids = prims.read_str("TOC entry withOids");
            for (;;) {
                auto dep = prims.read_str("TOC entry dependency");
                if (!dep) break;
                e.dependencies.push_back(std::move(*dep));
            }
            if (flavour == TocFlavour::Offsets) {
                e.offset = prims.read_offset("TOC entry data offset");
            } else {
                e.filename = prims.read_str("TOC entry file name");
            }
        } catch (common::Error& err) {
            ErrorLocation where{in.name(), entry_at, {}, {}};
            if (e.dump_id > 0) where.dump_id = e.dump_id;
            // The entry is not whole: its text may have been read from the
            // wrong place (a corrupt length runs into table data). It is
            // named only when its description is one pgscrub knows (data
            // read as TOC text is not), and ArchiveError bounds and escapes it.
            if (e.desc && find_entry_kind(*e.desc)) where.entry_name = e.describe();
            common::rethrow_with(err, where);
        }
        entries.push_back(std::move(e));
    }
    return entries;
}

std::string encode_header(const ArchiveHeader& header) {
    std::string out = "PGDMP";
    out.push_back(static_cast<char>(header.version.major));
    out.push_back(static_cast<char>(header.version.minor));
    out.push_back(static_cast<char>(header.version.revision));
    out.push_back(static_cast<char>(header.int_size));
    out.push_back(static_cast<char>(header.offset_size));
    out.push_back(static_cast<char>(header.format));
    PrimitiveWriter prims(out, header.int_size, header.offset_size);
    if (header.version.at_least(1, 15)) {
        prims.write_byte(static_cast<std::uint8_t>(header.compression));
    } else {
        prims.write_int(header.legacy_level);
    }
    for (int field : header.created) prims.write_int(field);
    prims.write_str(header.database_name);
    prims.write_str(header.server_version);
    prims.write_str(header.pgdump_version);
    return out;
}

EncodedToc encode_toc(const std::vector<TocEntry>& entries, const ArchiveHeader& header, TocFlavour flavour) {
    EncodedToc toc;
    std::string& out = toc.bytes;
    PrimitiveWriter prims(out, header.int_size, header.offset_size);
    prims.write_int(static_cast<std::int64_t>(entries.size()));
    for (const TocEntry& e : entries) {
        prims.write_int(e.dump_id);
        prims.write_int(e.had_dumper ? 1 : 0);
        prims.write_str(e.table_oid);
        prims.write_str(e.oid);
        prims.write_str(e.tag);
        prims.write_str(e.desc);
        prims.write_int(e.section);
        prims.write_str(e.defn);
        prims.write_str(e.drop_stmt);
        prims.write_str(e.copy_stmt);
        prims.write_str(e.namespace_);
        prims.write_str(e.tablespace);
        if (header.version.at_least(1, 14)) prims.write_str(e.table_am);
        if (header.version.at_least(1, 16)) prims.write_int(e.relkind);
        prims.write_str(e.owner);
        prims.write_str(e.with_oids);
        for (const std::string& dep : e.dependencies) prims.write_str(dep);
        prims.write_str(std::nullopt);
        if (flavour == TocFlavour::Offsets) {
            toc.offset_field_positions.push_back(static_cast<long>(out.size()));
            prims.write_offset(e.offset);
        } else {
            toc.offset_field_positions.push_back(-1);
            prims.write_str(e.filename);
        }
    }
    return toc;
}

} // namespace pgscrub::dump
