#include "faultline/resilience/backoff.hpp"

#include <algorithm>
#include <cmath>
#include <string>

namespace faultline::resilience {

std::string_view jitter_name(Jitter jitter) noexcept {
  switch (jitter) {
    case Jitter::none: return "none";
    case Jitter::full: return "full";
    case Jitter::equal: return "equal";
    case Jitter::decorrelated: return "decorrelated";
  }
  return "invalid";
}

Backoff Backoff::constant(Duration delay) noexcept {
  return Backoff(BackoffKind::constant, delay, Duration::zero(), 1.0);
}

Backoff Backoff::linear(Duration initial, Duration increment) noexcept {
  return Backoff(BackoffKind::linear, initial, increment, 1.0);
}

Backoff Backoff::exponential(Duration initial, double multiplier) noexcept {
  return Backoff(BackoffKind::exponential, initial, Duration::zero(), multiplier);
}

Backoff Backoff::with_jitter(Jitter jitter) const noexcept {
  Backoff copy = *this;
  copy.jitter_ = jitter;
  return copy;
}

Backoff Backoff::with_max_delay(Duration max_delay) const noexcept {
  Backoff copy = *this;
  copy.max_delay_ = max_delay;
  return copy;
}

namespace {
std::string millis(Duration d) {
  return std::to_string(std::chrono::duration<double, std::milli>(d).count()) + " ms";
}
}  // namespace

Status Backoff::validate() const {
  if (initial_ < Duration::zero()) {
    return Status::invalid_argument("backoff.initial_delay must be >= 0, got " + millis(initial_));
  }
  if (increment_ < Duration::zero()) {
    return Status::invalid_argument("backoff.increment must be >= 0, got " + millis(increment_));
  }
  if (!std::isfinite(multiplier_) || multiplier_ < 1.0) {
    return Status::invalid_argument("backoff.multiplier must be finite and >= 1, got " +
                                    std::to_string(multiplier_));
  }
  if (max_delay_ < initial_) {
    return Status::invalid_argument("backoff.max_delay (" + millis(max_delay_) +
                                    ") must be >= initial_delay (" + millis(initial_) + ")");
  }
  return Status();
}

Duration Backoff::base_delay(std::uint32_t retry) const noexcept {
  const std::uint32_t steps = retry == 0 ? 0 : retry - 1;
  // Computed in double so large retry numbers saturate at the cap instead of
  // overflowing 64-bit nanoseconds.
  double nanos = static_cast<double>(initial_.count());
  switch (kind_) {
    case BackoffKind::constant:
      break;
    case BackoffKind::linear:
      nanos += static_cast<double>(increment_.count()) * steps;
      break;
    case BackoffKind::exponential:
      nanos *= std::pow(multiplier_, static_cast<double>(steps));
      break;
  }
  const auto cap = static_cast<double>(max_delay_.count());
  if (!(nanos < cap)) return max_delay_;
  return Duration(static_cast<Duration::rep>(nanos));
}

Duration Backoff::decorrelated(Duration previous, double unit) const noexcept {
  // "Decorrelated jitter": sleep = min(cap, uniform(base, 3 x previous)).
  const double low = static_cast<double>(initial_.count());
  const double high = std::max(low, 3.0 * static_cast<double>(std::max(previous, initial_).count()));
  const double nanos = low + unit * (high - low);
  const auto cap = static_cast<double>(max_delay_.count());
  if (!(nanos < cap)) return max_delay_;
  return Duration(static_cast<Duration::rep>(nanos));
}

}  // namespace faultline::resilience
