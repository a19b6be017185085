#pragma once
// The in-memory model of a pg_dump archive's header and table of contents.
//
// Field order and meaning follow pg_dump's WriteHead/WriteToc (see
// docs/archive-format.md §1-§3). Strings that pg_dump may write as
// NULL are std::optional: NULL and "" mean different things to pg_restore and
// must survive a round trip.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace pgscrub::dump {

// Archive version maj.min.rev, compared as pg_dump does: ((maj*256)+min)*256+rev.
struct ArchiveVersion {
    std::uint8_t major = 1;
    std::uint8_t minor = 14;
    std::uint8_t revision = 0;

    constexpr std::uint32_t value() const { return (std::uint32_t(major) * 256 + minor) * 256 + revision; }
    constexpr bool at_least(std::uint8_t maj, std::uint8_t min) const {
        return value() >= (std::uint32_t(maj) * 256 + min) * 256;
    }
    std::string to_string() const;
};

// The oldest and newest archive versions pgscrub reads: PostgreSQL 11's pg_dump
// wrote 1.13 (1.12 before the 2018 search_path fix) and 17/18 write 1.16.
inline constexpr ArchiveVersion kOldestSupportedVersion{1, 12, 0};
inline constexpr ArchiveVersion kNewestSupportedVersion{1, 16, 255};

enum class Compression : std::uint8_t { None = 0, Gzip = 1, Lz4 = 2, Zstd = 3 };

const char* compression_name(Compression c);

// The format byte of the header. Directory archives write Tar (3) in toc.dat.
enum class HeaderFormat : std::uint8_t { Custom = 1, Tar = 3 };

struct ArchiveHeader {
    ArchiveVersion version;
    std::uint8_t int_size = 4;
    std::uint8_t offset_size = 8;
    HeaderFormat format = HeaderFormat::Custom;

    // 1.15+: the algorithm byte. <=1.14: a zlib level Int (-1 default, 0 none,
    // 1..9); `compression` is then Gzip for any level other than 0.
    Compression compression = Compression::None;
    int legacy_level = 0; // only meaningful before 1.15

    // struct tm fields of the dump time, as stored (sec, min, hour, mday, mon, year, isdst).
    int created[7] = {0, 0, 0, 0, 0, 0, 0};
    std::optional<std::string> database_name;
    std::optional<std::string> server_version;
    std::optional<std::string> pgdump_version;
};

// Where an entry's data lives. Custom archives store an offset, directory and
// tar archives a file name.
enum class OffsetFlag : std::uint8_t { NotSet = 1, Set = 2, NoData = 3 };

struct DataOffset {
    OffsetFlag flag = OffsetFlag::NoData;
    std::uint64_t position = 0;
};

enum class Section : int { None = 1, PreData = 2, Data = 3, PostData = 4 };

struct TocEntry {
    int dump_id = 0;
    bool had_dumper = false;
    std::optional<std::string> table_oid;
    std::optional<std::string> oid;
    std::optional<std::string> tag;
    std::optional<std::string> desc;
    int section = 0;
    std::optional<std::string> defn;
    std::optional<std::string> drop_stmt;
    std::optional<std::string> copy_stmt;
    std::optional<std::string> namespace_;
    std::optional<std::string> tablespace;
    std::optional<std::string> table_am; // 1.14+
    int relkind = 0;                     // 1.16+
    std::optional<std::string> owner;
    std::optional<std::string> with_oids;
    std::vector<std::string> dependencies;

    DataOffset offset;                  // custom format
    std::optional<std::string> filename; // directory / tar format

    bool is_table_data() const { return had_dumper && desc && *desc == "TABLE DATA"; }
    bool is_blobs() const { return had_dumper && desc && *desc == "BLOBS"; }
    // "public.users" — for messages; names as stored, unquoted.
    std::string qualified_name() const;
    // "TABLE DATA public.users" — for messages.
    std::string describe() const;
};

struct ArchiveModel {
    ArchiveHeader header;
    std::vector<TocEntry> entries;

    const TocEntry* find(int dump_id) const;
};

} // namespace pgscrub::dump
