// Summary: the demo's closing report, bare client against protected client.
//
// A side-by-side table (success rate, latency percentiles, failures,
// fast-fails, retries, requests that reached the server, time callers spent
// waiting), a per-phase table showing where the difference came from, and
// a few sentences that read the numbers out loud. When the run had the
// capacity lanes, a second table compares the static and the adaptive
// concurrency limit before, during and after the service's capacity drop. The sentences are built
// from the figures, so they stay true whatever the seed or duration did.
//
//   print_summary(std::cout, report, style);
//
// Thread-safety: pure output; call from one thread.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
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

// One capacity lane during one stretch of the run (CapacityPlan::Segment).
struct CapacityLaneSegment {
  std::uint64_t calls = 0;
  std::uint64_t successes = 0;
  std::uint64_t refused = 0;  // rejected at once by the concurrency limit
  Duration p99{};             // of the calls that were sent
};

struct CapacityLaneReport {
  std::string name;
  std::array<CapacityLaneSegment, 3> segments{};  // before, during, after the drop
};

struct CapacityReport {
  std::size_t normal = 0;  // the service's workers per client
  std::size_t reduced = 0;
  double demand = 0;  // workers the load keeps busy
  Duration service_time{};
  Duration drop_at{};
  Duration restore_at{};
  std::uint32_t static_limit = 0;
  std::string algorithm;  // of the adaptive lane ("gradient")
  std::uint32_t limit_before_drop = 0;
  std::uint32_t limit_lowest_while_dropped = 0;
  std::uint32_t limit_at_end = 0;
  CapacityLaneReport static_lane;
  CapacityLaneReport adaptive_lane;
};

struct RunReport {
  std::vector<std::string> phase_names;
  ClientReport bare;
  ClientReport protected_client;
  Duration run_length{};            // how long the load ran (shorter when interrupted)
  Duration breaker_wait_in_open{};  // how long the breaker waits before probing
  std::uint64_t seed = 0;
  bool interrupted = false;  // stopped early by Ctrl-C
  std::optional<CapacityReport> capacity = {};
};

void print_summary(std::ostream& out, const RunReport& report, TextStyle style);

// The closing sentences alone (tested, and printed by print_summary).
[[nodiscard]] std::vector<std::string> explain(const RunReport& report);
// The capacity table's closing sentence (tested, and printed by print_summary).
[[nodiscard]] std::string explain_capacity(const CapacityReport& report);

}  // namespace faultline::demo
