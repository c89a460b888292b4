// Retry: call again, after a backoff, when an attempt fails transiently.
//
// Use it around calls whose failures are often brief (a restarting peer, a
// dropped connection, a 503). It retries only what its predicate allows
// (default: the error model's transient codes, so a 4xx-style error is
// never retried), waits the backoff's delay or the server's Retry-After hint
// if longer, and stops when attempts run out, when the shared RetryBudget
// says the fleet is retrying too much, or when the next attempt could not
// start before the call's deadline: it never sleeps into a deadline only to
// fail at it, it gives up early and returns the last error instead.
//
//   RetryConfig config;
//   config.max_attempts = 4;
//   config.backoff = Backoff::exponential(50ms).with_jitter(Jitter::full).with_max_delay(2s);
//   config.budget = shared_budget;
//   Retry retry(config, clock);
//   Result<Reply> reply = retry.execute([&](CallContext& c) { return call(c.deadline()); });
//
// Synchronous execute() sleeps on the injected Clock (a ManualClock makes the
// sleep instant in tests); async_execute() waits on the context's Scheduler.
//
// Thread-safety: one Retry may be shared by any number of threads; its
// counters are atomics and its jitter draws from a lock-free SharedRandom.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "faultline/core/random.hpp"
#include "faultline/core/scheduler.hpp"
#include "faultline/resilience/async.hpp"
#include "faultline/resilience/backoff.hpp"
#include "faultline/resilience/deadline_scope.hpp"
#include "faultline/resilience/events.hpp"
#include "faultline/resilience/invoke.hpp"
#include "faultline/resilience/rejection.hpp"
#include "faultline/resilience/retry_budget.hpp"

namespace faultline::resilience {

struct RetryConfig {
  std::string name = "retry";
  // Attempts in all, the first included; in [1, 100].
  std::uint32_t max_attempts = 3;
  Backoff backoff = Backoff::exponential(std::chrono::milliseconds(100), 2.0)
                        .with_jitter(Jitter::full)
                        .with_max_delay(std::chrono::seconds(10));
  // A deadline for all attempts together, measured from the first; the
  // call's own deadline applies too, whichever is earlier.
  std::optional<Duration> max_total_duration = {};
  // Which errors to retry; null means is_transient(status.code()).
  std::function<bool(const Status&)> retry_on = {};
  // Wait at least the server's Retry-After hint, up to retry_after_max.
  bool honour_retry_after = true;
  Duration retry_after_max = std::chrono::seconds(60);
  // Shared by every Retry that should draw from the same budget; optional.
  std::shared_ptr<RetryBudget> budget = {};
  // Seeds the jitter.
  std::uint64_t seed = 0x5eed;

  [[nodiscard]] Status validate() const;
};

struct RetryEvent {
  enum class Kind : std::uint8_t {
    retry,                // another attempt follows after `delay`
    succeeded,            // an attempt succeeded (attempt > 1 means after retries)
    not_retryable,        // the error is permanent: returned at once
    attempts_exhausted,   // max_attempts reached
    budget_exhausted,     // the retry budget refused
    deadline_would_pass,  // the next attempt could not start before the deadline
    cancelled,            // stop requested while waiting
  };
  Kind kind;
  std::uint32_t attempt;  // the attempt that just finished, from 1
  Duration delay;         // for `retry`: the wait before the next attempt
  Status status;          // the attempt's error (ok for `succeeded`)
  TimePoint at;
  std::string_view retry_name;
};

[[nodiscard]] std::string_view retry_event_kind_name(RetryEvent::Kind kind) noexcept;

struct RetryMetrics {
  std::uint64_t succeeded_without_retry = 0;
  std::uint64_t succeeded_after_retry = 0;
  std::uint64_t failed_without_retry = 0;
  std::uint64_t failed_after_retry = 0;
  std::uint64_t retries_total = 0;
  std::uint64_t budget_refusals_total = 0;
  std::uint64_t deadline_give_ups_total = 0;
};

// What Retry decided after a failed attempt; exposed for async drivers.
struct RetryDecision {
  bool retry = false;
  TimePoint resume_at;
  Duration delay = Duration::zero();
};

class Retry {
 public:
  // Throws ConfigError if config.validate() fails.
  explicit Retry(RetryConfig config, const Clock& clock = SteadyClock::instance());

