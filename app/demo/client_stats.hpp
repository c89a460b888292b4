// ClientStats: what one demo client saw, call by call.
//
// Each finished call is recorded once with its outcome and latency (from the
// moment the load generator scheduled it, so time spent queued for a worker
// counts: an open-loop load must not hide its own backlog). Retries and
// budget refusals are counted as the retry policy reports them. The live
// view reads a snapshot each second plus the latencies of that second; the
// summary reads the totals and the per-phase counts.
//
//   ClientStats stats(schedule.phases().size());
//   stats.record_call(phase, CallOutcome::success, latency);
//   ClientSnapshot now = stats.snapshot();
//
// Thread-safety: every member is safe from any thread (one mutex; a record
// is a few additions under it).
#pragma once

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <vector>

#include "demo/latency_recorder.hpp"

namespace faultline::demo {

enum class CallOutcome {
  success,
  failure,    // the call ran and failed (error answer, reset, timeout)
  fast_fail,  // refused at once without touching the network (open breaker, concurrency limit)
  shed,       // never started: every worker was busy and the queue full
};

struct PhaseCounts {
  std::uint64_t calls = 0;  // every outcome, shed included
  std::uint64_t successes = 0;
  std::uint64_t fast_fails = 0;
};

struct ClientSnapshot {
  std::uint64_t calls = 0;  // every outcome, shed included
  std::uint64_t successes = 0;
  std::uint64_t failures = 0;
  std::uint64_t fast_fails = 0;
  std::uint64_t shed = 0;
  std::uint64_t retries = 0;          // extra attempts the retry policy made
  std::uint64_t budget_refusals = 0;  // retries the budget forbade
  LatencyRecorder latency;            // of every call that started (not shed)
  std::vector<PhaseCounts> phases;
};

class ClientStats {
 public:
  explicit ClientStats(std::size_t phase_count);

  // Precondition: phase < phase_count.
  void record_call(std::size_t phase, CallOutcome outcome, Duration latency);
  void record_retry();
  void record_budget_refusal();

  [[nodiscard]] ClientSnapshot snapshot() const;
  // The latencies recorded since the previous call (the live view's second).
  [[nodiscard]] LatencyRecorder take_interval_latency();

 private:
  mutable std::mutex mutex_;
  ClientSnapshot totals_;
  LatencyRecorder interval_;
};

}  // namespace faultline::demo
