#include "common/interrupts.hpp"

#include <csignal>

namespace pgscrub::common {

namespace {

volatile std::sig_atomic_t interrupt_signal = 0;

extern "C" void note_interrupt(int signal_number) { interrupt_signal = signal_number; }

} // namespace

void install_interrupt_handlers() {
    struct sigaction action {};
    action.sa_handler = note_interrupt;
    sigemptyset(&action.sa_mask);
    action.sa_flags = 0; // no SA_RESTART: blocking read/write return EINTR
    for (int s : {SIGINT, SIGTERM, SIGHUP}) ::sigaction(s, &action, nullptr);
}

int pending_interrupt() noexcept { return interrupt_signal; }

void throw_if_interrupted(const std::string& where) {
    if (const int signal_number = interrupt_signal; signal_number != 0) {
        throw Error(ErrorKind::Interrupted,
                    "interrupted by signal " + std::to_string(signal_number) + "; partial output removed",
                    ErrorLocation{where, {}, {}, {}});
    }
}

void simulate_interrupt(int signal_number) noexcept { interrupt_signal = signal_number; }

} // namespace pgscrub::common
