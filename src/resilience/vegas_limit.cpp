#include "faultline/resilience/vegas_limit.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "faultline/resilience/config_error.hpp"

namespace faultline::resilience {

Status VegasLimitConfig::validate() const {
  Status bounds = validate_limit_bounds("vegas_limit", initial_limit, min_limit, max_limit);
  if (!bounds.ok()) return bounds;
  // Positive tests, so NaN fails them too.
  if (!(beta > 0 && beta <= 1e6)) {
    return Status::invalid_argument("vegas_limit.beta must be in (0, 1e6], got " +
                                    std::to_string(beta));
  }
  if (!(alpha >= 0 && alpha < beta)) {
    return Status::invalid_argument("vegas_limit.alpha must be in [0, beta), got " +
                                    std::to_string(alpha) + " with beta " + std::to_string(beta));
  }
  if (!(smoothing > 0 && smoothing <= 1)) {
    return Status::invalid_argument("vegas_limit.smoothing must be in (0, 1], got " +
                                    std::to_string(smoothing));
  }
  if (baseline_window_samples < 1) {
    return Status::invalid_argument("vegas_limit.baseline_window_samples must be >= 1, got 0");
  }
  return Status();
}

VegasLimit::VegasLimit(VegasLimitConfig config) : config_(config) {
  throw_if_invalid(config_.validate());
  limit_ = config_.initial_limit;
}

std::uint32_t VegasLimit::limit() const noexcept { return static_cast<std::uint32_t>(limit_); }

Duration VegasLimit::baseline() const noexcept {
  return baseline_ == Duration::max() ? Duration::zero() : baseline_;
}

std::uint32_t VegasLimit::update(const LimitSample& sample) noexcept {
  if (sample.rtt > Duration::zero()) {
    baseline_ = std::min(baseline_, sample.rtt);
    window_min_ = std::min(window_min_, sample.rtt);
  }
  if (++baseline_samples_ >= config_.baseline_window_samples) {
    if (touched_floor_ && window_min_ != Duration::max()) baseline_ = window_min_;
    window_min_ = Duration::max();
    baseline_samples_ = 0;
    touched_floor_ = false;
  }
  if (!window_.add(sample, limit_)) return limit();

  const auto whole = static_cast<std::uint32_t>(limit_);
  if (whole != step_for_) {
    step_for_ = whole;
    step_ = std::max(1.0, std::log10(static_cast<double>(whole)));
  }
  const double step = step_;
  const double rtt = window_.average_rtt_ns();
  double target = limit_;
  if (window_.dropped()) {
    target = limit_ - step;
  } else if (baseline_ != Duration::max() && rtt > 0) {
    const double queue = limit_ * (1.0 - static_cast<double>(baseline_.count()) / rtt);
    // Growing a limit that is not in use would learn nothing about the server.
    const bool in_use = 2.0 * window_.max_in_flight() >= limit_;
    if (queue > config_.beta) {
      target = limit_ - step;
    } else if (in_use && queue < 1) {
      target = limit_ + std::max(step, config_.beta);
    } else if (in_use && queue < config_.alpha) {
      target = limit_ + step;
    }
  }
  window_.reset();
  limit_ += config_.smoothing * (target - limit_);
  limit_ = std::clamp<double>(limit_, config_.min_limit, config_.max_limit);
  if (limit_ <= config_.min_limit) touched_floor_ = true;
  return limit();
}

}  // namespace faultline::resilience
