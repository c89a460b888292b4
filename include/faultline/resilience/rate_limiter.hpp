// RateLimiter: a token bucket with burst, lock-free.
//
// Use it to keep a client under a dependency's quota or to protect a server
// from any one caller: at most `permits_per_second` calls on average, with
// up to `burst` at once after a quiet period. A call over the rate either
// waits for its permit (if that wait is within max_wait and the call's
// deadline) or is rejected with resource_exhausted (reason RATE_LIMITED)
// carrying retry_after() = when a permit will be free.
//
// Implemented as GCRA (the generic cell rate algorithm), which is a token
// bucket expressed as one "theoretical arrival time": a single atomic
// 64-bit value updated by compare-and-swap, so no lock and no refill timer.
//
//   RateLimiter limiter(RateLimiterConfig{.permits_per_second = 100, .burst = 20});
//   auto reply = limiter.execute([&] { return call(); });
//
// Thread-safety: one RateLimiter may be shared by any number of threads.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>

#include "faultline/resilience/async.hpp"
#include "faultline/resilience/events.hpp"
#include "faultline/resilience/invoke.hpp"
#include "faultline/resilience/rejection.hpp"
#include "faultline/core/scheduler.hpp"

namespace faultline::resilience {

struct RateLimiterConfig {
  std::string name = "rate_limiter";
  double permits_per_second = 100;    // in (0, 1e9]
  std::uint32_t burst = 1;            // >= 1: calls allowed at once from a full bucket
  Duration max_wait = Duration::zero();  // >= 0: how long a call may wait for its permit
  [[nodiscard]] Status validate() const;
};

struct RateLimiterMetrics {
  std::uint64_t permitted_total = 0;
  std::uint64_t waited_total = 0;
  std::uint64_t rejected_total = 0;
};

struct RateLimiterEvent {
  enum class Kind : std::uint8_t { rejected };
  Kind kind;
  Duration retry_after;
  std::string_view limiter_name;
};

class RateLimiter {
 public:
  // Throws ConfigError on an invalid config. Starts with a full bucket.
  explicit RateLimiter(RateLimiterConfig config, const Clock& clock = SteadyClock::instance());

  // Reserves a permit at `now` if it is free within `max_wait`: returns the
  // wait (zero if free now); otherwise reserves nothing and returns the
  // rejection, whose retry_after() says when a permit will be free.
  [[nodiscard]] Result<Duration> reserve(TimePoint now, Duration max_wait);

  template <ProtectedFunction F>
  outcome_of_t<F> execute(CallContext& context, F&& function) {
    using R = outcome_of_t<F>;
    Result<Duration> wait = reserve(context.now(), std::min(config_.max_wait, context.remaining()));
    if (!wait.ok()) return R(wait.status());
    if (*wait > Duration::zero()) {
      if (!context.clock().sleep_until(context.now() + *wait, context.stop_token())) {
        return R(Status::cancelled("cancelled while waiting for a rate limiter permit")
                     .with_reason(kReasonCancelled));
      }
      context.invalidate();
    }
    return invoke_protected(function, context);
  }

  template <ProtectedFunction F>
  outcome_of_t<F> execute(F&& function) {
    CallContext context(*clock_);
    return execute(context, std::forward<F>(function));
  }

  // Waits on the context's scheduler when a permit is a short wait away.
  template <Outcome R>
  void async_execute(const AsyncCallContext& context, AsyncOperation<R> operation, Completion<R> done) {
    const TimePoint now = context.scheduler ? context.scheduler->clock().now() : clock_->now();
    const Duration remaining = context.deadline == TimePoint::max() ? Duration::max()
                               : context.deadline > now             ? context.deadline - now
                                                                    : Duration::zero();
    Result<Duration> wait = reserve(now, std::min(config_.max_wait, remaining));
    if (!wait.ok()) return done(R(wait.status()));
    if (*wait == Duration::zero()) return operation(context, std::move(done));
    FAULTLINE_ASSERT(context.scheduler != nullptr, "waiting for a permit needs a scheduler");
    context.scheduler->schedule_after(
        *wait, [context, operation = std::move(operation), done = std::move(done)]() mutable {
          operation(context, std::move(done));
        });
  }

  [[nodiscard]] RateLimiterMetrics metrics() const noexcept;
  EventHub<RateLimiterEvent>& events() noexcept { return events_; }
  [[nodiscard]] const RateLimiterConfig& config() const noexcept { return config_; }

 private:
  RateLimiterConfig config_;
  const Clock* clock_;
  std::int64_t interval_ns_;   // time one permit takes to refill
  std::int64_t tolerance_ns_;  // burst x interval
  // The theoretical arrival time of the next permit, in clock nanoseconds.
  std::atomic<std::int64_t> arrival_ns_;
  std::atomic<std::uint64_t> permitted_total_{0};
  std::atomic<std::uint64_t> waited_total_{0};
  std::atomic<std::uint64_t> rejected_total_{0};
  EventHub<RateLimiterEvent> events_;
};

}  // namespace faultline::resilience
