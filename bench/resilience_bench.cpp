// Resilience benchmarks: what each policy costs a call that succeeds.
//
// Policies wrap every request a service makes, and almost every request
// succeeds, so the success path is the one whose cost matters. Each figure is
// read against two baselines measured in the same binary: an uncontended
// atomic increment (the unit a lock-free policy is built from) and one
// std::chrono::steady_clock::now() (about eleven increments on our machines,
// which is why policies read the clock at most once per step and share the
// reading through the CallContext). Besides its time, every benchmark
// reports three counts per call, measured by bench/hot_path_counters.hpp:
// heap allocations (must be 0 everywhere), mutex locks (0 on the lock-free
// paths) and clock reads (0 for a closed count-based breaker, 2 for the
// five-policy pipeline). docs/BENCHMARKS.md holds the figures, the targets,
// the machine and the command (`./dev bench`).
//
// Every call gets its own CallContext, as a real call does, and uses the real
// SteadyClock. The protected function succeeds at once; it passes its context
// through DoNotOptimize so the compiler cannot see through it and fold the
// call away.

#include <benchmark/benchmark.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>

#include "faultline/core/clock.hpp"
#include "faultline/core/status.hpp"
#include "faultline/resilience/adaptive_concurrency_limiter.hpp"
#include "faultline/resilience/adaptive_throttle.hpp"
#include "faultline/resilience/aimd_limit.hpp"
#include "faultline/resilience/bulkhead.hpp"
#include "faultline/resilience/call_context.hpp"
#include "faultline/resilience/circuit_breaker.hpp"
#include "faultline/resilience/pipeline.hpp"
#include "faultline/resilience/rate_limiter.hpp"
#include "faultline/resilience/retry.hpp"
#include "faultline/resilience/retry_budget.hpp"
#include "faultline/resilience/gradient_limit.hpp"
#include "faultline/resilience/timeout.hpp"
#include "faultline/resilience/vegas_limit.hpp"
#include "hot_path_counters.hpp"

