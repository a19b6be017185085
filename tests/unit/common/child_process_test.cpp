// Child processes (common/child_process.hpp) with real programs (/bin/sh, cat):
// input streamed through a pipe, a failure reported with the tool's exit
// status and last stderr lines (masked), a child that stops reading, and a
// child that never outlives its ChildProcess.

#include "archive_builders.hpp"
#include "common/child_process.hpp"

#include <catch2/catch.hpp>

#include <cerrno>
#include <csignal>
#include <string>
#include <sys/types.h>
#include <sys/wait.h>

using namespace pgscrub::common;

namespace {

ChildCommand shell(const std::string& script) {
    ChildCommand command("sh", "/bin/sh", ErrorKind::Database);
    command.arguments = {"-c", script};
    return command;
}

// As pgscrub's main does: a write to a closed pipe is an error, not a death.
struct IgnoreSigpipe {
    IgnoreSigpipe() { previous = std::signal(SIGPIPE, SIG_IGN); }
    ~IgnoreSigpipe() { std::signal(SIGPIPE, previous); }
    void (*previous)(int);
};

} // namespace

TEST_CASE("a child's input is streamed through a pipe and its output goes to a file", "[restore][child]") {
    pgscrub::test::TempDir dir;
    ChildCommand command = shell("cat");
    command.input = ChildCommand::Input::Pipe;
    command.output = ChildCommand::Output::File;
    command.output_file = dir / "out";
    ChildProcess child(command);
    std::string expected;
    for (int i = 0; i < 20000; ++i) {
        std::string line = "row " + std::to_string(i) + "\n";
        child.input().write(line);
        expected += line;
    }
    child.finish();
    CHECK(pgscrub::test::read_file(dir / "out") == expected);
}

TEST_CASE("a failed child is reported with its exit status and last stderr lines, masked", "[restore][child]") {
    ChildCommand command = shell("echo 'starting' >&2; echo 'error: connection to postgresql://u:hunter22@h/db failed' >&2; "
                                 "echo 'detail: hunter22 rejected' >&2; exit 3");
    command.tool = "pg_dump";
    command.secrets.add("hunter22");
    ChildProcess child(command);
    try {
        child.finish();
        FAIL("finish() should have thrown");
    } catch (const pgscrub::common::Error& e) {
        std::string what = e.what();
        CHECK(what.find("pg_dump exited with status 3: ") == 0);
        CHECK(what.find("error: connection to postgresql://u:***@h/db failed / detail: *** rejected") != std::string::npos);
        CHECK(what.find("hunter22") == std::string::npos);
        CHECK(what.find('\n') == std::string::npos);
    }
    CHECK(child.stderr_text().find("hunter22") == std::string::npos);
}

TEST_CASE("a child that fails without reading its input: the write reports the child's failure", "[restore][child]") {
    IgnoreSigpipe ignore;
    ChildCommand command = shell("echo 'pg_restore: error: input file is too short' >&2; exit 1");
    command.tool = "pg_restore";
    command.input = ChildCommand::Input::Pipe;
    ChildProcess child(command);
    std::string block(1 << 20, 'x');
    try {
        for (int i = 0; i < 64; ++i) child.input().write(block);
        child.finish();
        FAIL("writing should have failed");
    } catch (const pgscrub::common::Error& e) {
        CHECK(std::string(e.what()) == "pg_restore exited with status 1: pg_restore: error: input file is too short");
    }
}

TEST_CASE("a child that succeeds before reading all its input is a success", "[restore][child]") {
    IgnoreSigpipe ignore;
    ChildCommand command = shell("head -c 10 > /dev/null");
    command.input = ChildCommand::Input::Pipe;
    ChildProcess child(command);
    std::string block(1 << 20, 'x');
    for (int i = 0; i < 8; ++i) child.input().write(block);
    CHECK_NOTHROW(child.finish());
}

TEST_CASE("a child never outlives its ChildProcess", "[restore][child]") {
    {
        ChildCommand command = shell("exec sleep 60");
        command.input = ChildCommand::Input::Pipe;
        ChildProcess child(command);
        CHECK(run_and_capture(shell("echo captured")) == "captured\n");
        CHECK(child.running());
    }
    // Stopped and reaped: this process has no child left to wait for.
    errno = 0;
    CHECK(::waitpid(-1, nullptr, WNOHANG) == -1);
    CHECK(errno == ECHILD);
}

TEST_CASE("a missing program is an error naming it", "[restore][child]") {
    ChildCommand command("pg_restore", "/nonexistent/pg_restore", ErrorKind::Database);
    CHECK_THROWS_WITH(ChildProcess(command), Catch::Contains("cannot start pg_restore: No such file or directory"));
}
