// Running the W3C conformance service in the foreground until Ctrl-C (or
// SIGTERM): what the example program and `faultline trace w3c-service`
// both do.
//
// Prints the URL to point the suite at, e.g.
//   python3 test/test.py http://127.0.0.1:5000/test
// Returns 0 after a signal, 1 if the service could not start.
//
// Thread-safety: call from the main thread, before starting other threads
// (it blocks SIGINT and SIGTERM so that only sigwait() sees them).
#pragma once

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>

namespace faultline::examples {

struct W3cServiceRunOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 5000;
  // Seeds span ids; unset: derived from the wall clock.
  std::optional<std::uint64_t> seed = {};
  // Empty: spans are not kept.
  std::string trace_file = {};
};

int run_w3c_service(const W3cServiceRunOptions& options, std::ostream& out, std::ostream& err);

}  // namespace faultline::examples
