// The terminal progress line: writes nothing unless enabled (a pipe or a log
// never sees escape sequences), rewrites one line in place, and leaves the
// line blank when cleared; byte counts read the same everywhere.

#include "common/progress_line.hpp"

#include <catch2/catch.hpp>

#include <cstdio>
#include <memory>

using namespace pgscrub::common;

namespace {

// What was written to `file` so far.
std::string contents(std::FILE* file) {
    std::fflush(file);
    std::rewind(file);
    std::string text;
    char buffer[256];
    std::size_t n;
    while ((n = std::fread(buffer, 1, sizeof buffer, file)) > 0) text.append(buffer, n);
    return text;
}

} // namespace

TEST_CASE("progress line: disabled, it writes nothing", "[progress]") {
    std::unique_ptr<std::FILE, decltype(&std::fclose)> file(std::tmpfile(), &std::fclose);
    {
        ProgressLine line(false, file.get());
        line.show("pgscrub: 1/2");
        line.clear();
    }
    CHECK(contents(file.get()).empty());
}

TEST_CASE("progress line: each text replaces the last, and the line is cleared at the end", "[progress]") {
    std::unique_ptr<std::FILE, decltype(&std::fclose)> file(std::tmpfile(), &std::fclose);
    {
        ProgressLine line(true, file.get());
        line.show("a longer first line");
        line.show("short");
    }
    CHECK(contents(file.get()) == "\r\033[Ka longer first line\r\033[Kshort\r\033[K");
}

TEST_CASE("progress line: nothing shown, nothing to clear", "[progress]") {
    std::unique_ptr<std::FILE, decltype(&std::fclose)> file(std::tmpfile(), &std::fclose);
    { ProgressLine line(true, file.get()); }
    CHECK(contents(file.get()).empty());
}

TEST_CASE("format_bytes: decimal units, one decimal, never 1000.0 of a unit", "[progress]") {
    CHECK(format_bytes(0) == "0 B");
    CHECK(format_bytes(999) == "999 B");
    CHECK(format_bytes(1000) == "1.0 kB");
    CHECK(format_bytes(1234567) == "1.2 MB");
    CHECK(format_bytes(999949) == "999.9 kB");
    CHECK(format_bytes(999950) == "1.0 MB");
    CHECK(format_bytes(5'000'000'000) == "5.0 GB");
    CHECK(format_bytes(UINT64_MAX) == "18.4 EB");
}