namespace {

using faultline::resilience::CallContext;
using faultline::Clock;
using faultline::Status;
using faultline::SteadyClock;
using faultline::bench::HotPathProbe;
using faultline::resilience::Bulkhead;
using faultline::resilience::BulkheadConfig;
using faultline::resilience::CircuitBreaker;
using faultline::resilience::CircuitBreakerConfig;
using faultline::resilience::make_pipeline;
using faultline::resilience::RateLimiter;
using faultline::resilience::RateLimiterConfig;
using faultline::resilience::Retry;
using faultline::resilience::RetryBudget;
using faultline::resilience::RetryBudgetConfig;
using faultline::resilience::RetryConfig;
using faultline::resilience::SlidingWindowType;
using faultline::resilience::Timeout;
using faultline::resilience::TimeoutConfig;

const Clock& real_clock() { return SteadyClock::instance(); }

// The protected call: succeeds at once.
const auto succeed = [](CallContext& context) {
  benchmark::DoNotOptimize(context);
  return Status();
};

// One call per iteration through `policy`, each with its own CallContext.
// A call that does not succeed stops the benchmark: a figure for the
// rejection path must never pass for the success path.
template <class Policy>
void run_succeeding_calls(benchmark::State& state, Policy& policy) {
  const Clock& clock = real_clock();
  HotPathProbe probe;
  for (auto _ : state) {
    CallContext context(clock);
    Status status = policy.execute(context, succeed);
    if (!status.ok()) [[unlikely]] {
      state.SkipWithError("a call through the policy did not succeed");
      break;
    }
    benchmark::DoNotOptimize(status);
  }
  probe.report(state);
}

// ---- Policy configurations -----------------------------------------------

CircuitBreakerConfig count_based_breaker_config() {
  CircuitBreakerConfig config;
  config.name = "bench_count_based";
  config.window_type = SlidingWindowType::count_based;
  config.window_size = 100;
  config.minimum_calls = 100;
  config.failure_rate_threshold_percent = 50;
  return config;
}

CircuitBreakerConfig time_based_breaker_config() {
  CircuitBreakerConfig config;
  config.name = "bench_time_based";
  config.window_type = SlidingWindowType::time_based;
  config.window_size = 60;  // seconds
  config.minimum_calls = 100;
  config.failure_rate_threshold_percent = 50;
  return config;
}

// Count-based, timing every call; the calls here are never slow.
CircuitBreakerConfig slow_call_breaker_config() {
  CircuitBreakerConfig config = count_based_breaker_config();
  config.name = "bench_slow_calls";
  config.slow_call_duration = std::chrono::seconds(1);
  config.slow_call_rate_threshold_percent = 100;
  return config;
}

RetryConfig retry_config(std::shared_ptr<RetryBudget> budget) {
  RetryConfig config;
  config.name = "bench_retry";
  config.max_attempts = 3;
  config.budget = std::move(budget);
  return config;
}

std::shared_ptr<RetryBudget> make_retry_budget() {
  RetryBudgetConfig config;
  config.max_tokens = 10;
  config.token_ratio = 0.1;
  return std::make_shared<RetryBudget>(config);
}

BulkheadConfig bulkhead_config() {
  BulkheadConfig config;
  config.name = "bench_bulkhead";
  config.max_concurrent_calls = 25;
  return config;
}

// 1e9 permits per second is one per nanosecond, faster than any call here
// can arrive, and a burst of a million absorbs any hiccup: never rejects.
RateLimiterConfig rate_limiter_config() {
  RateLimiterConfig config;
  config.name = "bench_rate_limiter";
  config.permits_per_second = 1e9;
  config.burst = 1'000'000;
  return config;
}

TimeoutConfig timeout_config() {
  TimeoutConfig config;
  config.name = "bench_timeout";
  config.timeout = std::chrono::seconds(10);
  return config;
}

// ---- Baselines -------------------------------------------------------------

alignas(64) std::atomic<std::uint64_t> baseline_counter{0};

void BM_Baseline_AtomicIncrement(benchmark::State& state) {
  HotPathProbe probe;
  for (auto _ : state) baseline_counter.fetch_add(1, std::memory_order_relaxed);
  probe.report(state);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Baseline_AtomicIncrement);
// Two threads on one counter: what sharing a written cache line costs here,
// the floor for any policy state that every call of every thread updates.
BENCHMARK(BM_Baseline_AtomicIncrement)->Threads(2)->UseRealTime();

void BM_Baseline_SteadyClockNow(benchmark::State& state) {
  HotPathProbe probe;
  for (auto _ : state) benchmark::DoNotOptimize(std::chrono::steady_clock::now());
  probe.report(state);
}
BENCHMARK(BM_Baseline_SteadyClockNow);

// The same reading as a policy takes it: a virtual call through `const
// Clock&` to SteadyClock::now(). Targets are stated against the baseline
// above; this shows what the indirection adds to each read.
void BM_Baseline_ClockInterfaceNow(benchmark::State& state) {
  const Clock* clock = &real_clock();
  benchmark::DoNotOptimize(clock);  // the compiler must not devirtualize
  HotPathProbe probe;
  for (auto _ : state) benchmark::DoNotOptimize(clock->now());
  probe.report(state);
}
BENCHMARK(BM_Baseline_ClockInterfaceNow);

// A control for the mutex counter (it must read 1) and the scale of an
// uncontended lock and unlock.
void BM_Baseline_UncontendedMutex(benchmark::State& state) {
  std::mutex mutex;
  HotPathProbe probe;
  for (auto _ : state) {
    std::lock_guard lock(mutex);
    benchmark::DoNotOptimize(mutex);
  }
  probe.report(state);
}
BENCHMARK(BM_Baseline_UncontendedMutex);

// ---- Circuit breaker -------------------------------------------------------

// Shared by every thread of the multithreaded run, as one breaker per
// backend is shared by a service's threads.
CircuitBreaker& shared_count_based_breaker() {
  static CircuitBreaker breaker(count_based_breaker_config(), real_clock());
  return breaker;
}

// Closed, count-based, no slow-call tracking: try_acquire + record(ok).
// Lock-free and clock-free by design; with ->Threads(2) both threads hit
// the same breaker, which shows whether it serializes them.
void BM_CircuitBreaker_CountBased_Closed(benchmark::State& state) {
  run_succeeding_calls(state, shared_count_based_breaker());
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_CircuitBreaker_CountBased_Closed);
BENCHMARK(BM_CircuitBreaker_CountBased_Closed)->Threads(2)->UseRealTime();

// Closed, time-based: the window needs the time of each call (one clock read).
void BM_CircuitBreaker_TimeBased_Closed(benchmark::State& state) {
  CircuitBreaker breaker(time_based_breaker_config(), real_clock());
  run_succeeding_calls(state, breaker);
}
BENCHMARK(BM_CircuitBreaker_TimeBased_Closed);

// Closed, count-based, timing each call for slow-call tracking (two clock
// reads: start and end).
void BM_CircuitBreaker_SlowCallTracking(benchmark::State& state) {
  CircuitBreaker breaker(slow_call_breaker_config(), real_clock());
  run_succeeding_calls(state, breaker);
}
BENCHMARK(BM_CircuitBreaker_SlowCallTracking);

// ---- Retry -----------------------------------------------------------------

void BM_Retry_SucceedsFirstTime(benchmark::State& state) {
  Retry retry(retry_config(nullptr), real_clock());
  run_succeeding_calls(state, retry);
}
BENCHMARK(BM_Retry_SucceedsFirstTime);

void BM_Retry_WithBudget_SucceedsFirstTime(benchmark::State& state) {
  Retry retry(retry_config(make_retry_budget()), real_clock());
  run_succeeding_calls(state, retry);
}
BENCHMARK(BM_Retry_WithBudget_SucceedsFirstTime);

// ---- Bulkhead, rate limiter, timeout -----------------------------------------

void BM_Bulkhead_AcquireRelease(benchmark::State& state) {
  Bulkhead bulkhead(bulkhead_config(), real_clock());
  run_succeeding_calls(state, bulkhead);
}
BENCHMARK(BM_Bulkhead_AcquireRelease);

// A permit is reserved at the call's clock reading: one clock read.
void BM_RateLimiter_Acquire(benchmark::State& state) {
  RateLimiter limiter(rate_limiter_config(), real_clock());
  run_succeeding_calls(state, limiter);
}
BENCHMARK(BM_RateLimiter_Acquire);

// Without a canceller the deadline is cooperative: one read to set it, one
// after the call to tell whether it passed.
void BM_Timeout_NoCanceller(benchmark::State& state) {
  Timeout timeout(timeout_config(), real_clock());
  run_succeeding_calls(state, timeout);
}
BENCHMARK(BM_Timeout_NoCanceller);

// ---- Adaptive concurrency limits and client-side throttling ----------------

// try_acquire + release with the round-trip time the caller measured: the
// limiter reads no clock. Each call is alone in flight, so the limit (well
// above one) never moves and the figure is the steady state: the admission
// compare-and-swap, the release, the try-lock and one sample into the
// algorithm's window (the window's update, once per limit's worth of
// samples, is amortized into it).
template <class Algorithm, class Config>
void run_adaptive_acquire_release(benchmark::State& state, Config config,
                                  faultline::resilience::AdaptiveConcurrencyLimiterConfig
                                      limiter_config = {}) {
  using faultline::resilience::AdaptiveConcurrencyLimiter;
  using faultline::resilience::CallResult;
  AdaptiveConcurrencyLimiter limiter(std::move(limiter_config), std::make_unique<Algorithm>(config),
                                     real_clock());
  const faultline::Duration rtt = std::chrono::milliseconds(10);
  HotPathProbe probe;
  for (auto _ : state) {
    if (!limiter.try_acquire(0)) [[unlikely]] {
      state.SkipWithError("the adaptive limiter rejected a call");
      break;
    }
    limiter.release(0, rtt, CallResult::success);
  }
  probe.report(state);
}

void BM_AdaptiveLimiter_Aimd_AcquireRelease(benchmark::State& state) {
  run_adaptive_acquire_release<faultline::resilience::AimdLimit>(
      state, faultline::resilience::AimdLimitConfig{.initial_limit = 100});
}
BENCHMARK(BM_AdaptiveLimiter_Aimd_AcquireRelease);

void BM_AdaptiveLimiter_Vegas_AcquireRelease(benchmark::State& state) {
  run_adaptive_acquire_release<faultline::resilience::VegasLimit>(
      state, faultline::resilience::VegasLimitConfig{.initial_limit = 100});
}
BENCHMARK(BM_AdaptiveLimiter_Vegas_AcquireRelease);

void BM_AdaptiveLimiter_Gradient_AcquireRelease(benchmark::State& state) {
  run_adaptive_acquire_release<faultline::resilience::GradientLimit>(
      state, faultline::resilience::GradientLimitConfig{.initial_limit = 100});
}
BENCHMARK(BM_AdaptiveLimiter_Gradient_AcquireRelease);

// Two classes (80% live, 20% batch): a second compare-and-swap per acquire
// and a second decrement per release, on the class's own counter.
void BM_AdaptiveLimiter_Vegas_TwoClasses_AcquireRelease(benchmark::State& state) {
  using faultline::resilience::LimiterClassConfig;
  run_adaptive_acquire_release<faultline::resilience::VegasLimit>(
      state, faultline::resilience::VegasLimitConfig{.initial_limit = 100},
      {.name = "bench_classes",
       .classes = {LimiterClassConfig{.name = "live", .share = 0.8},
                   LimiterClassConfig{.name = "batch", .share = 0.2}}});
}
BENCHMARK(BM_AdaptiveLimiter_Vegas_TwoClasses_AcquireRelease);

// One limiter shared by both threads, as a service's threads share one per
// dependency: every call writes the in-flight counter and the update flag.
faultline::resilience::AdaptiveConcurrencyLimiter& shared_vegas_limiter() {
  static faultline::resilience::AdaptiveConcurrencyLimiter limiter(
      {.name = "bench_shared"},
      std::make_unique<faultline::resilience::VegasLimit>(
          faultline::resilience::VegasLimitConfig{.initial_limit = 100}),
      real_clock());
  return limiter;
}

void BM_AdaptiveLimiter_Vegas_Shared_AcquireRelease(benchmark::State& state) {
  auto& limiter = shared_vegas_limiter();
  const faultline::Duration rtt = std::chrono::milliseconds(10);
  HotPathProbe probe;
  for (auto _ : state) {
    if (!limiter.try_acquire(0)) [[unlikely]] {
      state.SkipWithError("the adaptive limiter rejected a call");
      break;
    }
    limiter.release(0, rtt, faultline::resilience::CallResult::success);
  }
  probe.report(state);
}
BENCHMARK(BM_AdaptiveLimiter_Vegas_Shared_AcquireRelease)->Threads(2)->UseRealTime();

// try_admit + record_accepted at a time the caller gives (advancing 1us a
// call, so buckets of 10s are recycled as in real use); a healthy backend,
// so no random draw. No clock read: the throttle reads none of its own.
void BM_AdaptiveThrottle_AdmitAccept(benchmark::State& state) {
  faultline::resilience::AdaptiveThrottle throttle(
      faultline::resilience::AdaptiveThrottleConfig{.name = "bench_throttle"}, real_clock());
  faultline::TimePoint now(std::chrono::hours(1));
  HotPathProbe probe;
  for (auto _ : state) {
    if (!throttle.try_admit(now)) [[unlikely]] {
      state.SkipWithError("the throttle rejected a call to a healthy backend");
      break;
    }
    throttle.record_accepted(now);
    now += std::chrono::microseconds(1);
  }
  probe.report(state);
}
BENCHMARK(BM_AdaptiveThrottle_AdmitAccept);

// ---- Pipeline --------------------------------------------------------------

// total timeout -> retry (with budget) -> breaker -> bulkhead -> rate
// limiter -> the call. The timeout's reading is shared down the chain (the
// rate limiter reuses it) and refreshed once after the call: two clock reads.
void BM_Pipeline_FivePolicies(benchmark::State& state) {
  const Clock& clock = real_clock();
  const auto pipeline = make_pipeline(
      clock, std::make_shared<Timeout>(timeout_config(), clock),
      std::make_shared<Retry>(retry_config(make_retry_budget()), clock),
      std::make_shared<CircuitBreaker>(count_based_breaker_config(), clock),
      std::make_shared<Bulkhead>(bulkhead_config(), clock),
      std::make_shared<RateLimiter>(rate_limiter_config(), clock));
  run_succeeding_calls(state, pipeline);
}
BENCHMARK(BM_Pipeline_FivePolicies);

}  // namespace

BENCHMARK_MAIN();
