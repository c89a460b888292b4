// ThresholdTracker: turns a stream of probe results into a stable verdict.
//
// One failed probe is noise; `unhealthy_threshold` failures in a row are a
// verdict. Likewise a recovering endpoint must pass `healthy_threshold`
// probes in a row before traffic returns, so a flapping one does not bounce
// in and out of the pool (Envoy's healthy_threshold / unhealthy_threshold).
// As in Envoy, an endpoint that starts unhealthy and has never been probed
// becomes healthy on its first success when `single_success_at_start` is set,
// so a fresh fleet comes up after one round instead of N.
//
//   ThresholdTracker tracker({.healthy_threshold = 2, .unhealthy_threshold = 3});
//   if (tracker.record(false)) notify(tracker.healthy());
//
// Thread-safety: a value type; one object is not synchronized.
#pragma once

#include <cstdint>

#include "faultline/core/status.hpp"

namespace faultline::health {

struct ThresholdConfig {
  std::uint32_t healthy_threshold = 2;    // consecutive successes to become healthy
  std::uint32_t unhealthy_threshold = 3;  // consecutive failures to become unhealthy
  bool initially_healthy = false;
  // Only while still unhealthy from the start and never probed successfully.
  bool single_success_at_start = false;

  // Ok, or invalid_argument naming the field ("health.unhealthy_threshold
  // must be >= 1, got 0").
  [[nodiscard]] Status validate() const;
};

class ThresholdTracker {
 public:
  // Precondition: config.validate() is ok (the active checker checks it).
  explicit ThresholdTracker(ThresholdConfig config = {}) noexcept;

  // Records one result; true when it flipped the verdict.
  bool record(bool success) noexcept;

  [[nodiscard]] bool healthy() const noexcept { return healthy_; }
  // Length of the current run of equal results (successes or failures).
  [[nodiscard]] std::uint32_t consecutive_successes() const noexcept { return successes_; }
  [[nodiscard]] std::uint32_t consecutive_failures() const noexcept { return failures_; }

 private:
  ThresholdConfig config_;
  bool healthy_;
  bool ever_succeeded_ = false;
  std::uint32_t successes_ = 0;
  std::uint32_t failures_ = 0;
};

}  // namespace faultline::health
