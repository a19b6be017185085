#include "db/archive_restore.hpp"

#include "common/interrupts.hpp"
#include "db/database_error.hpp"
#include "db/server_identity.hpp"
#include "dump/archive_error.hpp"
#include "dump/custom_format.hpp"
#include "dump/format_detect.hpp"
#include "dump/plain_format.hpp"
#include "dump/tar_format.hpp"

#include <pqxx/pqxx>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <functional>
#include <optional>
#include <fcntl.h>
#include <memory>
#include <sys/stat.h>
#include <unistd.h>

namespace pgscrub::db {

namespace {

constexpr const char* kHerokuSchema = "heroku_ext";
constexpr std::size_t kCopyBlock = 256 * 1024;

// Reads a pipe for the archive readers while keeping every byte it reads, so
// the header and TOC, once parsed, can be passed on to pg_restore unchanged
// before the rest of the stream follows. Only the TOC's bytes are kept.
class RecordingInput final : public common::InputStream {
public:
    RecordingInput(std::string name, int fd) : InputStream(std::move(name)), fd_(fd) {}
    std::string recorded;

private:
    std::size_t read_raw(char* buffer, std::size_t size) override {
        for (;;) {
            common::wait_until_ready(fd_, false, "nothing was restored");
            ssize_t got = ::read(fd_, buffer, size);
            if (got >= 0) {
                recorded.append(buffer, static_cast<std::size_t>(got));
                return static_cast<std::size_t>(got);
            }
            if (errno != EINTR) common::throw_system_error(name(), "read failed");
            if (common::interrupted()) throw common::Error(common::ErrorKind::Interrupted, "interrupted by a signal", common::ErrorLocation{name(), {}, {}, {}});
        }
    }
    int fd_;
};

} // namespace

// Reads every error of a pg_restore --clean run (see RestoreOptions::clean):
// "pg_restore: error: ..." followed by "Command was: <statement>". An error
// whose statement is a drop of the clean phase (DROP ..., ALTER ... DROP ...
// IF EXISTS) is harmless; any other is real.
class PgRestoreStream::ErrorJudge {
public:
    std::function<void(std::string_view)> callback() {
        return [this](std::string_view line) { read(line); };
    }

    // After pg_restore exited: true when it failed only by harmless drops.
    bool forgives(const std::optional<int>& exit_code) {
        settle();
        return exit_code == 1 && real_ == 0 && harmless_ > 0 && ignored_ == harmless_;
    }

    [[noreturn]] void throw_failure(const common::ChildProcess& child) {
        settle();
        if (first_real_.empty() && harmless_ > 0) {
            // --single-transaction stops at the first error, harmless or not.
            throw DatabaseError("pg_restore stopped at a drop of its --clean phase that cannot succeed on a partitioned "
                                     "table, which is harmless only outside one transaction: restore without "
                                     "--single-transaction, or into a fresh database (--strategy swap)");
        }
        if (first_real_.empty()) throw; // nothing better than the child's own message
        std::string more = real_ > 1 ? " (and " + std::to_string(real_ - 1) + " more errors)" : "";
        throw DatabaseError("pg_restore failed: " + common::mask_secrets(first_real_, child.command().secrets) + more);
    }

private:
    void read(std::string_view line) {
        if (line.rfind("pg_restore: error: ", 0) == 0) {
            settle();
            pending_ = std::string(line);
        } else if (line.rfind("Command was: ", 0) == 0 && !pending_.empty()) {
            std::string_view statement = line.substr(13);
            bool drop = statement.rfind("DROP ", 0) == 0 ||
                        (statement.rfind("ALTER ", 0) == 0 && statement.find(" DROP ") != std::string_view::npos &&
                         statement.find("IF EXISTS") != std::string_view::npos);
            if (drop) ++harmless_;
            else note_real(pending_ + " / " + std::string(line));
            pending_.clear();
        } else if (line.rfind("pg_restore: warning: errors ignored on restore: ", 0) == 0) {
            ignored_ = std::atoi(std::string(line.substr(48)).c_str());
        }
    }
    // An error with no statement after it (a lost connection, a bad archive).
    void settle() {
        if (!pending_.empty()) note_real(pending_);
        pending_.clear();
    }
    void note_real(const std::string& text) {
        if (real_++ == 0) first_real_ = text;
    }

