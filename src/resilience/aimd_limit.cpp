#include "faultline/resilience/aimd_limit.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "faultline/resilience/config_error.hpp"

namespace faultline::resilience {

Status AimdLimitConfig::validate() const {
  Status bounds = validate_limit_bounds("aimd_limit", initial_limit, min_limit, max_limit);
  if (!bounds.ok()) return bounds;
  // Written as a positive test so NaN fails it too.
  if (!(backoff_ratio >= 0.5 && backoff_ratio < 1)) {
    return Status::invalid_argument("aimd_limit.backoff_ratio must be in [0.5, 1), got " +
                                    std::to_string(backoff_ratio));
  }
  if (timeout <= Duration::zero()) {
    return Status::invalid_argument("aimd_limit.timeout must be > 0, got " +
                                    std::to_string(timeout.count()) + "ns");
  }
  return Status();
}

AimdLimit::AimdLimit(AimdLimitConfig config) : config_(config) {
  throw_if_invalid(config_.validate());
  limit_ = config_.initial_limit;
}

std::uint32_t AimdLimit::limit() const noexcept { return static_cast<std::uint32_t>(limit_); }

std::uint32_t AimdLimit::update(const LimitSample& sample) noexcept {
  LimitSample counted = sample;
  counted.dropped = sample.dropped || sample.rtt > config_.timeout;
  if (!window_.add(counted, limit_)) return limit();
  if (window_.dropped()) {
    limit_ = std::max<double>(config_.min_limit, std::floor(limit_ * config_.backoff_ratio));
  } else if (2.0 * window_.max_in_flight() >= limit_) {
    limit_ = std::min<double>(config_.max_limit, limit_ + 1);
  }
  window_.reset();
  return limit();
}

}  // namespace faultline::resilience
