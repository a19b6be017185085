#pragma once
// Ctrl-C, SIGTERM and SIGHUP: noticed, not fatal, so a run unwinds normally
// and removes its partial output instead of leaving it behind.
//
// The handlers only record the signal. Blocking reads and writes return
// EINTR (no SA_RESTART) and the streams then throw; loops that do no I/O for
// a while (the detectors on a 50 MB value, the --verify explorer, a large
// rules file, the ICU grapheme walk) call stop_point() between steps, so a
// run stops within a second wherever its time goes.

#include "common/error.hpp"

#include <string>

namespace pgscrub::common {

void install_interrupt_handlers();

// The number of the signal that interrupted the run, 0 when none has.
int pending_interrupt() noexcept;
inline bool interrupted() noexcept { return pending_interrupt() != 0; }

// Throws Error(Interrupted, "interrupted by signal N; partial output
// removed") naming `where` (a file, or "" when the caller adds it) once a
// signal came.
void throw_if_interrupted(const std::string& where);

// throw_if_interrupted("") for code that does not know a file: one relaxed
// load when no signal came, cheap enough for every match of a detector.
inline void stop_point() {
    if (pending_interrupt() != 0) throw_if_interrupted("");
}

// For tests: behave as if `signal_number` had arrived (0: as if none had).
void simulate_interrupt(int signal_number) noexcept;

} // namespace pgscrub::common
