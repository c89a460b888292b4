// AimdLimit: a loss-based concurrency limit (additive increase,
// multiplicative decrease), as TCP Reno's congestion window.
//
// Use it when the dependency signals overload by failing (timeouts,
// resource_exhausted) rather than by slowing down, or when RTTs are too
// noisy to read queueing from. Once per window (a limit's worth of samples,
// about one round trip at full use): a window with a dropped sample, or one
// slower than `timeout`, multiplies the limit by `backoff_ratio`, so the
// burst of drops one overload produces cuts it once, not to the floor; a
// window of successes grows it by one. It does not grow while less than
// half of it is in use: an idle service would otherwise learn a limit it
// never tested.
//
//   AimdLimit aimd(AimdLimitConfig{.initial_limit = 10, .timeout = 50ms});
//   for (int i = 0; i < 10; ++i) aimd.update(LimitSample{.rtt = 80ms, .in_flight = 10});  // 10 -> 9
//
// Thread-safety: not synchronized (see limit_algorithm.hpp).
#pragma once

#include "faultline/resilience/limit_algorithm.hpp"

namespace faultline::resilience {

struct AimdLimitConfig {
  std::uint32_t initial_limit = 20;  // in [min_limit, max_limit]
  std::uint32_t min_limit = 1;       // >= 1
  std::uint32_t max_limit = 1000;    // in [min_limit, 1e6]
  double backoff_ratio = 0.9;        // in [0.5, 1): the limit kept after a drop
  Duration timeout = Duration::max();  // > 0: a slower sample counts as dropped
  [[nodiscard]] Status validate() const;
};

class AimdLimit final : public LimitAlgorithm {
 public:
  // Throws ConfigError on an invalid config.
  explicit AimdLimit(AimdLimitConfig config = {});

  [[nodiscard]] std::uint32_t limit() const noexcept override;
  std::uint32_t update(const LimitSample& sample) noexcept override;
  [[nodiscard]] std::string_view name() const noexcept override { return "aimd"; }
  [[nodiscard]] const AimdLimitConfig& config() const noexcept { return config_; }

 private:
  AimdLimitConfig config_;
  double limit_;
  SampleWindow window_;
};

}  // namespace faultline::resilience
