// ManualClock: a clock that moves only when told to.
//
// Use it in tests and in the simulator: set the time, advance it, and every
// policy reading this clock sees exactly that time. sleep_until() does not
// block: it advances the clock to the deadline (never backwards), so code
// that sleeps between retries runs at full speed and deterministically.
//
//   ManualClock clock;              // starts at an arbitrary fixed epoch
//   clock.advance(std::chrono::seconds(5));
//
// Thread-safety: all members are safe from any thread (an atomic counter).
#pragma once

#include <atomic>
#include <cstdint>

#include "faultline/core/clock.hpp"

namespace faultline {

class ManualClock final : public Clock {
 public:
  // Starts one hour after the epoch, so `now() - 30s` stays a valid time.
  ManualClock() noexcept : ManualClock(TimePoint(std::chrono::hours(1))) {}
  explicit ManualClock(TimePoint start) noexcept : nanos_(start.time_since_epoch().count()) {}

  [[nodiscard]] TimePoint now() const noexcept override {
    return TimePoint(Duration(nanos_.load(std::memory_order_acquire)));
  }

  // Moves time forward to max(now, deadline); returns false without moving
  // if stop was already requested.
  bool sleep_until(TimePoint deadline, std::stop_token stop) const override;

  // Precondition: duration >= 0 (time never goes backwards).
  void advance(Duration duration) noexcept;
  // Precondition: when >= now().
  void set(TimePoint when) noexcept;

 private:
  void advance_to(TimePoint when) const noexcept;
  mutable std::atomic<std::int64_t> nanos_;
};

}  // namespace faultline
