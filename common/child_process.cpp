#include "common/child_process.hpp"

#include "common/interrupts.hpp"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <mutex>
#include <poll.h>
#include <pthread.h>
#include <spawn.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

extern char** environ;

namespace pgscrub::common {

namespace {

constexpr std::size_t kStderrTail = 64 * 1024;
constexpr std::size_t kInputBuffer = 64 * 1024;
constexpr auto kTermGrace = std::chrono::seconds(5);

// A descriptor at 3 or above: dup2 onto 0-2 in the child must never be a
// no-op that keeps close-on-exec set (pgscrub started with a closed stdin).
int above_std(int fd) {
    if (fd > 2) return fd;
    int moved = ::fcntl(fd, F_DUPFD_CLOEXEC, 3);
    ::close(fd);
    return moved;
}

void make_pipe(int ends[2], const std::string& tool) {
    if (::pipe2(ends, O_CLOEXEC) != 0) common::throw_system_error(tool, "cannot create a pipe");
    ends[0] = above_std(ends[0]);
    ends[1] = above_std(ends[1]);
    if (ends[0] < 0 || ends[1] < 0) common::throw_system_error(tool, "cannot create a pipe");
}

void close_fd(int& fd) {
    if (fd >= 0) ::close(fd);
    fd = -1;
}

bool needs_shell_quotes(const std::string& word) {
    if (word.empty()) return true;
    for (char c : word) {
        bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                     std::strchr("_./:=@%+,-*", c) != nullptr;
        if (!plain) return true;
    }
    return false;
}

std::string shell_word(const std::string& word) {
    if (!needs_shell_quotes(word)) return word;
    // A conninfo is full of single quotes: double quotes read better there.
    if (word.find('\'') != std::string::npos && word.find_first_of("\"$`\\!") == std::string::npos) return "\"" + word + "\"";
    std::string out = "'";
    for (char c : word) {
        if (c == '\'') out += "'\\''";
        else out += c;
    }
    return out + "'";
}

} // namespace

std::vector<std::string> stderr_lines(const std::string& text) {
    std::vector<std::string> lines;
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t end = text.find('\n', start);
        if (end == std::string::npos) end = text.size();
        std::string line = text.substr(start, end - start);
        while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) line.pop_back();
        std::size_t first = line.find_first_not_of(" \t");
        if (first != std::string::npos) lines.push_back(line.substr(first));
        start = end + 1;
    }
    return lines;
}

std::string join_stderr_lines(const std::vector<std::string>& lines, std::size_t from, std::size_t to) {
    std::string out;
    for (std::size_t i = from; i < to; ++i) out += (out.empty() ? "" : " / ") + lines[i];
    return out;
}

std::string stderr_tail_summary(const std::string& stderr_text) {
    const std::vector<std::string> lines = stderr_lines(stderr_text);
    return join_stderr_lines(lines, lines.size() > 3 ? lines.size() - 3 : 0, lines.size());
}

void wait_until_ready(int fd, bool for_writing, const std::string& what) {
    pollfd watch{fd, static_cast<short>(for_writing ? POLLOUT : POLLIN), 0};
    for (;;) {
        if (common::interrupted()) throw common::Error(common::ErrorKind::Interrupted, "interrupted by a signal; " + what);
        int ready = ::poll(&watch, 1, 250);
        if (ready > 0) return; // readable, writable, or closed: the next call says which
        if (ready < 0 && errno != EINTR) return;
    }
}

std::string describe_command(const ChildCommand& command) {
    std::string out;
    for (const auto& [name, value] : command.environment) {
        bool secret = name == "PGPASSWORD" || name.find("PASSWORD") != std::string::npos;
        out += name + "=" + (secret ? "***" : shell_word(common::mask_secrets(value, command.secrets).str())) + " ";
    }
    out += shell_word(command.program.empty() ? command.tool : command.program);
    for (const std::string& argument : command.arguments) out += " " + shell_word(common::mask_secrets(argument, command.secrets).str());
    return out;
}

// ---- the child's stderr ----------------------------------------------------

