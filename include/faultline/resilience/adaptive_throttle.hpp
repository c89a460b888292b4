// AdaptiveThrottle: client-side adaptive throttling, as in the Google SRE
// book ("Handling Overload").
//
// Use one per backend in each client. It counts, over a sliding window, the
// requests the client attempted and the ones the backend accepted, and
// rejects a new request locally, without sending it, with probability
//
//   max(0, (requests - k x accepts) / (requests + 1))
//
// A healthy backend accepts everything and nothing is throttled; when it
// starts refusing work, each client sends it about k times what it accepts
// and fails the rest at once, so a backend that is rejecting work stops
// receiving it, without any coordination between clients. A smaller k
// throttles sooner (k = 1.1 is aggressive, 2 the book's default). Locally
// throttled requests count as requests, so the throttle tightens as long as
// the backend keeps refusing, and loosens as it accepts again.
//
// A local rejection is resource_exhausted with reason CLIENT_THROTTLED. The
// backend "did not accept" a call that ended in resource_exhausted,
// unavailable or deadline_exceeded (classify_for_limit() says dropped).
//
//   AdaptiveThrottle throttle(AdaptiveThrottleConfig{.name = "search", .k = 2});
//   auto reply = throttle.execute(context, [&](CallContext& c) { return search(c); });
//
// The window is `buckets` buckets of window/buckets each, keyed by the time
// the caller gives (try_admit(now)); the throttle reads no clock of its own,
// and the randomness is a SharedRandom from `seed`, so a run on a manual
// clock is reproducible.
//
// Thread-safety: one throttle may be shared by any number of threads; it is
// lock-free and allocation-free. A count that races a bucket being recycled
// for a new period may be lost: the figures are estimates, by a few calls.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

#include "faultline/core/clock.hpp"
#include "faultline/core/random.hpp"
#include "faultline/core/scheduler.hpp"
#include "faultline/resilience/adaptive_concurrency_limiter.hpp"
#include "faultline/resilience/async.hpp"
#include "faultline/resilience/events.hpp"
#include "faultline/resilience/invoke.hpp"
#include "faultline/resilience/rejection.hpp"

namespace faultline::resilience {

struct AdaptiveThrottleConfig {
  std::string name = "adaptive_throttle";
  double k = 2.0;                          // in [1, 100]: accepts a request may be worth
  Duration window = std::chrono::minutes(2);  // > 0, and >= 1us per bucket
  std::uint32_t buckets = 12;              // in [1, 1000]
  std::uint64_t seed = 0x5eed;             // for the rejection draws
  [[nodiscard]] Status validate() const;
};

struct AdaptiveThrottleMetrics {
  std::uint64_t requests = 0;  // in the window
  std::uint64_t accepts = 0;   // in the window
  double probability = 0;      // of rejecting the next request
  std::uint64_t throttled_total = 0;
};

struct AdaptiveThrottleEvent {
  enum class Kind : std::uint8_t { throttled };
  Kind kind;
  double probability;  // the probability the request was rejected with
  std::string_view throttle_name;
};

class AdaptiveThrottle {
 public:
  // Throws ConfigError on an invalid config. `clock` is used only by the
  // overloads that make their own CallContext.
  explicit AdaptiveThrottle(AdaptiveThrottleConfig config, const Clock& clock = SteadyClock::instance());
  AdaptiveThrottle(const AdaptiveThrottle&) = delete;
  AdaptiveThrottle& operator=(const AdaptiveThrottle&) = delete;

  // Counts a request at `now`; false if it is to be rejected locally.
  [[nodiscard]] bool try_admit(TimePoint now) noexcept;
  // try_admit(), or the rejection to return (counted, published).
  [[nodiscard]] Status admit(TimePoint now);
  // The backend accepted a request (it answered, and not with overload).
  void record_accepted(TimePoint now) noexcept;

  [[nodiscard]] double probability(TimePoint now) const noexcept;
  [[nodiscard]] AdaptiveThrottleMetrics metrics(TimePoint now) const noexcept;

  template <ProtectedFunction F>
  outcome_of_t<F> execute(CallContext& context, F&& function) {
    using R = outcome_of_t<F>;
    const TimePoint now = context.now();
    Status admitted = admit(now);
    if (!admitted.ok()) return R(std::move(admitted));
    R outcome = invoke_protected(function, context);
    // Counted at the request's time: a call's outcome belongs to its bucket.
    if (classify_for_limit(status_of(outcome)) != CallResult::dropped) record_accepted(now);
    return outcome;
  }

  template <ProtectedFunction F>
  outcome_of_t<F> execute(F&& function) {
    CallContext context(*clock_);
    return execute(context, std::forward<F>(function));
  }

  template <Outcome R>
  void async_execute(const AsyncCallContext& context, AsyncOperation<R> operation, Completion<R> done) {
    const TimePoint now = context.scheduler ? context.scheduler->clock().now() : clock_->now();
    Status admitted = admit(now);
    if (!admitted.ok()) return done(R(std::move(admitted)));
    operation(context, [this, now, done = std::move(done)](R outcome) {
      if (classify_for_limit(status_of(outcome)) != CallResult::dropped) record_accepted(now);
      done(std::move(outcome));
    });
  }

  EventHub<AdaptiveThrottleEvent>& events() noexcept { return events_; }
  [[nodiscard]] const AdaptiveThrottleConfig& config() const noexcept { return config_; }

 private:
  struct Bucket {
    std::atomic<std::int64_t> period{-1};  // which window/buckets-long period it counts
    std::atomic<std::uint64_t> requests{0};
    std::atomic<std::uint64_t> accepts{0};
  };
  struct Totals {
    std::uint64_t requests = 0;
    std::uint64_t accepts = 0;
  };
  [[nodiscard]] std::int64_t period_of(TimePoint now) const noexcept;
  Bucket& bucket_for(std::int64_t period) noexcept;
  [[nodiscard]] Totals totals(std::int64_t period) const noexcept;
  [[nodiscard]] double probability_of(const Totals& totals) const noexcept;

  AdaptiveThrottleConfig config_;
  const Clock* clock_;
  std::int64_t bucket_ns_;
  std::unique_ptr<Bucket[]> buckets_;
  SharedRandom random_;
  std::atomic<std::uint64_t> throttled_total_{0};
  EventHub<AdaptiveThrottleEvent> events_;
};

}  // namespace faultline::resilience
