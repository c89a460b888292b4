#include "faultline/resilience/rate_limiter.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "faultline/resilience/config_error.hpp"

namespace faultline::resilience {

Status RateLimiterConfig::validate() const {
  if (!std::isfinite(permits_per_second) || permits_per_second <= 0 || permits_per_second > 1e9) {
    return Status::invalid_argument("rate_limiter.permits_per_second must be in (0, 1e9], got " +
                                    std::to_string(permits_per_second));
  }
  if (burst < 1) return Status::invalid_argument("rate_limiter.burst must be >= 1, got 0");
  if (max_wait < Duration::zero()) {
    return Status::invalid_argument("rate_limiter.max_wait must be >= 0");
  }
  return Status();
}

RateLimiter::RateLimiter(RateLimiterConfig config, const Clock& clock)
    : config_(std::move(config)), clock_(&clock) {
  throw_if_invalid(config_.validate());
  interval_ns_ = std::max<std::int64_t>(1, std::llround(1e9 / config_.permits_per_second));
  tolerance_ns_ = interval_ns_ * static_cast<std::int64_t>(config_.burst);
  // Arrival time in the past: the bucket starts full.
  arrival_ns_.store(std::numeric_limits<std::int64_t>::min() / 2, std::memory_order_relaxed);
}

Result<Duration> RateLimiter::reserve(TimePoint now, Duration max_wait) {
  const std::int64_t now_ns = now.time_since_epoch().count();
  std::int64_t arrival = arrival_ns_.load(std::memory_order_relaxed);
  for (;;) {
    const std::int64_t next_arrival = std::max(arrival, now_ns) + interval_ns_;
    // How long until this permit falls within the burst tolerance.
    const std::int64_t wait_ns = next_arrival - tolerance_ns_ - now_ns;
    if (wait_ns > 0 && Duration(wait_ns) > max_wait) {
      rejected_total_.fetch_add(1, std::memory_order_relaxed);
      events_.publish_lazy([&] {
        return RateLimiterEvent{RateLimiterEvent::Kind::rejected, Duration(wait_ns), config_.name};
      });
      return Status::resource_exhausted("rate limiter '" + config_.name + "' is out of permits")
          .with_reason(kReasonRateLimited)
          .with_retry_after(Duration(wait_ns));
    }
    if (arrival_ns_.compare_exchange_weak(arrival, next_arrival, std::memory_order_relaxed)) {
      permitted_total_.fetch_add(1, std::memory_order_relaxed);
      if (wait_ns <= 0) return Duration::zero();
      waited_total_.fetch_add(1, std::memory_order_relaxed);
      return Duration(wait_ns);
    }
  }
}

RateLimiterMetrics RateLimiter::metrics() const noexcept {
  return RateLimiterMetrics{permitted_total_.load(std::memory_order_relaxed),
                            waited_total_.load(std::memory_order_relaxed),
                            rejected_total_.load(std::memory_order_relaxed)};
}

}  // namespace faultline::resilience