// Reads the child's stderr on a thread of its own, so a chatty tool never
// blocks on a full pipe while pgscrub is busy writing its input, and keeps
// the last 64 KiB for the error message.
struct ChildProcess::StderrCollector {
    StderrCollector(int read_fd, std::function<void(std::string_view)> line_callback)
        : fd(read_fd), on_line(std::move(line_callback)) {
        // The thread must not take SIGINT/SIGTERM meant for the main thread,
        // whose blocking waitpid or write they are to interrupt.
        sigset_t all, previous;
        sigfillset(&all);
        pthread_sigmask(SIG_BLOCK, &all, &previous);
        thread = std::thread([this] { run(); });
        pthread_sigmask(SIG_SETMASK, &previous, nullptr);
    }
    ~StderrCollector() {
        join();
        close_fd(fd);
    }
    void run() {
        char buffer[8192];
        for (;;) {
            ssize_t got = ::read(fd, buffer, sizeof buffer);
            if (got < 0 && errno == EINTR) continue;
            if (got <= 0) {
                if (on_line && !partial.empty()) on_line(partial);
                return;
            }
            if (on_line) split_lines(std::string_view(buffer, static_cast<std::size_t>(got)));
            std::lock_guard<std::mutex> lock(mutex);
            tail.append(buffer, static_cast<std::size_t>(got));
            if (tail.size() > 2 * kStderrTail) tail.erase(0, tail.size() - kStderrTail);
        }
    }
    void split_lines(std::string_view bytes) {
        for (char c : bytes) {
            if (c != '\n') {
                // A line longer than the tail kept is cut: a judge needs its start.
                if (partial.size() < kStderrTail) partial += c;
                continue;
            }
            on_line(partial);
            partial.clear();
        }
    }
    void join() {
        if (thread.joinable()) thread.join();
    }
    std::string text() const {
        std::lock_guard<std::mutex> lock(mutex);
        return tail.size() > kStderrTail ? tail.substr(tail.size() - kStderrTail) : tail;
    }

    int fd;
    std::function<void(std::string_view)> on_line;
    std::string partial; // the line being read, for on_line
    std::thread thread;
    mutable std::mutex mutex;
    std::string tail;
};

// ---- the child's stdin -----------------------------------------------------

class ChildProcess::InputSink final : public common::ByteSink {
public:
    explicit InputSink(ChildProcess& owner) : owner_(owner) { buffer_.reserve(kInputBuffer); }

    void write(std::string_view bytes) override {
        if (discarding_) return;
        if (buffer_.size() + bytes.size() > kInputBuffer) {
            flush();
            if (bytes.size() >= kInputBuffer) {
                write_all(bytes);
                return;
            }
        }
        buffer_.append(bytes);
    }

    void flush() {
        std::string pending;
        pending.swap(buffer_);
        write_all(pending);
    }

private:
    void write_all(std::string_view bytes) {
        while (!bytes.empty() && !discarding_) {
            if (owner_.stdin_fd_ < 0) throw common::Error(owner_.command_.failure_kind, owner_.command_.tool + ": its input was already closed");
            wait_until_ready(owner_.stdin_fd_, true, owner_.command_.tool + " stopped");
            ssize_t n = ::write(owner_.stdin_fd_, bytes.data(), bytes.size());
            if (n >= 0) {
                bytes.remove_prefix(static_cast<std::size_t>(n));
                continue;
            }
            if (errno == EINTR) {
                if (common::interrupted()) throw common::Error(common::ErrorKind::Interrupted, "interrupted by a signal; " + owner_.command_.tool + " stopped");
                continue;
            }
            if (errno != EPIPE) common::throw_system_error(owner_.command_.tool, "cannot write to its input");
            // The child stopped reading. If it failed, its own message is the
            // cause; if it succeeded, it had read all it needed.
            close_fd(owner_.stdin_fd_);
            int status = owner_.wait_for_exit(true);
            if (!(WIFEXITED(status) && WEXITSTATUS(status) == 0)) owner_.throw_failure(status);
            owner_.exited_cleanly_ = true;
            discarding_ = true;
        }
    }

    ChildProcess& owner_;
    std::string buffer_;
    bool discarding_ = false;
};

// ---- ChildProcess ----------------------------------------------------------

