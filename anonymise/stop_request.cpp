#include "anonymise/stop_request.hpp"

#include <atomic>
#include <string>

namespace pgscrub::anonymise {

namespace {
std::atomic<StopSignalSource> stop_signal_source{nullptr};
} // namespace

StopRequested::StopRequested(int signal_number)
    : std::runtime_error("interrupted by signal " + std::to_string(signal_number) + "; partial output removed"),
      signal_number_(signal_number) {}

void set_stop_signal_source(StopSignalSource source) noexcept { stop_signal_source.store(source, std::memory_order_relaxed); }

int pending_stop_signal() noexcept {
    StopSignalSource source = stop_signal_source.load(std::memory_order_relaxed);
    return source ? source() : 0;
}

void stop_point() {
    if (int signal_number = pending_stop_signal()) throw StopRequested(signal_number);
}

} // namespace pgscrub::anonymise
