#include "dump/format_detect.hpp"

#include "common/url_parts.hpp"
#include "dump/archive_error.hpp"
#include "dump/custom_format.hpp"
#include "dump/directory_format.hpp"
#include "dump/plain_format.hpp"
#include "dump/tar_format.hpp"
#include "net/http_input.hpp"

namespace pgscrub::dump {

OpenedInput open_input(const std::string& path) {
    OpenedInput opened;
    // An http(s) URL streams like stdin: never a directory, never seekable.
    const bool url = common::is_http_url(path);
    if (path != "-" && !url && is_directory(path)) {
        opened.format = ArchiveFormat::Directory;
        opened.archive = open_directory_reader(path);
        return opened;
    }
    std::unique_ptr<common::InputStream> in;
    if (url) in = net::HttpInput::open(path);
    else in = common::FileInput::open(path);
    std::string_view head = in->peek(512);
    if (head.empty()) throw ArchiveError("input is empty; expected a pg_dump archive", ErrorLocation{in->name(), 0, {}, {}});
    if (head.size() < 5 && std::string_view("PGDMP").substr(0, head.size()) == head) {
        throw ArchiveError("unexpected end of file after " + std::to_string(head.size()) +
                               " bytes: the input starts like a custom-format archive (\"PGDMP\"); the archive is truncated",
                           ErrorLocation{in->name(), 0, {}, {}});
    }
    if (head.substr(0, 5) == "PGDMP") {
        opened.format = ArchiveFormat::Custom;
        opened.archive = open_custom_reader(std::move(in));
    } else if (looks_like_tar_header(head)) {
        opened.format = ArchiveFormat::Tar;
        opened.archive = open_tar_reader(std::move(in));
    } else if (looks_like_sql(head)) {
        opened.format = ArchiveFormat::Plain;
        opened.plain = std::move(in);
    } else {
        throw ArchiveError("not a pg_dump archive: expected \"PGDMP\" (custom format), a tar header (tar format), "
                           "a directory with toc.dat (directory format) or SQL text (plain format)",
                           ErrorLocation{in->name(), 0, {}, {}});
    }
    return opened;
}

std::unique_ptr<ArchiveWriter> make_archive_writer(const std::string& path, const OutputSpec& spec) {
    switch (spec.format) {
    case ArchiveFormat::Custom: return make_custom_writer(common::FileOutput::create(path), spec);
    case ArchiveFormat::Tar: return make_tar_writer(common::FileOutput::create(path), spec);
    case ArchiveFormat::Directory: return make_directory_writer(path, spec);
    case ArchiveFormat::Plain: break;
    }
    throw ArchiveError("plain output is written by the plain rewriter, not an archive writer");
}

} // namespace pgscrub::dump
