#pragma once
// Errors raised while reading or writing a pg_dump archive.
//
// Every error names where it happened (file, byte offset, TOC entry) so the
// one-line message a user sees says what was expected and where; the CLI maps
// these to exit code 3.

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace pgscrub::dump {

struct ErrorLocation {
    std::string file;                    // path, "-" for stdin/stdout
    std::optional<std::uint64_t> offset; // byte offset in that file
    std::optional<int> dump_id;          // TOC entry, when one is involved
    std::string entry_name;              // e.g. "TABLE DATA public.users"
};

class ArchiveError : public std::runtime_error {
public:
    ArchiveError(std::string what, ErrorLocation where = {})
        : std::runtime_error(std::move(what)), location_(std::move(where)) {}

    const ErrorLocation& location() const noexcept { return location_; }
    ErrorLocation& location() noexcept { return location_; }

    // "FILE: offset N: TOC entry 42 (TABLE DATA public.users): <what>"
    std::string describe() const;

private:
    ErrorLocation location_;
};

// Text from an archive, which may be corrupt (read from the wrong place, it
// is table data), as a message may show it: one line, control characters
// and bytes that are not UTF-8 escaped (\xNN), cut at `max_bytes`.
std::string printable_archive_text(std::string_view text, std::size_t max_bytes = 96);

// Adds the location fields an inner layer did not know (the file name, the
// entry being processed) to an error on its way up, keeping what it has.
[[noreturn]] void rethrow_with(const ArchiveError& error, const ErrorLocation& outer);

} // namespace pgscrub::dump