  template <ProtectedFunction F>
  outcome_of_t<F> execute(CallContext& context, F&& function) {
    std::optional<DeadlineScope> total;
    if (config_.max_total_duration) total.emplace(context, context.now() + *config_.max_total_duration);
    Duration previous_delay = Duration::zero();
    for (std::uint32_t attempt = 1;; ++attempt) {
      outcome_of_t<F> outcome = invoke_protected(function, context);
      const Status& status = status_of(outcome);
      if (status.ok()) {
        on_success(attempt, context);
        return outcome;
      }
      const RetryDecision decision = on_failure(attempt, status, context, previous_delay);
      if (!decision.retry) return outcome;
      if (!context.clock().sleep_until(decision.resume_at, context.stop_token())) {
        return cancelled_while_waiting(attempt, context);
      }
      context.invalidate();
    }
  }

  template <ProtectedFunction F>
  outcome_of_t<F> execute(F&& function) {
    CallContext context(*clock_);
    return execute(context, std::forward<F>(function));
  }

  // Precondition: context.scheduler is set.
  template <Outcome R>
  void async_execute(const AsyncCallContext& context, AsyncOperation<R> operation, Completion<R> done);

  // The decision procedure behind both execute() and async_execute():
  // records the failure, then says whether and when to try again.
  RetryDecision on_failure(std::uint32_t attempt, const Status& status, CallContext& context,
                           Duration& previous_delay);
  void on_success(std::uint32_t attempt, CallContext& context);
  Status cancelled_while_waiting(std::uint32_t attempt, CallContext& context);

  [[nodiscard]] RetryMetrics metrics() const noexcept;
  EventHub<RetryEvent>& events() noexcept { return events_; }
  [[nodiscard]] const RetryConfig& config() const noexcept { return config_; }
  [[nodiscard]] const Clock& clock() const noexcept { return *clock_; }

 private:
  [[nodiscard]] bool retryable(const Status& status) const;
  void publish(RetryEvent::Kind kind, std::uint32_t attempt, Duration delay, const Status& status,
               CallContext& context);
  void count_final_failure(std::uint32_t attempt) noexcept;

  RetryConfig config_;
  const Clock* clock_;
  SharedRandom random_;
  EventHub<RetryEvent> events_;
  std::atomic<std::uint64_t> succeeded_without_retry_{0};
  std::atomic<std::uint64_t> succeeded_after_retry_{0};
  std::atomic<std::uint64_t> failed_without_retry_{0};
  std::atomic<std::uint64_t> failed_after_retry_{0};
  std::atomic<std::uint64_t> retries_total_{0};
  std::atomic<std::uint64_t> budget_refusals_total_{0};
  std::atomic<std::uint64_t> deadline_give_ups_total_{0};
};

namespace detail {

// One asynchronous retried call: attempts chained through the scheduler.
template <Outcome R>
struct AsyncRetryCall : std::enable_shared_from_this<AsyncRetryCall<R>> {
  Retry* retry;
  AsyncCallContext context;
  AsyncOperation<R> operation;
  Completion<R> done;
  Duration previous_delay = Duration::zero();

  void start(std::uint32_t attempt) {
    auto self = this->shared_from_this();
    operation(context, [self, attempt](R outcome) { self->finished(attempt, std::move(outcome)); });
  }

  void finished(std::uint32_t attempt, R outcome) {
    CallContext call(context.scheduler->clock(), context.deadline, context.stop);
    const Status& status = status_of(outcome);
    if (status.ok()) {
      retry->on_success(attempt, call);
      return done(std::move(outcome));
    }
    const RetryDecision decision = retry->on_failure(attempt, status, call, previous_delay);
    if (!decision.retry) return done(std::move(outcome));
    auto self = this->shared_from_this();
    context.scheduler->schedule_at(decision.resume_at, [self, attempt] {
      if (self->context.stop.stop_requested()) {
        CallContext late(self->context.scheduler->clock(), self->context.deadline, self->context.stop);
        return self->done(R(self->retry->cancelled_while_waiting(attempt, late)));
      }
      self->start(attempt + 1);
    });
  }
};

}  // namespace detail

template <Outcome R>
void Retry::async_execute(const AsyncCallContext& context, AsyncOperation<R> operation,
                          Completion<R> done) {
  FAULTLINE_ASSERT(context.scheduler != nullptr, "async retry needs a scheduler");
  auto call = std::make_shared<detail::AsyncRetryCall<R>>();
  call->retry = this;
  call->context = context;
  if (config_.max_total_duration) {
    const TimePoint total = context.scheduler->clock().now() + *config_.max_total_duration;
    if (total < call->context.deadline) call->context.deadline = total;
  }
  call->operation = std::move(operation);
  call->done = std::move(done);
  call->start(1);
}

}  // namespace faultline::resilience