    std::string pending_;
    std::string first_real_;
    int real_ = 0;
    int harmless_ = 0;
    int ignored_ = 0;
};

namespace {

// Waits for pg_restore; a --clean run's harmless drop errors are forgiven.
void finish_judged(common::ChildProcess& child, PgRestoreStream::ErrorJudge* judge) {
    try {
        child.finish();
    } catch (const common::Error&) {
        if (!judge) throw;
        if (judge->forgives(child.exit_code())) return;
        judge->throw_failure(child);
    }
}

[[noreturn]] void refuse_plain(const std::string& path) {
    throw dump::ArchiveError("this is a plain SQL dump, which pg_restore cannot read: restore it with psql -f, "
                             "or dump with pg_dump -Fc",
                             common::ErrorLocation{path, {}, {}, {}});
}

RestoreOutcome restore_from_stream(const std::string& path, const DatabaseAddress& target, const RestoreOptions& options, const PgTools& tools) {
    if (options.jobs > 1) {
        throw dump::ArchiveError("pg_restore -j needs a file or a directory it can seek in, not a stream: "
                                 "write the archive to a file first, or restore with -j 1",
                                 common::ErrorLocation{path, {}, {}, {}});
    }
    int fd = path == "-" ? STDIN_FILENO : ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) common::throw_system_error(path, "cannot open for reading");
    struct Closer {
        int fd;
        ~Closer() {
            if (fd != STDIN_FILENO) ::close(fd);
        }
    } closer{fd};

    std::string head;
    dump::ArchiveModel model;
    {
        auto recording = std::make_unique<RecordingInput>(path, fd);
        RecordingInput* tap = recording.get();
        std::string_view start = recording->peek(512);
        std::unique_ptr<dump::ArchiveReader> reader;
        if (start.empty()) throw dump::ArchiveError("input is empty; expected a pg_dump archive", common::ErrorLocation{path, 0, {}, {}});
        if (start.substr(0, 5) == "PGDMP") reader = dump::open_custom_reader(std::move(recording));
        else if (dump::looks_like_tar_header(start)) reader = dump::open_tar_reader(std::move(recording));
        else if (dump::looks_like_sql(start)) refuse_plain(path);
        else throw dump::ArchiveError("not a pg_dump archive: pg_restore reads a custom-format (\"PGDMP\") or tar archive from a stream",
                                      common::ErrorLocation{path, 0, {}, {}});
        model = reader->model();
        head = std::move(tap->recorded);
    }
    PgRestoreStream stream(target, options, tools, model);
    try {
        stream.input().write(head);
        head.clear();
        head.shrink_to_fit();
        std::unique_ptr<char[]> buffer(new char[kCopyBlock]);
        for (;;) {
            common::wait_until_ready(fd, false, "pg_restore stopped");
            ssize_t got = ::read(fd, buffer.get(), kCopyBlock);
            if (got < 0 && errno == EINTR) {
                if (common::interrupted()) throw common::Error(common::ErrorKind::Interrupted, "interrupted by a signal; pg_restore stopped", common::ErrorLocation{path, {}, {}, {}});
                continue;
            }
            if (got < 0) common::throw_system_error(path, "read failed");
            if (got == 0) break;
            stream.input().write(std::string_view(buffer.get(), static_cast<std::size_t>(got)));
        }
    } catch (const common::Error&) {
        stream.throw_if_failed();
        throw;
    }
    stream.finish();
    return RestoreOutcome{stream.created_heroku_ext_schema()};
}

} // namespace

bool archive_needs_heroku_ext(const dump::ArchiveModel& model) {
    bool mentioned = false;
    for (const dump::TocEntry& entry : model.entries) {
        if (entry.desc && *entry.desc == "SCHEMA" && entry.tag && *entry.tag == kHerokuSchema) return false;
        if (entry.defn && entry.defn->find(kHerokuSchema) != std::string::npos) mentioned = true;
        if (entry.namespace_ && *entry.namespace_ == kHerokuSchema) mentioned = true;
    }
    return mentioned;
}

bool ensure_heroku_ext_schema(const DatabaseAddress& target) {
    try {
        pqxx::connection connection(target.text());
        pqxx::work tx(connection);
        if (!tx.exec_params("SELECT 1 FROM pg_namespace WHERE nspname = $1", kHerokuSchema).empty()) return false;
        tx.exec0(std::string("CREATE SCHEMA IF NOT EXISTS ") + kHerokuSchema);
        tx.commit();
        return true;
    } catch (const pqxx::failure& e) {
        throw DatabaseError(std::string("cannot create schema ") + kHerokuSchema + " (the archive's extensions live in it): " +
                                     one_line_message(e.what()),
                                 target.describe());
    }
}

