#pragma once
// Programs pgscrub runs as child processes (today PostgreSQL's pg_dump and
// pg_restore, through db/pg_tools.hpp): started without a shell (arguments
// as a vector), fed through a pipe the caller streams into, their stderr
// read on a thread of its own, and checked. What is printed of them — the
// command line, the stderr in a failure — goes through the masker
// (common/secret_masking.hpp), with the secrets the command was handed. A
// child never outlives the object that started it: on an error or Ctrl-C it
// is stopped and reaped.

#include "common/byte_stream.hpp"
#include "common/error.hpp"
#include "common/secret_masking.hpp"

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace pgscrub::common {

struct ChildCommand {
    // Every failure of the child is a common::Error of `failure_kind`: the
    // caller knows what the tool is for (a database tool, a network one).
    ChildCommand(std::string tool_name, std::string program_path, common::ErrorKind kind)
        : tool(std::move(tool_name)), program(std::move(program_path)), failure_kind(kind) {}

    std::string tool;                   // for messages: "pg_restore"
    std::string program;                // absolute path (db::PgTools::path)
    common::ErrorKind failure_kind;
    std::vector<std::string> arguments; // argv[1..]; never seen by a shell
    // Set in the child's environment on top of pgscrub's own. Values are
    // never printed (PGPASSWORD lives here).
    std::vector<std::pair<std::string, std::string>> environment;
    enum class Input { Null, Pipe } input = Input::Null;
    enum class Output { Null, Pipe, File } output = Output::Null;
    std::string output_file; // Output::File: created or truncated
    // Secrets to mask wherever they appear verbatim in what is shown of the
    // command and its stderr (besides the URL and conninfo forms
    // common::mask_secrets() finds by itself): the PGPASSWORD handed over.
    common::KnownSecrets secrets;
    // Called with each line of stderr (unmasked, without the newline), on
    // the thread that reads it; for a tool whose messages must be judged
    // one by one. Whatever it records is safe to read after finish().
    std::function<void(std::string_view line)> on_stderr_line;
    // What a failure says the child said, on one line, from its (masked)
    // stderr; unset: its last three lines (stderr_tail_summary).
    std::function<std::string(const std::string& stderr_text)> summarise_failure;
};

// The non-blank lines of a child's stderr, trimmed; lines [from, to) joined
// with " / "; and the last three of them so joined, for one-line messages.
std::vector<std::string> stderr_lines(const std::string& stderr_text);
std::string join_stderr_lines(const std::vector<std::string>& lines, std::size_t from, std::size_t to);
std::string stderr_tail_summary(const std::string& stderr_text);

// The command line as a shell would show it (quoted where needed), every
// argument masked: for messages and plans, never for running.
std::string describe_command(const ChildCommand& command);

class ChildProcess {
public:
    // Starts the child; throws a common::Error of the command's failure_kind when it cannot.
    explicit ChildProcess(ChildCommand command);
    // A child still running is stopped (SIGTERM, SIGKILL after 5 s) and reaped.
    ~ChildProcess();
    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;

    // Input::Pipe: the child's standard input, buffered. When the child has
    // stopped reading because it failed, a write throws that failure (its
    // exit status and stderr), which is the real cause, not "broken pipe".
    ByteSink& input();
    // "/dev/fd/N" naming the same pipe, for code that opens its output by
    // path (a dump writer). Bytes written there bypass input()'s buffer: use
    // one or the other.
    std::string input_path() const;
    // Flushes and closes the input pipe: the child sees end of file.
    void close_input();

    // Output::Pipe: the read end of the child's standard output, and the
    // same as "/dev/fd/N" for code that opens its input by path. Read it to
    // the end before finish(), or the child blocks on a full pipe.
    int output_fd() const { return stdout_fd_; }
    std::string output_path() const;

    // Closes the input, waits for the child and throws a common::Error of
    // the command's failure_kind naming the tool, its exit status and the last lines of its stderr
    // (masked) unless it exited 0. Ctrl-C while waiting stops the child.
    void finish();
    // Stops the child now (SIGTERM, then SIGKILL) and reaps it; never throws.
    void abort() noexcept;
    // For a reader of the child's output that just failed (end of input too
    // early): when the child exits with a failure within `grace`, throws
    // that failure, the likelier cause; otherwise returns and leaves it be.
    void throw_if_failed_within(std::chrono::milliseconds grace);

    // Everything the child wrote to stderr (the last 64 KiB), masked.
    std::string stderr_text() const;
    const ChildCommand& command() const { return command_; }
    // The exit status once the child exited normally (after finish() or a
    // failure it threw); nullopt while running or when killed by a signal.
    std::optional<int> exit_code() const;
    bool running() const { return pid_ > 0; }

private:
    class InputSink;
    struct StderrCollector;
    int wait_for_exit(bool interruptible);
    [[noreturn]] void throw_failure(int status);

    ChildCommand command_;
    int pid_ = -1;
    int exit_status_ = 0;
    bool exited_cleanly_ = false; // stopped reading its input after success
    int stdin_fd_ = -1;
    int stdout_fd_ = -1;
    std::unique_ptr<InputSink> input_sink_;
    std::unique_ptr<StderrCollector> stderr_;
};

// Waits until `fd` can be read (or written) without blocking, looking at
// common::interrupted() at least every quarter of a second: a Ctrl-C that
// lands between two system calls, and so interrupts none, is still seen.
// Throws common::Error(Interrupted, "interrupted by a signal; <what>").
void wait_until_ready(int fd, bool for_writing, const std::string& what);

// Runs `command` to completion and returns its standard output (for
// `pg_dump --version`, `pg_restore -l`); throws as ChildProcess::finish().
std::string run_and_capture(ChildCommand command);

} // namespace pgscrub::common
