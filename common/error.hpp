#pragma once
// One error type for the whole program, with a kind that decides the exit
// code, a location (file, byte offset, TOC entry), and context frames added
// on the way up ("step restore", "table public.users").
//
// Every layer throws common::Error or a subclass that fixes its kind
// (dump::ArchiveError: input; db::DatabaseError: database; RulesError:
// rules). The CLI maps kinds to exit codes through error_kinds(), the one
// table `pgscrub --help`, docs/commands.md and `pgscrub run` agree on; what
// escapes as anything else is a bug, which main() reports as an internal
// error with its own exit code instead of aborting.
//
// Messages never quote personal values: they say what is wrong and where.
// Text read from input goes through printable_text() before it is shown.
// An address or URL is named only in the form the masker made
// (common::ShownText): the constructors that take one are the way in.

#include "common/secret_masking.hpp"

#include <cstdint>
#include <exception>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace pgscrub::common {

enum class ErrorKind {
    Usage,       // a wrong command line
    Rules,       // a wrong rules file or run file
    Refused,     // a guardrail said no: nothing was touched
    Input,       // a corrupt, truncated or unreadable dump or input file
    Output,      // an output that cannot be written (full disk, no permission)
    Database,    // a database that cannot be reached or fails a statement
    Network,     // an HTTP server or Redis that fails, stalls or refuses
    Interrupted, // Ctrl-C, SIGTERM, SIGHUP
    Internal,    // a bug in pgscrub
};

// The exit code of each kind: the one table. The codes are part of the fixed
// command line (0 success, 1 problems found, 2 usage or rules, 3 input,
// output or database); 4 was added for internal errors, which used to abort.
constexpr int exit_code(ErrorKind kind) {
    switch (kind) {
    case ErrorKind::Usage:
    case ErrorKind::Rules:
    case ErrorKind::Refused: return 2;
    case ErrorKind::Input:
    case ErrorKind::Output:
    case ErrorKind::Database:
    case ErrorKind::Network:
    case ErrorKind::Interrupted: return 3;
    case ErrorKind::Internal: return 4;
    }
    return 4;
}

struct ErrorKindInfo {
    ErrorKind kind;
    const char* name;
    const char* meaning; // for docs and --help
    int exit_code() const { return common::exit_code(kind); }
};

// Every kind once, in enum order.
std::span<const ErrorKindInfo> error_kinds();
const ErrorKindInfo& error_kind_info(ErrorKind kind);

// Where an error happened, as far as the layer that throws knows it; outer
// layers add what they know (rethrow_with).
struct ErrorLocation {
    std::string file;                    // path, "-" for stdin/stdout, a URL or address as shown (at())
    std::optional<std::uint64_t> offset; // byte offset in that file
    std::optional<int> dump_id;          // TOC entry, when one is involved
    std::string entry_name;              // e.g. "TABLE DATA public.users"

    // A database, server or URL, named as the masker shows it.
    static ErrorLocation at(const ShownText& where) { return ErrorLocation{where.str(), {}, {}, {}}; }
};

class Error : public std::runtime_error {
public:
    Error(ErrorKind kind, std::string what, ErrorLocation where = {})
        : std::runtime_error(std::move(what)), kind_(kind), location_(std::move(where)) {}
    // An error at a database, server or URL: only its shown form is accepted.
    Error(ErrorKind kind, std::string what, const ShownText& where)
        : Error(kind, std::move(what), ErrorLocation::at(where)) {}

    ErrorKind kind() const noexcept { return kind_; }
    const ErrorLocation& location() const noexcept { return location_; }
    ErrorLocation& location() noexcept { return location_; }

    // Context frames, outermost first ("step restore").
    const std::vector<std::string>& context() const noexcept { return context_; }
    void add_context(std::string frame) { context_.insert(context_.begin(), std::move(frame)); }

    // "FRAME: FILE: offset N: TOC entry 42 (TABLE DATA public.users): <what>"
    std::string describe() const;

private:
    ErrorKind kind_;
    ErrorLocation location_;
    std::vector<std::string> context_;
};

// Text from input that may be corrupt (read from the wrong place, it is
// table data), as a message may show it: one line, control characters and
// bytes that are not UTF-8 escaped (\xNN), cut at `max_bytes`.
std::string printable_text(std::string_view text, std::size_t max_bytes = 96);

// Adds the location fields an inner layer did not know (the file name, the
// entry being processed) to an error on its way up, keeping what it has, and
// rethrows it as it is (its type kept). An offset belongs to its file: an
// error about another file gets none. Call it in the handler that caught
// `error`.
[[noreturn]] void rethrow_with(Error& error, const ErrorLocation& outer);

// What a command that failed prints and how it exits, for any exception: a
// common::Error by its kind and describe(); std::bad_alloc as "out of
// memory" (exit 3); anything else as an internal error (exit 4) rather than
// an abort. `lines` are printed one per line, each already prefixed by the
// caller's "pgscrub COMMAND: " when `prefix` is given. Subclasses that print
// several lines (rules diagnostics) are handled by the caller first.
struct Failure {
    int exit_code = 0;
    std::vector<std::string> lines;
};
Failure describe_failure(std::exception_ptr failure, const std::string& prefix);

// Runs `body`; a common::Error leaving it gets `frame` as its outermost
// context so far.
template <class Body>
decltype(auto) with_context(std::string frame, Body&& body) {
    try {
        return body();
    } catch (Error& error) {
        error.add_context(std::move(frame));
        throw;
    }
}

} // namespace pgscrub::common
