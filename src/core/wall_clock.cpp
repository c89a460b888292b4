#include "faultline/core/wall_clock.hpp"

#include <thread>

#include "faultline/core/assert.hpp"

namespace faultline {

WallTimePoint SystemWallClock::now() const noexcept {
  return std::chrono::time_point_cast<Duration>(std::chrono::system_clock::now());
}

void SystemWallClock::sleep_for(Duration duration) const {
  if (duration > Duration::zero()) std::this_thread::sleep_for(duration);
}

const SystemWallClock& SystemWallClock::instance() noexcept {
  static const SystemWallClock clock;
  return clock;
}

void ManualWallClock::sleep_for(Duration duration) const {
  // A sleeper on a manual clock is the one who moves it: a waiting HLC then
  // finds the time it waited for instead of blocking a test forever.
  if (duration > Duration::zero()) nanos_.fetch_add(duration.count(), std::memory_order_acq_rel);
}

void ManualWallClock::advance(Duration duration) noexcept {
  FAULTLINE_ASSERT(duration >= Duration::zero(), "advance() takes a non-negative duration");
  nanos_.fetch_add(duration.count(), std::memory_order_acq_rel);
}

void ManualWallClock::step_back(Duration duration) noexcept {
  FAULTLINE_ASSERT(duration >= Duration::zero(), "step_back() takes a non-negative duration");
  nanos_.fetch_sub(duration.count(), std::memory_order_acq_rel);
}

void ManualWallClock::set(WallTimePoint when) noexcept {
  nanos_.store(when.time_since_epoch().count(), std::memory_order_release);
}

}  // namespace faultline
