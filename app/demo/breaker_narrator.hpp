// BreakerNarrator: a circuit breaker's transitions told as live-view notes.
//
// Each transition becomes one stamped line that says why it happened
// ("closed -> open  (65% of the last 40 attempts failed; failing fast for
// 1.00 s)"). A probe round, open -> half_open followed within a moment by
// the probes' verdict, is folded into one line ("open -> half_open -> open
// (probes failed in 41 ms; probing again every 500 ms)"), and while the
// rounds keep failing only the first is told: an outage reads as a few
// lines, and the closing line says how many rounds failed. A half_open
// whose verdict is slow to come is printed on its own by poll().
//
//   breaker.events().subscribe([&](const CircuitBreakerEvent& e) { narrator.on_event(e); });
//   narrator.poll(clock.now());   // from the view thread, a few times a second
//
// Thread-safety: on_event() is safe from any thread (listeners run on the
// calling workers); poll() from any thread too. One mutex, held briefly.
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>

#include "demo/live_view.hpp"
#include "demo/protected_client.hpp"
#include "faultline/resilience/circuit_breaker.hpp"

namespace faultline::demo {

class BreakerNarrator {
 public:
  // A half_open without a verdict after this long gets a line of its own.
  static constexpr Duration kVerdictWait = std::chrono::milliseconds(300);

  // `view` must outlive the narrator; `origin` is the run's time zero.
  BreakerNarrator(LiveView& view, std::string client_name, const ProtectedClientConfig& config,
                  TimePoint origin);

  void on_event(const resilience::CircuitBreakerEvent& event);
  void poll(TimePoint now);

 private:
  [[nodiscard]] std::string reason(resilience::CircuitState from,
                                   resilience::CircuitState to) const;
  void post(TimePoint at, const std::string& states, resilience::CircuitState to,
            const std::string& why);
  void narrate_probe_round(const resilience::CircuitBreakerEvent& event);

  LiveView& view_;
  const std::string client_name_;
  const ProtectedClientConfig config_;
  const TimePoint origin_;

  std::mutex mutex_;
  // The failure rate of the latest trip, published just before it.
  double trip_failure_rate_percent_ = 0;
  // When the breaker went half-open, while that line is held back.
  std::optional<TimePoint> half_open_at_;
  // Probe rounds that failed since the breaker last closed.
  std::uint32_t failed_rounds_in_a_row_ = 0;
};

}  // namespace faultline::demo
