#include "faultline/resilience/gradient_limit.hpp"

#include <algorithm>
#include <limits>
#include <string>

#include "faultline/resilience/config_error.hpp"

namespace faultline::resilience {
namespace {
constexpr double kNone = std::numeric_limits<double>::infinity();
}

Status GradientLimitConfig::validate() const {
  Status bounds = validate_limit_bounds("gradient_limit", initial_limit, min_limit, max_limit);
  if (!bounds.ok()) return bounds;
  // Positive tests, so NaN fails them too.
  if (!(tolerance >= 1 && tolerance <= 10)) {
    return Status::invalid_argument("gradient_limit.tolerance must be in [1, 10], got " +
                                    std::to_string(tolerance));
  }
  if (!(queue_allowance >= 0 && queue_allowance <= 1e6)) {
    return Status::invalid_argument("gradient_limit.queue_allowance must be in [0, 1e6], got " +
                                    std::to_string(queue_allowance));
  }
  if (!(smoothing > 0 && smoothing <= 1)) {
    return Status::invalid_argument("gradient_limit.smoothing must be in (0, 1], got " +
                                    std::to_string(smoothing));
  }
  if (baseline_window_samples < 1) {
    return Status::invalid_argument("gradient_limit.baseline_window_samples must be >= 1, got 0");
  }
  return Status();
}

GradientLimit::GradientLimit(GradientLimitConfig config) : config_(config) {
  throw_if_invalid(config_.validate());
  limit_ = config_.initial_limit;
  long_rtt_ = kNone;
  window_min_ = kNone;
}

std::uint32_t GradientLimit::limit() const noexcept { return static_cast<std::uint32_t>(limit_); }

double GradientLimit::long_rtt_ns() const noexcept { return long_rtt_ == kNone ? 0.0 : long_rtt_; }

std::uint32_t GradientLimit::update(const LimitSample& sample) noexcept {
  if (!window_.add(sample, limit_)) return limit();
  // A drop halves the limit, without the queue allowance: it is the
  // server's own word that it is overloaded.
  double gradient = 0.5;
  double allowance = 0;
  if (!window_.dropped() && window_.average_rtt_ns() > 0) {
    allowance = config_.queue_allowance;
    short_rtt_ = window_.average_rtt_ns();
    long_rtt_ = std::min(long_rtt_, short_rtt_);
    window_min_ = std::min(window_min_, short_rtt_);
    gradient = std::clamp(config_.tolerance * long_rtt_ / short_rtt_, 0.5, 1.0);
  }
  const double target = limit_ * gradient + allowance;
  // Growing a limit that is not in use would learn nothing about the server.
  const bool idle = 2.0 * window_.max_in_flight() < limit_;
  baseline_samples_ += window_.count();
  window_.reset();
  if (!(target > limit_ && idle)) {
    limit_ += config_.smoothing * (target - limit_);
    limit_ = std::clamp<double>(limit_, config_.min_limit, config_.max_limit);
  }
  if (limit_ <= config_.min_limit) touched_floor_ = true;
  if (baseline_samples_ >= config_.baseline_window_samples) {
    if (touched_floor_ && window_min_ != kNone) long_rtt_ = window_min_;
    window_min_ = kNone;
    baseline_samples_ = 0;
    touched_floor_ = false;
  }
  return limit();
}

}  // namespace faultline::resilience
