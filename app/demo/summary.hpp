// Summary: the demo's closing report, bare client against protected client.
//
// A side-by-side table (success rate, latency percentiles, failures,
// fast-fails, retries, requests that reached the server, time callers spent
// waiting), a per-phase table showing where the difference came from, and
// a few sentences that read the numbers out loud. The sentences are built
// from the figures, so they stay true whatever the seed or duration did.
//
//   print_summary(std::cout, report, style);
//
// Thread-safety: pure output; call from one thread.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "demo/client_stats.hpp"
#include "demo/text_format.hpp"

namespace faultline::demo {

struct ClientReport {
  std::string name;
  ClientSnapshot totals;
  std::uint64_t server_requests = 0;
  std::vector<std::uint64_t> server_requests_per_phase;  // one per phase
};

struct RunReport {
  std::vector<std::string> phase_names;
  ClientReport bare;
  ClientReport protected_client;
  Duration run_length{};            // how long the load ran (shorter when interrupted)
  Duration breaker_wait_in_open{};  // how long the breaker waits before probing
  std::uint64_t seed = 0;
  bool interrupted = false;  // stopped early by Ctrl-C
};

void print_summary(std::ostream& out, const RunReport& report, TextStyle style);

// The closing sentences alone (tested, and printed by print_summary).
[[nodiscard]] std::vector<std::string> explain(const RunReport& report);

}  // namespace faultline::demo
