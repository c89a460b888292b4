// AdaptiveConcurrencyLimiter: a bulkhead whose size is learned.
//
// Use it in front of a dependency (or at a server's door) instead of a
// Bulkhead when the right number of concurrent calls is not known or does
// not stay put: a LimitAlgorithm (AimdLimit, VegasLimit, GradientLimit, or
// your own) learns the limit from each finished call's round-trip time and
// whether it was dropped, and the limiter admits calls up to it. A call
// beyond the limit is rejected at once with resource_exhausted (reason
// CONCURRENCY_LIMITED); there is no queue, because queueing is what the
// limit exists to prevent.
//
//   AdaptiveConcurrencyLimiter limiter({.name = "db"}, std::make_unique<VegasLimit>());
//   if (limiter.try_acquire()) { ...call...; limiter.release(0, rtt, CallResult::success); }
//   auto rows = limiter.execute(context, [&] { return db.query(sql); });  // times the call
//
// Capacity can be partitioned between request classes (say 80% "live",
// 20% "batch"): each class is guaranteed floor(limit x share) slots, admitted
// even when other classes have borrowed the rest, and a class with
// may_borrow may use any capacity the others leave idle. So the total in
// flight stays within the limit except while a class reclaims its guarantee
// from borrowers, and then by at most that guarantee, until borrowed calls
// finish. Without classes there is one, with all the capacity.
//
// The limiter reads no clock on acquire() and release(): the caller gives
// the round-trip time. execute() times the call on the CallContext's clock
// (two readings, shared with the rest of the pipeline).
//
// Thread-safety: one limiter may be shared by any number of threads.
// try_acquire() is one compare-and-swap (two with classes); release() feeds
// the algorithm under a try-lock that never waits: a sample finishing while
// another thread updates the limit is skipped (counted in
// samples_skipped_total), except that a skipped drop is remembered and fed
// with the next update. Neither allocates.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "faultline/core/clock.hpp"
#include "faultline/core/scheduler.hpp"
#include "faultline/resilience/async.hpp"
#include "faultline/resilience/events.hpp"
#include "faultline/resilience/invoke.hpp"
#include "faultline/resilience/limit_algorithm.hpp"
#include "faultline/resilience/rejection.hpp"

namespace faultline::resilience {

struct LimiterClassConfig {
  std::string name;
  double share = 1.0;      // in (0, 1]: the guaranteed fraction of the limit
  bool may_borrow = true;  // may use capacity other classes leave idle
};

struct AdaptiveConcurrencyLimiterConfig {
  std::string name = "adaptive_limiter";
  // Empty: one class with all the capacity. Shares must sum to at most 1.
  std::vector<LimiterClassConfig> classes = {};
  [[nodiscard]] Status validate() const;
};

// How a finished call counts for the algorithm.
enum class CallResult : std::uint8_t {
  success,  // an answer, good or bad, that the server gave in time
  dropped,  // timed out or refused for overload: a loss signal
  ignored,  // says nothing about the server (cancelled by the caller)
};

// success, dropped or ignored for a call's final status: deadline_exceeded,
// resource_exhausted and unavailable are drops, cancelled is ignored.
[[nodiscard]] CallResult classify_for_limit(const Status& status) noexcept;

struct AdaptiveLimiterMetrics {
  std::uint32_t limit = 0;
  std::uint32_t in_flight = 0;
  std::uint64_t admitted_total = 0;
  std::uint64_t rejected_total = 0;
  std::uint64_t samples_total = 0;
  std::uint64_t samples_skipped_total = 0;
};

struct AdaptiveLimiterClassMetrics {
  std::uint32_t in_flight = 0;
  std::uint32_t guaranteed = 0;  // floor(limit x share) at the current limit
  std::uint64_t rejected_total = 0;
};

struct AdaptiveLimiterEvent {
  enum class Kind : std::uint8_t { limit_changed, rejected };
  Kind kind;
  std::uint32_t limit;           // the new limit, or the limit that rejected
  std::uint32_t previous_limit;  // limit_changed: the old one
  std::string_view limiter_name;
  std::string_view class_name;   // rejected: the class refused
};

class AdaptiveConcurrencyLimiter {
 public:
  // Throws ConfigError on an invalid config or a null algorithm. `clock` is
  // used only by the overloads that make their own CallContext.
  AdaptiveConcurrencyLimiter(AdaptiveConcurrencyLimiterConfig config,
                             std::unique_ptr<LimitAlgorithm> algorithm,
                             const Clock& clock = SteadyClock::instance());
  AdaptiveConcurrencyLimiter(const AdaptiveConcurrencyLimiter&) = delete;
  AdaptiveConcurrencyLimiter& operator=(const AdaptiveConcurrencyLimiter&) = delete;

  // Takes a slot for a call of `request_class` (an index into
  // config().classes; 0 without classes) if its share or the idle capacity
  // allows; false for a class that does not exist. Lock-free,
  // allocation-free.
  [[nodiscard]] bool try_acquire(std::size_t request_class = 0) noexcept;
  // try_acquire(), or the rejection to return (counted, published), or
  // invalid_argument for a class that does not exist.
  [[nodiscard]] Status acquire(std::size_t request_class = 0);
  // Returns a slot and teaches the algorithm the call's round-trip time.
  void release(std::size_t request_class, Duration rtt, CallResult result) noexcept;

  // The index of the class named `name`; classes().size() if none is.
  [[nodiscard]] std::size_t class_index(std::string_view name) const noexcept;

