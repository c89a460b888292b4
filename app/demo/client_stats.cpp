#include "demo/client_stats.hpp"

#include <utility>

#include "faultline/core/assert.hpp"

namespace faultline::demo {

ClientStats::ClientStats(std::size_t phase_count) {
  FAULTLINE_ASSERT(phase_count > 0, "a run has at least one phase");
  totals_.phases.resize(phase_count);
}

void ClientStats::record_call(std::size_t phase, CallOutcome outcome, Duration latency) {
  std::lock_guard lock(mutex_);
  FAULTLINE_ASSERT(phase < totals_.phases.size(), "phase out of range");
  PhaseCounts& in_phase = totals_.phases[phase];
  totals_.calls += 1;
  in_phase.calls += 1;
  switch (outcome) {
    case CallOutcome::success:
      totals_.successes += 1;
      in_phase.successes += 1;
      break;
    case CallOutcome::failure:
      totals_.failures += 1;
      break;
    case CallOutcome::fast_fail:
      totals_.fast_fails += 1;
      in_phase.fast_fails += 1;
      break;
    case CallOutcome::shed:
      totals_.shed += 1;
      return;  // never ran: no latency to speak of
  }
  totals_.latency.record(latency);
  interval_.record(latency);
  FAULTLINE_ASSERT(
      totals_.calls == totals_.successes + totals_.failures + totals_.fast_fails + totals_.shed,
      "every call has exactly one outcome");
}

void ClientStats::record_retry() {
  std::lock_guard lock(mutex_);
  totals_.retries += 1;
}

void ClientStats::record_budget_refusal() {
  std::lock_guard lock(mutex_);
  totals_.budget_refusals += 1;
}

ClientSnapshot ClientStats::snapshot() const {
  std::lock_guard lock(mutex_);
  return totals_;
}

LatencyRecorder ClientStats::take_interval_latency() {
  std::lock_guard lock(mutex_);
  return std::exchange(interval_, LatencyRecorder());
}

}  // namespace faultline::demo
