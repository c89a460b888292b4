// `faultline trace w3c-service --port N` runs the W3C Trace Context
// conformance service (examples/w3c_service/) until Ctrl-C.
//
// `faultline trace show FILE`: reads a file the tracing module's file
// exporter wrote (OTLP/JSON, one export per line) and prints each trace
// as an indented waterfall with durations (see waterfall.hpp), so a person
// can read a trace without running a tracing backend.
//
// Exit codes: 0 printed, 2 bad input or usage (a malformed line is
// reported as FILE: line N: what is wrong).
//
//   Command trace = add_trace_command(app);
//
// Thread-safety: used from main's thread only.
#pragma once

#include <iosfwd>
#include <string>

#include "demo/demo_command.hpp"

namespace faultline::app {

inline constexpr int kTraceExitOk = 0;
inline constexpr int kTraceExitBadInput = 2;

// The command's action, apart from CLI parsing so tests can call it.
[[nodiscard]] int run_trace_show(const std::string& file, std::ostream& out, std::ostream& err);

Command add_trace_command(CLI::App& app);

}  // namespace faultline::app
