#include "faultline/health/threshold_tracker.hpp"

#include <string>

namespace faultline::health {

Status ThresholdConfig::validate() const {
  if (healthy_threshold == 0) return Status::invalid_argument("health.healthy_threshold must be >= 1, got 0");
  if (unhealthy_threshold == 0) return Status::invalid_argument("health.unhealthy_threshold must be >= 1, got 0");
  return Status();
}

ThresholdTracker::ThresholdTracker(ThresholdConfig config) noexcept
    : config_(config), healthy_(config.initially_healthy) {}

bool ThresholdTracker::record(bool success) noexcept {
  if (success) {
    failures_ = 0;
    if (successes_ < UINT32_MAX) ++successes_;
    const bool first_ever = !ever_succeeded_;
    ever_succeeded_ = true;
    if (healthy_) return false;
    const bool shortcut = first_ever && config_.single_success_at_start && !config_.initially_healthy;
    if (shortcut || successes_ >= config_.healthy_threshold) {
      healthy_ = true;
      return true;
    }
    return false;
  }
  successes_ = 0;
  if (failures_ < UINT32_MAX) ++failures_;
  if (healthy_ && failures_ >= config_.unhealthy_threshold) {
    healthy_ = false;
    return true;
  }
  return false;
}

}  // namespace faultline::health
