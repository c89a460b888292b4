// Many threads hammer one bulkhead; the counts must stay exact and the
// limit must never be exceeded. Runs under ThreadSanitizer in ./dev test.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "faultline/resilience/bulkhead.hpp"
#include "faultline/resilience/rate_limiter.hpp"
#include "faultline/resilience/retry.hpp"

namespace faultline::resilience {
namespace {

using namespace std::chrono_literals;

TEST(BulkheadConcurrency, NeverExceedsTheLimitAndCountsEveryCall) {
  constexpr int kThreads = 8;
  constexpr int kCallsPerThread = 5000;
  Bulkhead bulkhead(BulkheadConfig{.max_concurrent_calls = 3});
  std::atomic<int> inside{0};
  std::atomic<int> most_inside{0};
  std::atomic<int> ran{0};
  std::atomic<int> rejected{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kCallsPerThread; ++i) {
        const Status status = bulkhead.execute([&] {
          const int now_inside = inside.fetch_add(1) + 1;
          int seen = most_inside.load();
          while (now_inside > seen && !most_inside.compare_exchange_weak(seen, now_inside)) {
          }
          ran.fetch_add(1);
          inside.fetch_sub(1);
          return Status();
        });
        if (!status.ok()) rejected.fetch_add(1);
      }
    });
  }
  for (auto& t : threads) t.join();
  const BulkheadMetrics metrics = bulkhead.metrics();
  EXPECT_LE(most_inside.load(), 3);
  EXPECT_EQ(ran.load() + rejected.load(), kThreads * kCallsPerThread);
  EXPECT_EQ(metrics.admitted_total, static_cast<std::uint64_t>(ran.load()));
  EXPECT_EQ(metrics.rejected_total, static_cast<std::uint64_t>(rejected.load()));
  EXPECT_EQ(metrics.in_flight, 0u);
}

TEST(BulkheadConcurrency, QueuedWaitersAllGetThroughWhenSlotsFree) {
  constexpr int kThreads = 8;
  constexpr int kCallsPerThread = 500;
  Bulkhead bulkhead(BulkheadConfig{.max_concurrent_calls = 2, .max_queued_calls = kThreads, .max_queue_wait = 30s});
  std::atomic<int> ran{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kCallsPerThread; ++i) {
        EXPECT_TRUE(bulkhead.execute([&] { ran.fetch_add(1); return Status(); }).ok());
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ran.load(), kThreads * kCallsPerThread);
  EXPECT_EQ(bulkhead.metrics().rejected_total, 0u);
  EXPECT_EQ(bulkhead.metrics().in_flight, 0u);
}

TEST(RateLimiterConcurrency, GrantsExactlyTheBurstToRacingThreads) {
  constexpr int kThreads = 8;
  SteadyClock const& clock = SteadyClock::instance();
  // A rate so low that no permit refills during the race.
  RateLimiter limiter(RateLimiterConfig{.permits_per_second = 0.001, .burst = 100}, clock);
  std::atomic<int> granted{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 1000; ++i) granted += limiter.execute([] { return Status(); }).ok() ? 1 : 0;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(granted.load(), 100);
  EXPECT_EQ(limiter.metrics().permitted_total, 100u);
  EXPECT_EQ(limiter.metrics().rejected_total, static_cast<std::uint64_t>(kThreads * 1000 - 100));
}

TEST(RetryConcurrency, SharedRetryCountsEveryCall) {
  constexpr int kThreads = 8;
  constexpr int kCalls = 2000;
  RetryConfig config;
  config.backoff = Backoff::constant(0ms);
  config.budget = std::make_shared<RetryBudget>(RetryBudgetConfig{.max_tokens = 1000, .token_ratio = 1});
  Retry retry(config);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      int n = 0;
      for (int i = 0; i < kCalls; ++i) {
        (void)retry.execute([&] { return (++n + t) % 2 == 0 ? Status() : Status::unavailable("x"); });
      }
    });
  }
  for (auto& t : threads) t.join();
  const RetryMetrics m = retry.metrics();
  EXPECT_EQ(m.succeeded_without_retry + m.succeeded_after_retry + m.failed_without_retry +
                m.failed_after_retry,
            static_cast<std::uint64_t>(kThreads * kCalls));
}

}  // namespace
}  // namespace faultline::resilience