  template <ProtectedFunction F>
  outcome_of_t<F> execute_as(std::size_t request_class, CallContext& context, F&& function) {
    using R = outcome_of_t<F>;
    Status admitted = acquire(request_class);
    if (!admitted.ok()) return R(std::move(admitted));
    const TimePoint start = context.now();
    struct Release {  // releases as ignored if the function throws
      AdaptiveConcurrencyLimiter* limiter;
      std::size_t request_class;
      bool done = false;
      ~Release() {
        if (!done) limiter->release(request_class, Duration::zero(), CallResult::ignored);
      }
    } guard{this, request_class};
    R outcome = invoke_protected(function, context);
    guard.done = true;
    release(request_class, context.refresh() - start, classify_for_limit(status_of(outcome)));
    return outcome;
  }

  template <ProtectedFunction F>
  outcome_of_t<F> execute(CallContext& context, F&& function) {
    return execute_as(0, context, std::forward<F>(function));
  }

  template <ProtectedFunction F>
  outcome_of_t<F> execute(F&& function) {
    CallContext context(*clock_);
    return execute_as(0, context, std::forward<F>(function));
  }

  // Times the call on the context's scheduler clock (or the limiter's clock
  // when the context has no scheduler).
  template <Outcome R>
  void async_execute_as(std::size_t request_class, const AsyncCallContext& context,
                        AsyncOperation<R> operation, Completion<R> done) {
    Status admitted = acquire(request_class);
    if (!admitted.ok()) return done(R(std::move(admitted)));
    const Clock* clock = context.scheduler ? &context.scheduler->clock() : clock_;
    const TimePoint start = clock->now();
    operation(context, [this, request_class, clock, start, done = std::move(done)](R outcome) {
      release(request_class, clock->now() - start, classify_for_limit(status_of(outcome)));
      done(std::move(outcome));
    });
  }

  template <Outcome R>
  void async_execute(const AsyncCallContext& context, AsyncOperation<R> operation, Completion<R> done) {
    async_execute_as<R>(0, context, std::move(operation), std::move(done));
  }

  [[nodiscard]] std::uint32_t limit() const noexcept {
    return limit_.load(std::memory_order_relaxed);
  }
  [[nodiscard]] AdaptiveLimiterMetrics metrics() const noexcept;
  [[nodiscard]] AdaptiveLimiterClassMetrics class_metrics(std::size_t request_class) const noexcept;
  EventHub<AdaptiveLimiterEvent>& events() noexcept { return events_; }
  [[nodiscard]] const AdaptiveConcurrencyLimiterConfig& config() const noexcept { return config_; }
  [[nodiscard]] const std::vector<LimiterClassConfig>& classes() const noexcept { return classes_; }

 private:
  struct ClassState {
    std::atomic<std::uint32_t> in_flight{0};
    std::atomic<std::uint64_t> rejected_total{0};
  };
  [[nodiscard]] bool try_acquire_in_class(std::size_t request_class, std::uint32_t limit) noexcept;
  void learn(const LimitSample& sample) noexcept;

  AdaptiveConcurrencyLimiterConfig config_;
  std::vector<LimiterClassConfig> classes_;  // config_.classes, or the one implicit class
  std::unique_ptr<LimitAlgorithm> algorithm_;
  const Clock* clock_;
  bool partitioned_;
  std::unique_ptr<ClassState[]> class_state_;
  alignas(64) std::atomic<std::uint32_t> in_flight_{0};
  std::atomic<std::uint32_t> limit_;
  std::atomic<std::uint64_t> admitted_total_{0};
  std::atomic<std::uint64_t> rejected_total_{0};
  // Guards algorithm_: taken by exchange, never waited for.
  alignas(64) std::atomic<bool> updating_{false};
  std::atomic<std::uint32_t> pending_drops_{0};
  std::atomic<std::uint64_t> samples_applied_{0};
  std::atomic<std::uint64_t> samples_skipped_total_{0};
  EventHub<AdaptiveLimiterEvent> events_;
};

// A pipeline policy that runs every call as one class of a shared limiter:
//
//   auto limiter = std::make_shared<AdaptiveConcurrencyLimiter>(config, std::move(algorithm));
//   auto live = make_pipeline(clock, breaker, limiter_class(limiter, "live"));
//   auto batch = make_pipeline(clock, breaker, limiter_class(limiter, "batch"));
class AdaptiveLimiterClass {
 public:
  AdaptiveLimiterClass(std::shared_ptr<AdaptiveConcurrencyLimiter> limiter, std::size_t request_class)
      : limiter_(std::move(limiter)), request_class_(request_class) {}

  template <ProtectedFunction F>
  outcome_of_t<F> execute(CallContext& context, F&& function) {
    return limiter_->execute_as(request_class_, context, std::forward<F>(function));
  }
  template <Outcome R>
  void async_execute(const AsyncCallContext& context, AsyncOperation<R> operation, Completion<R> done) {
    limiter_->async_execute_as<R>(request_class_, context, std::move(operation), std::move(done));
  }
  [[nodiscard]] AdaptiveConcurrencyLimiter& limiter() const noexcept { return *limiter_; }
  [[nodiscard]] std::size_t request_class() const noexcept { return request_class_; }

 private:
  std::shared_ptr<AdaptiveConcurrencyLimiter> limiter_;
  std::size_t request_class_;
};

// Throws ConfigError if the limiter has no class named `class_name`.
[[nodiscard]] std::shared_ptr<AdaptiveLimiterClass> limiter_class(
    std::shared_ptr<AdaptiveConcurrencyLimiter> limiter, std::string_view class_name);

}  // namespace faultline::resilience
