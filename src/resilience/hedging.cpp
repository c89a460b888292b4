#include "faultline/resilience/hedging.hpp"

#include "faultline/resilience/config_error.hpp"

namespace faultline::resilience {

Status HedgingConfig::validate() const {
  if (max_attempts < 1 || max_attempts > 16) {
    return Status::invalid_argument("hedging.max_attempts must be in [1, 16], got " +
                                    std::to_string(max_attempts));
  }
  if (delay < Duration::zero()) return Status::invalid_argument("hedging.delay must be >= 0");
  return Status();
}

Hedging::Hedging(HedgingConfig config, Scheduler& scheduler)
    : config_(std::move(config)), scheduler_(&scheduler) {
  throw_if_invalid(config_.validate());
}

HedgingMetrics Hedging::metrics() const noexcept {
  return HedgingMetrics{calls_total_.load(std::memory_order_relaxed),
                        hedges_total_.load(std::memory_order_relaxed),
                        hedge_wins_total_.load(std::memory_order_relaxed)};
}

}  // namespace faultline::resilience
