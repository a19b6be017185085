#pragma once
// Stopping long work inside one value when the user asks to (Ctrl-C,
// SIGTERM). A single field can be 50 MB: the detectors, redact, mask and the
// explorer behind `scan` and `--verify` then spend seconds on it without any
// I/O, where the signal is otherwise noticed. They call stop_point() between
// steps (every match, every piece, every 64 KiB), so a run stops within a
// fraction of a second wherever its time goes.
//
// The signal flag lives with the signal handlers in dump/ (byte_stream.hpp),
// which this layer does not see; the program connects the two once, with
// set_stop_signal_source(). Until then stop_point() never stops.

#include <stdexcept>

namespace pgscrub::anonymise {

// Thrown by stop_point(). Deliberately not a TransformError: nothing that
// handles a bad value may mistake it for one.
class StopRequested : public std::runtime_error {
public:
    explicit StopRequested(int signal_number);
    int signal_number() const { return signal_number_; }

private:
    int signal_number_;
};

// Returns the number of the signal that asks to stop, 0 when none has.
using StopSignalSource = int (*)() noexcept;

// Installs the source stop_point() asks; nullptr to stop asking.
void set_stop_signal_source(StopSignalSource source) noexcept;

// The signal that asks to stop, 0 when none has (or no source is installed):
// for loops that must clean up before throwing.
int pending_stop_signal() noexcept;

// Throws StopRequested when a stop was asked for. Cheap enough for every
// match of a detector: one relaxed atomic load and an indirect call.
void stop_point();

} // namespace pgscrub::anonymise
