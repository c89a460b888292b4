// GradientLimit: a concurrency limit moved by the ratio of long-term to
// short-term RTT (in the manner of Netflix's Gradient2).
//
// Use it for a delay-based limit that moves in proportion to how much the
// latency has risen, rather than by fixed steps as VegasLimit does. Once per
// window (about one round trip) the short-term RTT is the window's average,
// the long-term RTT is the lowest short-term RTT seen, and the limit moves
//
//   toward limit x gradient + queue_allowance,
//   gradient = clamp(tolerance x long_rtt / short_rtt, 0.5, 1)
//
// by `smoothing` of the way. While the short-term RTT is within `tolerance`
// of the long-term one the gradient is 1 and the limit grows by the queue
// allowance; beyond it the limit shrinks, by at most half. A window with a
// drop moves it toward half, with no allowance. It does not grow while less
// than half of it is in use. At equilibrium the short-term RTT sits at
// tolerance x long_rtt / (1 - queue_allowance / limit).
//
// Why a long-term minimum and not Gradient2's long-term average: an average
// follows the very queue it should detect, so under sustained load the limit
// drifts upward. Like VegasLimit, a baseline window in which the limit
// touched its floor re-measures the long-term RTT, so a service that
// becomes slower for good gets a new baseline.
//
//   GradientLimit gradient(GradientLimitConfig{.initial_limit = 10});
//
// Thread-safety: not synchronized (see limit_algorithm.hpp).
#pragma once

#include "faultline/resilience/limit_algorithm.hpp"

namespace faultline::resilience {

struct GradientLimitConfig {
  std::uint32_t initial_limit = 20;  // in [min_limit, max_limit]
  std::uint32_t min_limit = 1;       // >= 1
  std::uint32_t max_limit = 1000;    // in [min_limit, 1e6]
  double tolerance = 1.5;            // in [1, 10]: RTT growth accepted before shrinking
  double queue_allowance = 4;        // in [0, 1e6]: calls allowed to queue, added each step
  double smoothing = 0.2;            // in (0, 1]: the fraction of each step taken
  std::uint32_t baseline_window_samples = 1000;  // >= 1: see re-baselining above
  [[nodiscard]] Status validate() const;
};

class GradientLimit final : public LimitAlgorithm {
 public:
  // Throws ConfigError on an invalid config.
  explicit GradientLimit(GradientLimitConfig config = {});

  [[nodiscard]] std::uint32_t limit() const noexcept override;
  std::uint32_t update(const LimitSample& sample) noexcept override;
  [[nodiscard]] std::string_view name() const noexcept override { return "gradient"; }
  [[nodiscard]] const GradientLimitConfig& config() const noexcept { return config_; }

  // The current RTT estimates in nanoseconds; zero before a sample.
  [[nodiscard]] double short_rtt_ns() const noexcept { return short_rtt_; }
  [[nodiscard]] double long_rtt_ns() const noexcept;

 private:
  GradientLimitConfig config_;
  double limit_;
  SampleWindow window_;
  double short_rtt_ = 0;
  double long_rtt_;
  // The baseline window: its lowest short-term RTT, its length, and whether
  // the limit touched the floor in it.
  double window_min_;
  std::uint32_t baseline_samples_ = 0;
  bool touched_floor_ = false;
};

}  // namespace faultline::resilience
