#include "faultline/resilience/adaptive_concurrency_limiter.hpp"

#include <string>

#include "faultline/core/assert.hpp"
#include "faultline/resilience/config_error.hpp"

namespace faultline::resilience {

Status AdaptiveConcurrencyLimiterConfig::validate() const {
  double total_share = 0;
  for (std::size_t i = 0; i < classes.size(); ++i) {
    const LimiterClassConfig& c = classes[i];
    const std::string field = "adaptive_limiter.classes[" + std::to_string(i) + "]";
    if (c.name.empty()) return Status::invalid_argument(field + ".name must not be empty");
    for (std::size_t j = 0; j < i; ++j) {
      if (classes[j].name == c.name) {
        return Status::invalid_argument(field + ".name '" + c.name + "' is used twice");
      }
    }
    // A positive test, so NaN fails it too.
    if (!(c.share > 0 && c.share <= 1)) {
      return Status::invalid_argument(field + ".share must be in (0, 1], got " +
                                      std::to_string(c.share));
    }
    total_share += c.share;
  }
  if (total_share > 1 + 1e-9) {
    return Status::invalid_argument("adaptive_limiter.classes shares must sum to at most 1, got " +
                                    std::to_string(total_share));
  }
  return Status();
}

CallResult classify_for_limit(const Status& status) noexcept {
  switch (status.code()) {
    case StatusCode::deadline_exceeded:
    case StatusCode::resource_exhausted:
    case StatusCode::unavailable:
      return CallResult::dropped;
    case StatusCode::cancelled:
      return CallResult::ignored;
    default:
      return CallResult::success;
  }
}

AdaptiveConcurrencyLimiter::AdaptiveConcurrencyLimiter(AdaptiveConcurrencyLimiterConfig config,
                                                       std::unique_ptr<LimitAlgorithm> algorithm,
                                                       const Clock& clock)
    : config_(std::move(config)), algorithm_(std::move(algorithm)), clock_(&clock) {
  throw_if_invalid(config_.validate());
  if (!algorithm_) {
    throw ConfigError(Status::invalid_argument("adaptive_limiter needs a limit algorithm, got null"));
  }
  partitioned_ = !config_.classes.empty();
  classes_ = partitioned_ ? config_.classes
                          : std::vector<LimiterClassConfig>{LimiterClassConfig{.name = "default"}};
  class_state_ = std::make_unique<ClassState[]>(classes_.size());
  limit_.store(algorithm_->limit(), std::memory_order_relaxed);
}

bool AdaptiveConcurrencyLimiter::try_acquire_in_class(std::size_t request_class,
                                                      std::uint32_t limit) noexcept {
  const LimiterClassConfig& config = classes_[request_class];
  ClassState& state = class_state_[request_class];
  // Within its guaranteed share a class is admitted even past the limit:
  // other classes may be holding borrowed slots.
  const auto guaranteed = static_cast<std::uint32_t>(limit * config.share);
  std::uint32_t mine = state.in_flight.load(std::memory_order_relaxed);
  while (mine < guaranteed) {
    if (state.in_flight.compare_exchange_weak(mine, mine + 1, std::memory_order_relaxed)) {
      in_flight_.fetch_add(1, std::memory_order_relaxed);
      return true;
    }
  }
  if (!config.may_borrow) return false;
  std::uint32_t total = in_flight_.load(std::memory_order_relaxed);
  while (total < limit) {
    if (in_flight_.compare_exchange_weak(total, total + 1, std::memory_order_relaxed)) {
      state.in_flight.fetch_add(1, std::memory_order_relaxed);
      return true;
    }
  }
  return false;
}

bool AdaptiveConcurrencyLimiter::try_acquire(std::size_t request_class) noexcept {
  if (request_class >= classes_.size()) [[unlikely]] return false;
  const std::uint32_t limit = limit_.load(std::memory_order_relaxed);
  bool admitted = false;
  if (partitioned_) {
    admitted = try_acquire_in_class(request_class, limit);
  } else {
    std::uint32_t total = in_flight_.load(std::memory_order_relaxed);
    while (total < limit) {
      if (in_flight_.compare_exchange_weak(total, total + 1, std::memory_order_relaxed)) {
        admitted = true;
        break;
      }
    }
  }
  if (admitted) admitted_total_.fetch_add(1, std::memory_order_relaxed);
  return admitted;
}

Status AdaptiveConcurrencyLimiter::acquire(std::size_t request_class) {
  if (try_acquire(request_class)) return Status();
  if (request_class >= classes_.size()) {
    return Status::invalid_argument("adaptive limiter '" + config_.name + "' has no request class " +
                                    std::to_string(request_class) + " (it has " +
                                    std::to_string(classes_.size()) + ")");
  }
  rejected_total_.fetch_add(1, std::memory_order_relaxed);
  class_state_[request_class].rejected_total.fetch_add(1, std::memory_order_relaxed);
  const std::uint32_t limit = limit_.load(std::memory_order_relaxed);
  events_.publish_lazy([&] {
    return AdaptiveLimiterEvent{AdaptiveLimiterEvent::Kind::rejected, limit, limit, config_.name,
                                classes_[request_class].name};
  });
  std::string message = "adaptive limiter '" + config_.name + "' is at its limit of " +
                        std::to_string(limit);
  if (partitioned_) message += " (class '" + classes_[request_class].name + "')";
  return Status::resource_exhausted(message).with_reason(kReasonConcurrencyLimited);
}

void AdaptiveConcurrencyLimiter::release(std::size_t request_class, Duration rtt,
                                         CallResult result) noexcept {
  // Releasing a slot that was never granted is a bug, not bad input.
  FAULTLINE_ASSERT(request_class < classes_.size(), "no such request class");
  const std::uint32_t before = in_flight_.fetch_sub(1, std::memory_order_relaxed);
  FAULTLINE_ASSERT(before > 0, "adaptive limiter released more slots than it granted");
  if (partitioned_) class_state_[request_class].in_flight.fetch_sub(1, std::memory_order_relaxed);
  if (result == CallResult::ignored) return;
  learn(LimitSample{.rtt = rtt, .in_flight = before, .dropped = result == CallResult::dropped});
}

void AdaptiveConcurrencyLimiter::learn(const LimitSample& sample) noexcept {
  if (updating_.exchange(true, std::memory_order_acquire)) {
    // Another thread is updating: skip this sample rather than wait, but
    // keep a drop, the one signal that must not be lost.
    samples_skipped_total_.fetch_add(1, std::memory_order_relaxed);
    if (sample.dropped) pending_drops_.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  if (pending_drops_.load(std::memory_order_relaxed) > 0 &&
      pending_drops_.exchange(0, std::memory_order_relaxed) > 0) {
    algorithm_->update(LimitSample{.rtt = sample.rtt, .in_flight = sample.in_flight, .dropped = true});
  }
  const std::uint32_t next = algorithm_->update(sample);
  // Only the updater writes samples_applied_: a load and a store, no RMW.
  samples_applied_.store(samples_applied_.load(std::memory_order_relaxed) + 1,
                         std::memory_order_relaxed);
  // Only the thread holding updating_ writes limit_: a load and a store.
  const std::uint32_t previous = limit_.load(std::memory_order_relaxed);
  if (next != previous) limit_.store(next, std::memory_order_relaxed);
  updating_.store(false, std::memory_order_release);
  if (next != previous) {
    events_.publish_lazy([&] {
      return AdaptiveLimiterEvent{AdaptiveLimiterEvent::Kind::limit_changed, next, previous,
                                  config_.name, std::string_view()};
    });
  }
}

std::size_t AdaptiveConcurrencyLimiter::class_index(std::string_view name) const noexcept {
  for (std::size_t i = 0; i < classes_.size(); ++i) {
    if (classes_[i].name == name) return i;
  }
  return classes_.size();
}

AdaptiveLimiterMetrics AdaptiveConcurrencyLimiter::metrics() const noexcept {
  AdaptiveLimiterMetrics m;
  m.limit = limit_.load(std::memory_order_relaxed);
  m.in_flight = in_flight_.load(std::memory_order_relaxed);
  m.admitted_total = admitted_total_.load(std::memory_order_relaxed);
  m.rejected_total = rejected_total_.load(std::memory_order_relaxed);
  m.samples_skipped_total = samples_skipped_total_.load(std::memory_order_relaxed);
  m.samples_total = samples_applied_.load(std::memory_order_relaxed) + m.samples_skipped_total;
  return m;
}

AdaptiveLimiterClassMetrics AdaptiveConcurrencyLimiter::class_metrics(
    std::size_t request_class) const noexcept {
  FAULTLINE_ASSERT(request_class < classes_.size(), "no such request class");
  AdaptiveLimiterClassMetrics m;
  const ClassState& state = class_state_[request_class];
  m.in_flight = partitioned_ ? state.in_flight.load(std::memory_order_relaxed)
                             : in_flight_.load(std::memory_order_relaxed);
  m.guaranteed = static_cast<std::uint32_t>(limit_.load(std::memory_order_relaxed) *
                                            classes_[request_class].share);
  m.rejected_total = state.rejected_total.load(std::memory_order_relaxed);
  return m;
}

std::shared_ptr<AdaptiveLimiterClass> limiter_class(std::shared_ptr<AdaptiveConcurrencyLimiter> limiter,
                                                    std::string_view class_name) {
  const std::size_t index = limiter->class_index(class_name);
  if (index == limiter->classes().size()) {
    throw ConfigError(Status::invalid_argument("adaptive_limiter '" + limiter->config().name +
                                               "' has no class '" + std::string(class_name) + "'"));
  }
  return std::make_shared<AdaptiveLimiterClass>(std::move(limiter), index);
}

}  // namespace faultline::resilience
