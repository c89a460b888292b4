#include "faultline/resilience/retry.hpp"

#include <algorithm>

#include "faultline/resilience/config_error.hpp"

namespace faultline::resilience {

Status RetryConfig::validate() const {
  if (max_attempts < 1 || max_attempts > 100) {
    return Status::invalid_argument("retry.max_attempts must be in [1, 100], got " +
                                    std::to_string(max_attempts));
  }
  if (Status backoff_status = backoff.validate(); !backoff_status.ok()) {
    return Status::invalid_argument("retry." + std::string(backoff_status.message()));
  }
  if (max_total_duration && *max_total_duration <= Duration::zero()) {
    return Status::invalid_argument("retry.max_total_duration must be > 0");
  }
  if (retry_after_max < Duration::zero()) {
    return Status::invalid_argument("retry.retry_after_max must be >= 0");
  }
  return Status();
}

std::string_view retry_event_kind_name(RetryEvent::Kind kind) noexcept {
  switch (kind) {
    case RetryEvent::Kind::retry: return "retry";
    case RetryEvent::Kind::succeeded: return "succeeded";
    case RetryEvent::Kind::not_retryable: return "not_retryable";
    case RetryEvent::Kind::attempts_exhausted: return "attempts_exhausted";
    case RetryEvent::Kind::budget_exhausted: return "budget_exhausted";
    case RetryEvent::Kind::deadline_would_pass: return "deadline_would_pass";
    case RetryEvent::Kind::cancelled: return "cancelled";
  }
  return "invalid";
}

Retry::Retry(RetryConfig config, const Clock& clock)
    : config_(std::move(config)), clock_(&clock), random_(config_.seed) {
  throw_if_invalid(config_.validate());
}

bool Retry::retryable(const Status& status) const {
  return config_.retry_on ? config_.retry_on(status) : status.transient();
}

void Retry::publish(RetryEvent::Kind kind, std::uint32_t attempt, Duration delay,
                    const Status& status, CallContext& context) {
  events_.publish_lazy([&] {
    return RetryEvent{kind, attempt, delay, status, context.now(), config_.name};
  });
}

void Retry::count_final_failure(std::uint32_t attempt) noexcept {
  (attempt == 1 ? failed_without_retry_ : failed_after_retry_).fetch_add(1, std::memory_order_relaxed);
}

void Retry::on_success(std::uint32_t attempt, CallContext& context) {
  if (config_.budget) config_.budget->record_success();
  (attempt == 1 ? succeeded_without_retry_ : succeeded_after_retry_)
      .fetch_add(1, std::memory_order_relaxed);
  publish(RetryEvent::Kind::succeeded, attempt, Duration::zero(), Status(), context);
}

RetryDecision Retry::on_failure(std::uint32_t attempt, const Status& status, CallContext& context,
                                Duration& previous_delay) {
  auto give_up = [&](RetryEvent::Kind kind) {
    count_final_failure(attempt);
    publish(kind, attempt, Duration::zero(), status, context);
    return RetryDecision{};
  };
  if (!retryable(status)) return give_up(RetryEvent::Kind::not_retryable);
  if (config_.budget) config_.budget->record_failure();
  if (attempt >= config_.max_attempts) return give_up(RetryEvent::Kind::attempts_exhausted);
  if (config_.budget && !config_.budget->retry_allowed()) {
    budget_refusals_total_.fetch_add(1, std::memory_order_relaxed);
    return give_up(RetryEvent::Kind::budget_exhausted);
  }
  if (context.stop_requested()) return give_up(RetryEvent::Kind::cancelled);

  Duration delay = config_.backoff.delay(attempt, previous_delay, random_);
  if (config_.honour_retry_after && status.retry_after()) {
    delay = std::max(delay, std::min(*status.retry_after(), config_.retry_after_max));
  }
  const TimePoint now = context.refresh();
  // Give up now rather than sleep into the deadline and fail there: the
  // next attempt must start strictly before it.
  if (context.has_deadline() && delay >= context.deadline() - now) {
    deadline_give_ups_total_.fetch_add(1, std::memory_order_relaxed);
    return give_up(RetryEvent::Kind::deadline_would_pass);
  }
  previous_delay = delay;
  retries_total_.fetch_add(1, std::memory_order_relaxed);
  publish(RetryEvent::Kind::retry, attempt, delay, status, context);
  return RetryDecision{true, now + delay, delay};
}

Status Retry::cancelled_while_waiting(std::uint32_t attempt, CallContext& context) {
  count_final_failure(attempt);
  Status status = Status::cancelled("retry '" + config_.name + "' cancelled while waiting to retry")
                      .with_reason(kReasonCancelled);
  publish(RetryEvent::Kind::cancelled, attempt, Duration::zero(), status, context);
  return status;
}

RetryMetrics Retry::metrics() const noexcept {
  RetryMetrics m;
  m.succeeded_without_retry = succeeded_without_retry_.load(std::memory_order_relaxed);
  m.succeeded_after_retry = succeeded_after_retry_.load(std::memory_order_relaxed);
  m.failed_without_retry = failed_without_retry_.load(std::memory_order_relaxed);
  m.failed_after_retry = failed_after_retry_.load(std::memory_order_relaxed);
  m.retries_total = retries_total_.load(std::memory_order_relaxed);
  m.budget_refusals_total = budget_refusals_total_.load(std::memory_order_relaxed);
  m.deadline_give_ups_total = deadline_give_ups_total_.load(std::memory_order_relaxed);
  return m;
}

}  // namespace faultline::resilience
