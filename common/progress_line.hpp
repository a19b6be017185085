#pragma once
// One line on a terminal, rewritten in place while a long run goes (scrub's
// tables, media sync's objects) and cleared before the run's summary.
//
// It writes only when enabled: the CLI enables it when stderr is a terminal,
// so logs and pipes never receive carriage returns or escape sequences. The
// text is whatever the caller formats; keep it short enough for one line
// (a wrapped line cannot be rewritten). Safe to use from several threads.

#include <cstdint>
#include <cstdio>
#include <mutex>
#include <string>
#include <string_view>

namespace pgscrub::common {

class ProgressLine {
public:
    explicit ProgressLine(bool enabled, std::FILE* out = stderr) : enabled_(enabled), out_(out) {}
    ~ProgressLine() { clear(); }
    ProgressLine(const ProgressLine&) = delete;
    ProgressLine& operator=(const ProgressLine&) = delete;

    bool enabled() const { return enabled_; }
    // Replaces the line with `text`.
    void show(std::string_view text);
    // Removes the line, so that what follows starts on a clean one.
    void clear();

private:
    const bool enabled_;
    std::FILE* const out_;
    std::mutex mutex_;
    bool shown_ = false;
};

// A byte count in decimal units with one decimal: "512 B", "12.3 MB", "1.2 GB".
std::string format_bytes(std::uint64_t bytes);

} // namespace pgscrub::common
