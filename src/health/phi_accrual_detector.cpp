#include "faultline/health/phi_accrual_detector.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "faultline/resilience/config_error.hpp"

namespace faultline::health {
namespace {

double to_ms(Duration d) { return static_cast<double>(d.count()) / 1e6; }

Status invalid(const PhiAccrualConfig& config, const std::string& what) {
  std::string prefix = config.name.empty() ? "phi_accrual" : "phi_accrual '" + config.name + "'";
  return Status::invalid_argument(prefix + "." + what);
}

}  // namespace

Status PhiAccrualConfig::validate() const {
  if (!std::isfinite(threshold) || threshold <= 0) {
    std::ostringstream out;
    out << "threshold must be a finite number > 0, got " << threshold;
    return invalid(*this, out.str());
  }
  if (max_sample_size < 1) return invalid(*this, "max_sample_size must be >= 1, got 0");
  if (min_std_deviation <= Duration::zero()) {
    return invalid(*this, "min_std_deviation must be > 0, got " +
                              std::to_string(min_std_deviation.count()) + "ns");
  }
  if (acceptable_heartbeat_pause < Duration::zero()) {
    return invalid(*this, "acceptable_heartbeat_pause must be >= 0, got " +
                              std::to_string(acceptable_heartbeat_pause.count()) + "ns");
  }
  if (first_heartbeat_estimate <= Duration::zero()) {
    return invalid(*this, "first_heartbeat_estimate must be > 0, got " +
                              std::to_string(first_heartbeat_estimate.count()) + "ns");
  }
  return Status();
}

double phi_of(double elapsed_ms, double mean_ms, double std_deviation_ms) noexcept {
  const double y = (elapsed_ms - mean_ms) / std_deviation_ms;
  const double e = std::exp(-y * (1.5976 + 0.070566 * y * y));
  // Two forms of the same value, each accurate on its side of the mean:
  // 1 - F when late is e / (1 + e); computing it as 1 - (1 - ...) would
  // cancel to zero long before phi reaches any useful threshold.
  if (elapsed_ms > mean_ms) return -std::log10(e / (1.0 + e));
  return -std::log10(1.0 - 1.0 / (1.0 + e));
}

PhiAccrualDetector::PhiAccrualDetector(PhiAccrualConfig config)
    : config_((resilience::throw_if_invalid(config.validate()), std::move(config))),
      window_(config_.max_sample_size) {}

void PhiAccrualDetector::heartbeat(TimePoint now) {
  // A heartbeat older than the last one (reordered delivery) says nothing
  // new about the peer's rhythm.
  if (last_ && now < *last_) return;
  if (!last_) {
    // Akka seeds the history with the estimate so the first phi values
    // are sensible: two samples at mean -/+ mean/4.
    const Duration estimate = config_.first_heartbeat_estimate;
    window_.add(estimate - estimate / 4);
    window_.add(estimate + estimate / 4);
    refresh_estimate();
  } else if (is_available(now)) {
    // The heartbeat that ends a suspicion is left out: its interval is
    // the outage, not the peer's rhythm.
    window_.add(now - *last_);
    refresh_estimate();
  }
  last_ = now;
}

double PhiAccrualDetector::phi(TimePoint now) const noexcept {
  if (!last_) return 0;
  const double elapsed_ms = to_ms(std::max(now - *last_, Duration::zero()));
  return phi_of(elapsed_ms, mean_ms_, std_deviation_ms_);
}

void PhiAccrualDetector::reset() {
  window_ = HeartbeatWindow(config_.max_sample_size);
  last_.reset();
  mean_ms_ = 0;
  std_deviation_ms_ = 0;
}

void PhiAccrualDetector::refresh_estimate() noexcept {
  mean_ms_ = window_.mean_ms() + to_ms(config_.acceptable_heartbeat_pause);
  std_deviation_ms_ = std::max(window_.std_deviation_ms(), to_ms(config_.min_std_deviation));
}

}  // namespace faultline::health
