// FaultSchedule: when and how the demo's flaky service misbehaves.
//
// A schedule is a table of phases ("healthy", "errors", "latency spikes",
// "outage", "recovery"), each with a FaultProfile: base latency, the share of
// requests answered 503 (some with Retry-After), slow and hung responses,
// dropped connections. decide() turns (time since start, request id, attempt)
// into one FaultDecision. Everything is derived from the seed through
// faultline::Random, so the same seed gives the same phase table and the same
// decision for the same request, on every machine and standard library.
//
// Decisions are keyed by the request id the client sends and the attempt
// number, not by arrival order: request #17 of the bare client and the first
// attempt of request #17 of the protected client meet the same fault. That
// keeps the side-by-side comparison fair even though both clients race.
//
//   FaultSchedule schedule = FaultSchedule::standard(/*seed=*/7, 30s);
//   FaultDecision d = schedule.decide(elapsed, request_id, attempt);
//
// Thread-safety: immutable after construction; safe from any thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "faultline/core/clock.hpp"

namespace faultline::demo {

// How the service behaves during one phase. Rates are probabilities per
// request in [0, 1] and are drawn in the order listed: a request that is
// reset is not also answered 503.
struct FaultProfile {
  Duration latency_min{};  // every answer waits at least this long
  Duration latency_max{};
  double reset_rate = 0;        // connection dropped with a TCP reset, no answer
  double garbage_rate = 0;      // answers bytes that are not HTTP
  double truncate_rate = 0;     // sends headers, then closes mid-body
  double error_rate = 0;        // answers 503 Service Unavailable
  double retry_after_rate = 0;  // share of those 503s that carry Retry-After
  int retry_after_seconds = 1;
  double spike_rate = 0;  // answers slowly, after spike_min..spike_max
  Duration spike_min{};
  Duration spike_max{};
  double hang_rate = 0;  // answers after `hang`, longer than any sane timeout
  Duration hang{};
};

struct Phase {
  std::string name;         // short, shown in the live view ("outage")
  std::string description;  // one sentence for the intro
  Duration start{};         // since the service started; phases tile [0, total)
  Duration end{};
  FaultProfile profile;
};

enum class FaultKind { none, http_error, reset, garbage, truncated };

struct FaultDecision {
  FaultKind kind = FaultKind::none;
  int http_status = 200;
  std::optional<int> retry_after_seconds;  // set only with http_error
  Duration delay{};                        // before answering (or resetting)
  std::size_t phase_index = 0;
};

class FaultSchedule {
 public:
  // Bounds on the standard schedule's length (the demo's --duration).
  static constexpr Duration kTotalMin = std::chrono::seconds(5);
  static constexpr Duration kTotalMax = std::chrono::seconds(60);

  // The demo's five phases, scaled to `total` (kTotalMin..kTotalMax), with
  // boundaries nudged by the seed so different seeds give different runs.
  [[nodiscard]] static FaultSchedule standard(std::uint64_t seed, Duration total);

  // A custom table (tests). Preconditions: at least one phase; phases are
  // contiguous from zero, each with start < end; rates within [0, 1].
  FaultSchedule(std::uint64_t seed, std::vector<Phase> phases);

  [[nodiscard]] std::uint64_t seed() const noexcept { return seed_; }
  [[nodiscard]] std::span<const Phase> phases() const noexcept { return phases_; }
  [[nodiscard]] Duration total() const noexcept { return phases_.back().end; }

  // The phase in force `elapsed` after start; the last phase once past the
  // end (the service keeps its last behaviour while clients drain).
  [[nodiscard]] std::size_t phase_index_at(Duration elapsed) const noexcept;
  [[nodiscard]] const Phase& phase_at(Duration elapsed) const noexcept {
    return phases_[phase_index_at(elapsed)];
  }

  // The fault for attempt `attempt` (1-based) of request `request_id`
  // arriving `elapsed` after start. Pure: same inputs, same answer.
  [[nodiscard]] FaultDecision decide(Duration elapsed, std::uint64_t request_id,
                                     std::uint32_t attempt) const noexcept;

 private:
  std::uint64_t seed_;
  std::vector<Phase> phases_;
};

}  // namespace faultline::demo
