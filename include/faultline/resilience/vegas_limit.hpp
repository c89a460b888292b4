// VegasLimit: a delay-based concurrency limit, as TCP Vegas.
//
// Use it when the dependency slows down before it fails, as almost every
// server with a queue does: it keeps the queue short instead of waiting for
// timeouts. The shortest RTT seen estimates the time without queueing (the
// baseline); once per window (about one round trip) the window's average
// RTT estimates how many calls wait in the queue:
//
//   queue = limit x (1 - baseline / average_rtt)
//
// Under `alpha` queued calls the limit grows (by log10(limit), or by `beta`
// when there is no queue at all); over `beta`, or on a drop, it shrinks by
// log10(limit); in between it holds. `smoothing` takes that fraction of each
// step.
//
// The baseline is kept, not averaged: under sustained load every call
// queues, and a baseline that followed recent calls would take the queue
// for the norm and let the limit drift upward. When the service becomes
// slower for good, an old baseline makes every call look queued and the
// limit falls to its floor; so a baseline window (`baseline_window_samples`)
// in which the limit touched the floor replaces the baseline by that
// window's shortest RTT, measured at the floor's low concurrency.
//
//   VegasLimit vegas(VegasLimitConfig{.initial_limit = 10});
//
// Thread-safety: not synchronized (see limit_algorithm.hpp).
#pragma once

#include "faultline/resilience/limit_algorithm.hpp"

namespace faultline::resilience {

struct VegasLimitConfig {
  std::uint32_t initial_limit = 20;  // in [min_limit, max_limit]
  std::uint32_t min_limit = 1;       // >= 1
  std::uint32_t max_limit = 1000;    // in [min_limit, 1e6]
  double alpha = 3;                  // in [0, beta): grow below this many queued calls
  double beta = 6;                   // in (alpha, 1e6]: shrink above this many
  double smoothing = 1.0;            // in (0, 1]: the fraction of each step taken
  std::uint32_t baseline_window_samples = 1000;  // >= 1: see re-baselining above
  [[nodiscard]] Status validate() const;
};

class VegasLimit final : public LimitAlgorithm {
 public:
  // Throws ConfigError on an invalid config.
  explicit VegasLimit(VegasLimitConfig config = {});

  [[nodiscard]] std::uint32_t limit() const noexcept override;
  std::uint32_t update(const LimitSample& sample) noexcept override;
  [[nodiscard]] std::string_view name() const noexcept override { return "vegas"; }
  [[nodiscard]] const VegasLimitConfig& config() const noexcept { return config_; }
  // The RTT without queueing, as currently estimated; zero before a sample.
  [[nodiscard]] Duration baseline() const noexcept;

 private:
  VegasLimitConfig config_;
  double limit_;
  // log10(limit), recomputed only when the whole limit changes: a logarithm
  // costs more than the rest of an update.
  std::uint32_t step_for_ = 0;
  double step_ = 1;
  SampleWindow window_;
  Duration baseline_ = Duration::max();
  // The baseline window: its shortest RTT, its length, and whether the
  // limit touched the floor in it.
  Duration window_min_ = Duration::max();
  std::uint32_t baseline_samples_ = 0;
  bool touched_floor_ = false;
};

}  // namespace faultline::resilience