ChildProcess::ChildProcess(ChildCommand command) : command_(std::move(command)) {
    int in_pipe[2] = {-1, -1}, out_pipe[2] = {-1, -1}, err_pipe[2] = {-1, -1};
    int out_file = -1;
    auto close_all = [&] {
        for (int* fd : {&in_pipe[0], &in_pipe[1], &out_pipe[0], &out_pipe[1], &err_pipe[0], &err_pipe[1], &out_file}) close_fd(*fd);
    };
    try {
        if (command_.input == ChildCommand::Input::Pipe) make_pipe(in_pipe, command_.tool);
        if (command_.output == ChildCommand::Output::Pipe) make_pipe(out_pipe, command_.tool);
        if (command_.output == ChildCommand::Output::File) {
            out_file = ::open(command_.output_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
            if (out_file < 0) common::throw_system_error(command_.output_file, "cannot create output file");
            out_file = above_std(out_file);
        }
        make_pipe(err_pipe, command_.tool);
    } catch (...) {
        close_all();
        throw;
    }

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    if (in_pipe[0] >= 0) posix_spawn_file_actions_adddup2(&actions, in_pipe[0], STDIN_FILENO);
    else posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    if (out_pipe[1] >= 0) posix_spawn_file_actions_adddup2(&actions, out_pipe[1], STDOUT_FILENO);
    else if (out_file >= 0) posix_spawn_file_actions_adddup2(&actions, out_file, STDOUT_FILENO);
    else posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_adddup2(&actions, err_pipe[1], STDERR_FILENO);

    // Signals pgscrub ignores (SIGPIPE) would stay ignored across exec; the
    // child gets the defaults and no blocked signals.
    posix_spawnattr_t attributes;
    posix_spawnattr_init(&attributes);
    sigset_t defaults, empty;
    sigemptyset(&defaults);
    for (int s : {SIGPIPE, SIGINT, SIGTERM, SIGHUP, SIGQUIT}) sigaddset(&defaults, s);
    sigemptyset(&empty);
    posix_spawnattr_setsigdefault(&attributes, &defaults);
    posix_spawnattr_setsigmask(&attributes, &empty);
    posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);

    std::vector<std::string> env_storage;
    for (char** e = environ; e && *e; ++e) {
        std::string entry = *e;
        std::string name = entry.substr(0, entry.find('='));
        bool overridden = false;
        for (const auto& [key, value] : command_.environment) overridden = overridden || key == name;
        if (!overridden) env_storage.push_back(std::move(entry));
    }
    for (const auto& [key, value] : command_.environment) env_storage.push_back(key + "=" + value);
    std::vector<char*> envp;
    for (std::string& entry : env_storage) envp.push_back(entry.data());
    envp.push_back(nullptr);
    std::vector<std::string> arg_storage{command_.program};
    arg_storage.insert(arg_storage.end(), command_.arguments.begin(), command_.arguments.end());
    std::vector<char*> argv;
    for (std::string& arg : arg_storage) argv.push_back(arg.data());
    argv.push_back(nullptr);

    pid_t pid = -1;
    int error = ::posix_spawn(&pid, command_.program.c_str(), &actions, &attributes, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attributes);
    close_fd(in_pipe[0]);
    close_fd(out_pipe[1]);
    close_fd(err_pipe[1]);
    close_fd(out_file);
    if (error != 0) {
        close_all();
        throw common::Error(command_.failure_kind, "cannot start " + command_.tool + ": " + std::strerror(error) + " (" + describe_command(command_) + ")");
    }
    pid_ = pid;
    stdin_fd_ = in_pipe[1];
    stdout_fd_ = out_pipe[0];
    stderr_ = std::make_unique<StderrCollector>(err_pipe[0], command_.on_stderr_line);
    if (stdin_fd_ >= 0) input_sink_ = std::make_unique<InputSink>(*this);
}

ChildProcess::~ChildProcess() {
    abort();
    close_fd(stdin_fd_);
    close_fd(stdout_fd_);
}

common::ByteSink& ChildProcess::input() {
    if (!input_sink_) throw common::Error(command_.failure_kind, command_.tool + " was started without an input pipe");
    return *input_sink_;
}

std::string ChildProcess::input_path() const { return stdin_fd_ >= 0 ? "/dev/fd/" + std::to_string(stdin_fd_) : ""; }

std::string ChildProcess::output_path() const { return stdout_fd_ >= 0 ? "/dev/fd/" + std::to_string(stdout_fd_) : ""; }

void ChildProcess::close_input() {
    if (input_sink_ && stdin_fd_ >= 0) input_sink_->flush();
    close_fd(stdin_fd_);
}

