#include <condition_variable>
#include <mutex>

#include "faultline/core/assert.hpp"
#include "faultline/core/clock.hpp"
#include "faultline/core/manual_clock.hpp"

namespace faultline {

TimePoint SteadyClock::now() const noexcept {
  return std::chrono::time_point_cast<Duration>(std::chrono::steady_clock::now());
}

bool SteadyClock::sleep_until(TimePoint deadline, std::stop_token stop) const {
  // condition_variable_any wakes on request_stop(), so a cancelled sleeper
  // returns at once instead of finishing its backoff.
  std::mutex mutex;
  std::condition_variable_any wake;
  std::unique_lock lock(mutex);
  return !wake.wait_until(lock, stop, deadline, [] { return false; }) && !stop.stop_requested();
}

const SteadyClock& SteadyClock::instance() noexcept {
  static const SteadyClock clock;
  return clock;
}

bool ManualClock::sleep_until(TimePoint deadline, std::stop_token stop) const {
  if (stop.stop_requested()) return false;
  advance_to(deadline);
  return true;
}

void ManualClock::advance(Duration duration) noexcept {
  FAULTLINE_ASSERT(duration >= Duration::zero(), "ManualClock cannot go backwards");
  nanos_.fetch_add(duration.count(), std::memory_order_acq_rel);
}

void ManualClock::set(TimePoint when) noexcept {
  FAULTLINE_ASSERT(when >= now(), "ManualClock cannot go backwards");
  advance_to(when);
}

void ManualClock::advance_to(TimePoint when) const noexcept {
  std::int64_t current = nanos_.load(std::memory_order_acquire);
  const std::int64_t target = when.time_since_epoch().count();
  while (current < target &&
         !nanos_.compare_exchange_weak(current, target, std::memory_order_acq_rel)) {
  }
}

}  // namespace faultline
