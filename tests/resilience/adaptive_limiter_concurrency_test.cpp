// Many threads share one adaptive limiter and one adaptive throttle: the
// counts must stay exact, slots must all come back, the limit must stay
// within its bounds, and the algorithm (updated under a try-lock) must never
// be raced. Runs under ThreadSanitizer in ./dev test.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "faultline/core/manual_clock.hpp"
#include "faultline/resilience/adaptive_concurrency_limiter.hpp"
#include "faultline/resilience/adaptive_throttle.hpp"
#include "faultline/resilience/aimd_limit.hpp"
#include "faultline/resilience/gradient_limit.hpp"
#include "faultline/resilience/vegas_limit.hpp"

namespace faultline::resilience {
namespace {

using namespace std::chrono_literals;

void hammer(AdaptiveConcurrencyLimiter& limiter, std::uint32_t max_limit) {
  constexpr int kThreads = 4;
  constexpr int kCallsPerThread = 20'000;
  std::atomic<std::uint64_t> admitted{0};
  std::atomic<std::uint64_t> rejected{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      const std::size_t request_class = static_cast<std::size_t>(t) % limiter.classes().size();
      for (int i = 0; i < kCallsPerThread; ++i) {
        if (!limiter.try_acquire(request_class)) {
          rejected.fetch_add(1);
          continue;
        }
        admitted.fetch_add(1);
        EXPECT_LE(limiter.limit(), max_limit);
        // Slower when more are in flight, and now and then a drop.
        const auto in_flight = limiter.metrics().in_flight;
        const CallResult result = i % 97 == 0 ? CallResult::dropped : CallResult::success;
        limiter.release(request_class, Duration(1'000'000 + 100'000 * in_flight), result);
      }
    });
  }
  for (auto& thread : threads) thread.join();
  const AdaptiveLimiterMetrics metrics = limiter.metrics();
  EXPECT_EQ(metrics.in_flight, 0u);
  EXPECT_EQ(metrics.admitted_total, admitted.load());
  EXPECT_EQ(admitted.load() + rejected.load(), std::uint64_t{kThreads} * kCallsPerThread);
  EXPECT_EQ(metrics.samples_total, admitted.load());
  EXPECT_GE(metrics.limit, 2u);
  EXPECT_LE(metrics.limit, max_limit);
}

TEST(AdaptiveLimiterConcurrency, AimdCountsEveryCallAndReturnsEverySlot) {
  AdaptiveConcurrencyLimiter limiter(
      {}, std::make_unique<AimdLimit>(AimdLimitConfig{.initial_limit = 4, .min_limit = 2, .max_limit = 64}));
  hammer(limiter, 64);
}

TEST(AdaptiveLimiterConcurrency, VegasWithTwoClassesCountsEveryCall) {
  AdaptiveConcurrencyLimiter limiter(
      AdaptiveConcurrencyLimiterConfig{.classes = {{.name = "live", .share = 0.8},
                                                   {.name = "batch", .share = 0.2, .may_borrow = false}}},
      std::make_unique<VegasLimit>(VegasLimitConfig{.initial_limit = 4, .min_limit = 2, .max_limit = 64}));
  hammer(limiter, 64);
  EXPECT_EQ(limiter.class_metrics(0).in_flight, 0u);
  EXPECT_EQ(limiter.class_metrics(1).in_flight, 0u);
}

TEST(AdaptiveLimiterConcurrency, GradientCountsEveryCall) {
  AdaptiveConcurrencyLimiter limiter(
      {}, std::make_unique<GradientLimit>(GradientLimitConfig{.initial_limit = 4, .min_limit = 2, .max_limit = 64}));
  hammer(limiter, 64);
}

TEST(AdaptiveThrottleConcurrency, CountsEveryRequestFromManyThreads) {
  ManualClock clock;
  // One bucket spanning the whole test: no recycling, so counts are exact.
  AdaptiveThrottle throttle(AdaptiveThrottleConfig{.window = 1h, .buckets = 1}, clock);
  constexpr int kThreads = 4;
  constexpr int kPerThread = 20'000;
  std::atomic<std::uint64_t> throttled{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        const Status status = throttle.admit(clock.now());
        if (!status.ok()) {
          throttled.fetch_add(1);
        } else if (t % 2 == 0) {
          throttle.record_accepted(clock.now());  // half the clients' backends answer
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  const AdaptiveThrottleMetrics metrics = throttle.metrics(clock.now());
  EXPECT_EQ(metrics.requests, std::uint64_t{kThreads} * kPerThread);
  EXPECT_EQ(metrics.throttled_total, throttled.load());
  EXPECT_GE(metrics.probability, 0.0);
  EXPECT_LT(metrics.probability, 1.0);
}

}  // namespace
}  // namespace faultline::resilience