common::ChildCommand pg_restore_command(const std::string& archive, const DatabaseAddress& target, const RestoreOptions& options,
                                const PgTools& tools) {
    if (options.single_transaction && options.jobs > 1) {
        throw DatabaseError("pg_restore cannot restore in one transaction with -j " + std::to_string(options.jobs) +
                                 ": choose one of them");
    }
    common::ChildCommand command = tools.command("pg_restore");
    if (!options.clean) command.arguments.push_back("--exit-on-error");
    if (!options.keep_owner) command.arguments.push_back("--no-owner");
    if (!options.keep_acl) command.arguments.push_back("--no-acl");
    if (options.clean) {
        command.arguments.push_back("--clean");
        command.arguments.push_back("--if-exists");
    }
    if (options.single_transaction) command.arguments.push_back("--single-transaction");
    if (options.jobs > 1) command.arguments.push_back("--jobs=" + std::to_string(options.jobs));
    connect_to(command, target);
    if (!archive.empty()) command.arguments.push_back(archive);
    else command.input = common::ChildCommand::Input::Pipe;
    return command;
}

RestoreOutcome restore_archive(const std::string& archive_path_or_dash, const DatabaseAddress& target, const RestoreOptions& options,
                              const PgTools& tools) {
    const std::string& path = archive_path_or_dash;
    struct stat st {};
    if (path != "-" && ::stat(path.c_str(), &st) != 0) common::throw_system_error(path, "cannot open the archive");
    RestoreOutcome outcome;
    try {
        if (path == "-" || !(S_ISREG(st.st_mode) || S_ISDIR(st.st_mode))) {
            // A pipe can be read once: its TOC is read on the way through.
            return restore_from_stream(path, target, options, tools);
        }
        bool needs_heroku_ext = false;
        {
            dump::OpenedInput opened = dump::open_input(path);
            if (!opened.archive) refuse_plain(path);
            needs_heroku_ext = archive_needs_heroku_ext(opened.archive->model());
        }
        if (needs_heroku_ext) outcome.created_heroku_ext_schema = ensure_heroku_ext_schema(target);
        common::ChildCommand command = pg_restore_command(path, target, options, tools);
        PgRestoreStream::ErrorJudge judge;
        if (options.clean) command.on_stderr_line = judge.callback();
        common::ChildProcess pg_restore(std::move(command));
        finish_judged(pg_restore, options.clean ? &judge : nullptr);
    } catch (common::Error& e) {
        common::rethrow_with(e, common::ErrorLocation{path, {}, {}, {}});
    }
    return outcome;
}

PgRestoreStream::PgRestoreStream(const DatabaseAddress& target, const RestoreOptions& options, const PgTools& tools, bool needs_heroku_ext)
    : judge_(options.clean ? std::make_shared<ErrorJudge>() : nullptr), child_([&] {
          common::ChildCommand command = pg_restore_command("", target, options, tools);
          if (judge_) command.on_stderr_line = judge_->callback();
          if (options.jobs > 1) {
              throw dump::ArchiveError("pg_restore -j needs a file or a directory it can seek in, not a stream: "
                                       "write the archive to a file first, or restore with -j 1");
          }
          // Before pg_restore starts: it reads the schema's name right away.
          if (needs_heroku_ext) created_heroku_ext_schema_ = ensure_heroku_ext_schema(target);
          return command;
      }()) {}

PgRestoreStream::PgRestoreStream(const DatabaseAddress& target, const RestoreOptions& options, const PgTools& tools,
                                 const dump::ArchiveModel& model)
    : PgRestoreStream(target, options, tools, archive_needs_heroku_ext(model)) {}

void PgRestoreStream::finish() { finish_judged(child_, judge_.get()); }

void PgRestoreStream::throw_if_failed() {
    try {
        child_.throw_if_failed_within(std::chrono::milliseconds(500));
    } catch (const common::Error&) {
        if (!judge_) throw;
        if (judge_->forgives(child_.exit_code())) return;
        judge_->throw_failure(child_);
    }
}

} // namespace pgscrub::db
