// Clock: the one way Faultline code learns the time.
//
// Nothing in Faultline reads std::chrono::*::now() except SteadyClock below.
// Policies, detectors and timers take a `const Clock&`, so tests and the
// simulator drive them with a ManualClock (manual_clock.hpp) and never sleep.
//
// A Clock also knows how to wait: sleep_until() blocks the calling thread on
// the real clock, and on a manual clock moves time forward instead, which is
// what makes a retry loop with backoff run instantly and deterministically
// in a test.
//
// Thread-safety: every Clock is safe to call from any thread.
#pragma once

#include <chrono>
#include <stop_token>

namespace faultline {

// Durations carry their unit in the type; nanoseconds is the common one.
using Duration = std::chrono::nanoseconds;
using TimePoint = std::chrono::time_point<std::chrono::steady_clock, Duration>;

class Clock {
 public:
  virtual ~Clock() = default;

  // Monotonic time: never goes backwards.
  [[nodiscard]] virtual TimePoint now() const noexcept = 0;

  // Waits until `deadline` or until `stop` is requested, whichever comes
  // first. Returns false if it returned early because of `stop`.
  virtual bool sleep_until(TimePoint deadline, std::stop_token stop) const = 0;

  bool sleep_for(Duration duration, std::stop_token stop) const {
    return sleep_until(now() + duration, std::move(stop));
  }
};

// The real monotonic clock (std::chrono::steady_clock).
class SteadyClock final : public Clock {
 public:
  [[nodiscard]] TimePoint now() const noexcept override;
  bool sleep_until(TimePoint deadline, std::stop_token stop) const override;

  // A process-wide instance, for callers that do not inject a clock.
  static const SteadyClock& instance() noexcept;
};

}  // namespace faultline