int ChildProcess::wait_for_exit(bool interruptible) {
    int status = 0;
    // Polled rather than blocking, so a Ctrl-C is seen even when it landed
    // outside the system call; the pauses grow to a tenth of a second.
    int pause_ms = 1;
    for (;;) {
        if (interruptible && common::interrupted()) throw common::Error(common::ErrorKind::Interrupted, "interrupted by a signal; " + command_.tool + " stopped");
        pid_t got = ::waitpid(pid_, &status, WNOHANG);
        if (got == pid_) break;
        if (got == 0 || (got < 0 && errno == EINTR)) {
            ::poll(nullptr, 0, pause_ms);
            pause_ms = std::min(pause_ms * 2, 100);
            continue;
        }
        status = 0;
        break; // ECHILD: reaped elsewhere; nothing left to wait for
    }
    pid_ = -1;
    exit_status_ = status;
    if (stderr_) stderr_->join();
    return status;
}

void ChildProcess::finish() {
    close_input();
    if (pid_ > 0) wait_for_exit(true);
    if (exited_cleanly_) return;
    if (!(WIFEXITED(exit_status_) && WEXITSTATUS(exit_status_) == 0)) throw_failure(exit_status_);
}

void ChildProcess::abort() noexcept {
    if (pid_ > 0) {
        // Signal before closing its input: a child that saw a clean end of
        // input could take a half-written archive for a whole one.
        ::kill(pid_, SIGTERM);
        close_fd(stdin_fd_);
        auto deadline = std::chrono::steady_clock::now() + kTermGrace;
        int status = 0;
        bool reaped = false;
        while (std::chrono::steady_clock::now() < deadline) {
            pid_t got = ::waitpid(pid_, &status, WNOHANG);
            if (got == pid_ || (got < 0 && errno != EINTR)) {
                reaped = true;
                break;
            }
            ::poll(nullptr, 0, 20);
        }
        if (!reaped) {
            ::kill(pid_, SIGKILL);
            while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {}
        }
        pid_ = -1;
        exit_status_ = status;
    }
    close_fd(stdin_fd_);
    if (stderr_) stderr_->join();
}

void ChildProcess::throw_if_failed_within(std::chrono::milliseconds grace) {
    auto deadline = std::chrono::steady_clock::now() + grace;
    while (pid_ > 0) {
        int status = 0;
        pid_t got = ::waitpid(pid_, &status, WNOHANG);
        if (got == pid_) {
            pid_ = -1;
            exit_status_ = status;
            if (stderr_) stderr_->join();
            break;
        }
        if (got < 0 && errno != EINTR) return;
        if (std::chrono::steady_clock::now() >= deadline) return;
        ::poll(nullptr, 0, 20);
    }
    if (!exited_cleanly_ && !(WIFEXITED(exit_status_) && WEXITSTATUS(exit_status_) == 0)) throw_failure(exit_status_);
}

std::optional<int> ChildProcess::exit_code() const {
    if (pid_ > 0 || !WIFEXITED(exit_status_)) return std::nullopt;
    return WEXITSTATUS(exit_status_);
}

std::string ChildProcess::stderr_text() const { return stderr_ ? common::mask_secrets(stderr_->text(), command_.secrets).str() : ""; }

void ChildProcess::throw_failure(int status) {
    std::string how = WIFEXITED(status)     ? "exited with status " + std::to_string(WEXITSTATUS(status))
                      : WIFSIGNALED(status) ? "was killed by signal " + std::to_string(WTERMSIG(status))
                                            : "failed";
    const std::string text = stderr_text();
    std::string said = command_.summarise_failure ? command_.summarise_failure(text) : stderr_tail_summary(text);
    throw common::Error(command_.failure_kind, command_.tool + " " + how + (said.empty() ? " and printed nothing" : ": " + said));
}

std::string run_and_capture(ChildCommand command) {
    command.output = ChildCommand::Output::Pipe;
    ChildProcess child(std::move(command));
    std::string out;
    char buffer[65536];
    for (;;) {
        wait_until_ready(child.output_fd(), false, child.command().tool + " stopped");
        ssize_t got = ::read(child.output_fd(), buffer, sizeof buffer);
        if (got > 0) {
            out.append(buffer, static_cast<std::size_t>(got));
            continue;
        }
        if (got < 0 && errno == EINTR) {
            if (common::interrupted()) throw common::Error(common::ErrorKind::Interrupted, "interrupted by a signal; " + child.command().tool + " stopped");
            continue;
        }
        if (got < 0) common::throw_system_error(child.command().tool, "cannot read its output");
        break;
    }
    child.finish();
    return out;
}

} // namespace pgscrub::common
