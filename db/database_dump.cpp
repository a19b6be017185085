#include "db/database_dump.hpp"

#include "common/interrupts.hpp"
#include "common/json_writer.hpp"
#include "common/utc_time.hpp"
#include "db/server_identity.hpp"
#include "dump/archive_error.hpp"

#include <openssl/evp.h>

#include <cerrno>
#include <chrono>
#include <ctime>
#include <fcntl.h>
#include <memory>
#include <sys/stat.h>
#include <unistd.h>

#ifndef PGSCRUB_VERSION
#error "PGSCRUB_VERSION must be defined by the build"
#endif

namespace pgscrub::db {

namespace {

// SHA-256 of a file's bytes, read in large blocks.
std::string sha256_of_file(const std::string& path, const std::string& shown_as) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) common::throw_system_error(shown_as, "cannot read back the backup");
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
    EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr);
    std::unique_ptr<char[]> buffer(new char[1 << 20]);
    for (;;) {
        ssize_t got = ::read(fd, buffer.get(), 1 << 20);
        if (got < 0 && errno == EINTR) {
            if (common::interrupted()) {
                ::close(fd);
                throw common::Error(common::ErrorKind::Interrupted, "interrupted by a signal; partial output removed", common::ErrorLocation{shown_as, {}, {}, {}});
            }
            continue;
        }
        if (got < 0) {
            int saved = errno;
            ::close(fd);
            errno = saved;
            common::throw_system_error(shown_as, "cannot read back the backup");
        }
        if (got == 0) break;
        EVP_DigestUpdate(ctx.get(), buffer.get(), static_cast<std::size_t>(got));
    }
    ::close(fd);
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    EVP_DigestFinal_ex(ctx.get(), digest, &length);
    static const char* hex = "0123456789abcdef";
    std::string out;
    for (unsigned int i = 0; i < length; ++i) {
        out += hex[digest[i] >> 4];
        out += hex[digest[i] & 15];
    }
    return out;
}

std::string base_name(const std::string& path) {
    std::size_t slash = path.find_last_of('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

} // namespace

common::ChildCommand pg_dump_command(const DatabaseAddress& source, const std::string& file, const PgTools& tools) {
    common::ChildCommand command = tools.command("pg_dump");
    command.arguments = {"--format=custom"};
    if (!file.empty()) command.arguments.push_back("--file=" + file);
    connect_to(command, source);
    return command;
}

std::string backup_manifest_json(const BackupResult& backup, const DatabaseAddress& source) {
    // Indented: people read manifests (the layout docs/commands.md shows).
    common::JsonWriter json(2);
    json.begin_object();
    json.key("file").value(base_name(backup.path));
    json.key("format").value("custom");
    json.key("size").value(backup.size);
    json.key("sha256").value(backup.sha256);
    json.key("database").value(backup.database);
    json.key("host").value(source.host.empty() ? "(local socket)" : source.host);
    json.key("port").value(source.port);
    json.key("address").value(source.describe().str());
    json.key("server_version").value(backup.server_version);
    json.key("pg_dump_version").value(backup.pg_dump_version);
    json.key("created_at").value(backup.created_at);
    json.key("seconds").value_fixed(backup.seconds, 3);
    json.key("pgscrub_version").value(PGSCRUB_VERSION);
    json.end_object();
    return json.text() + "\n";
}

BackupResult backup_database(const DatabaseAddress& source, const std::string& out_path, const PgTools& tools) {
    if (out_path.empty() || out_path == "-") {
        throw dump::ArchiveError("a backup is written to a file (its manifest describes the file's bytes): give -o FILE");
    }
    auto started = std::chrono::steady_clock::now();
    BackupResult result;
    result.path = out_path;
    result.manifest_path = out_path + ".manifest.json";
    result.created_at = common::utc_timestamp();
    // Ask the server first: an unreachable or missing database fails here,
    // before any file exists.
    ServerIdentity identity = read_server_identity(source);
    result.database = identity.database;
    result.server_version = identity.server_version;
    common::ChildCommand version = tools.command("pg_dump");
    version.arguments = {"--version"};
    result.pg_dump_version = one_line_message(common::run_and_capture(version));

    auto archive = common::FileOutput::create(out_path);
    if (archive->pending_name().empty()) {
        throw dump::ArchiveError("a backup is written to a regular file, not a device or a pipe (its manifest describes the file's bytes)",
                                 common::ErrorLocation{out_path, {}, {}, {}});
    }
    try {
        common::ChildProcess pg_dump(pg_dump_command(source, archive->pending_name(), tools));
        pg_dump.finish();
    } catch (common::Error& e) {
        common::rethrow_with(e, common::ErrorLocation::at(source.describe()));
    }
    archive->complete();
    struct stat st {};
    if (::stat(archive->pending_name().c_str(), &st) != 0) common::throw_system_error(out_path, "cannot read back the backup");
    result.size = static_cast<std::uint64_t>(st.st_size);
    result.sha256 = sha256_of_file(archive->pending_name(), out_path);
    result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

    auto manifest = common::FileOutput::create(result.manifest_path);
    manifest->write(backup_manifest_json(result, source));
    manifest->complete();
    archive->commit();
    manifest->commit();
    return result;
}

PgDumpStream::PgDumpStream(const DatabaseAddress& source, const PgTools& tools)
    : child_([&] {
          common::ChildCommand command = pg_dump_command(source, "", tools);
          command.output = common::ChildCommand::Output::Pipe;
          return command;
      }()) {}

} // namespace pgscrub::db
