#include "faultline/resilience/timeout.hpp"

#include "faultline/resilience/config_error.hpp"

namespace faultline::resilience {

Status TimeoutConfig::validate() const {
  if (timeout <= Duration::zero()) {
    return Status::invalid_argument("timeout.timeout must be > 0, got " +
                                    std::to_string(timeout.count()) + " ns");
  }
  return Status();
}

Timeout::Timeout(TimeoutConfig config, const Clock& clock, Scheduler* canceller)
    : config_(std::move(config)), clock_(&clock), canceller_(canceller) {
  throw_if_invalid(config_.validate());
}

Status Timeout::expired() {
  timeouts_total_.fetch_add(1, std::memory_order_relaxed);
  return Status::deadline_exceeded("timeout '" + config_.name + "' expired")
      .with_reason(kReasonTimeout);
}

Status Timeout::cancelled_status() const {
  return Status::cancelled("call cancelled before timeout '" + config_.name + "' started it")
      .with_reason(kReasonCancelled);
}

TimeoutMetrics Timeout::metrics() const noexcept {
  return TimeoutMetrics{calls_total_.load(std::memory_order_relaxed),
                        timeouts_total_.load(std::memory_order_relaxed)};
}

}  // namespace faultline::resilience
