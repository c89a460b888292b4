#include "faultline/tracing/rate_limiting_sampler.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace faultline::tracing {

Result<std::unique_ptr<RateLimitingSampler>> RateLimitingSampler::create(RateLimitingSamplerConfig config,
                                                                         const Clock& clock) {
  if (!(config.spans_per_second > 0 && config.spans_per_second <= 1e9)) {
    return Status::invalid_argument("rate-limiting sampler: spans_per_second must be in (0, 1e9], got " +
                                    std::to_string(config.spans_per_second));
  }
  if (config.burst == 0) return Status::invalid_argument("rate-limiting sampler: burst must be at least 1");
  return std::unique_ptr<RateLimitingSampler>(new RateLimitingSampler(config, clock));
}

RateLimitingSampler::RateLimitingSampler(RateLimitingSamplerConfig config, const Clock& clock) noexcept
    : config_(config),
      clock_(clock),
      interval_ns_(std::max<std::int64_t>(1, std::llround(1e9 / config.spans_per_second))),
      tolerance_ns_(interval_ns_ * static_cast<std::int64_t>(config.burst - 1)),
      theoretical_arrival_ns_(clock.now().time_since_epoch().count()) {}

SamplingDecision RateLimitingSampler::should_sample(const SamplingParameters&) noexcept {
  const std::int64_t now = clock_.now().time_since_epoch().count();
  std::int64_t arrival = theoretical_arrival_ns_.load(std::memory_order_relaxed);
  for (;;) {
    const std::int64_t booked_from = std::max(arrival, now);
    if (booked_from - now > tolerance_ns_) return SamplingDecision::drop;
    if (theoretical_arrival_ns_.compare_exchange_weak(arrival, booked_from + interval_ns_,
                                                      std::memory_order_relaxed)) {
      return SamplingDecision::record_and_sample;
    }
  }
}

std::string RateLimitingSampler::description() const {
  char text[96];
  std::snprintf(text, sizeof text, "RateLimitingSampler{%f/s,burst=%u}", config_.spans_per_second, config_.burst);
  return text;
}

}  // namespace faultline::tracing
