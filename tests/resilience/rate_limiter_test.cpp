#include "faultline/resilience/rate_limiter.hpp"

#include <gtest/gtest.h>

#include "faultline/core/manual_clock.hpp"
#include "faultline/core/manual_scheduler.hpp"
#include "faultline/resilience/config_error.hpp"

namespace faultline::resilience {
namespace {

using namespace std::chrono_literals;

TEST(RateLimiter, AllowsTheBurstThenTheRate) {
  ManualClock clock;
  RateLimiter limiter(RateLimiterConfig{.permits_per_second = 10, .burst = 3}, clock);
  int permitted = 0;
  for (int i = 0; i < 5; ++i) permitted += limiter.execute([] { return Status(); }).ok() ? 1 : 0;
  EXPECT_EQ(permitted, 3);
  clock.advance(100ms);  // one permit refills every 100 ms
  EXPECT_TRUE(limiter.execute([] { return Status(); }).ok());
  EXPECT_FALSE(limiter.execute([] { return Status(); }).ok());
}

TEST(RateLimiter, RejectionSaysWhenAPermitWillBeFree) {
  ManualClock clock;
  RateLimiter limiter(RateLimiterConfig{.permits_per_second = 10, .burst = 1}, clock);
  EXPECT_TRUE(limiter.execute([] { return Status(); }).ok());
  clock.advance(30ms);
  const Status rejected = limiter.execute([] { return Status(); });
  EXPECT_EQ(rejected.code(), StatusCode::resource_exhausted);
  EXPECT_EQ(rejected.reason(), kReasonRateLimited);
  EXPECT_EQ(rejected.retry_after(), Duration(70ms));
  EXPECT_EQ(limiter.metrics().rejected_total, 1u);
}

TEST(RateLimiter, WaitsForAPermitWithinMaxWait) {
  ManualClock clock;
  RateLimiter limiter(RateLimiterConfig{.permits_per_second = 10, .burst = 1, .max_wait = 250ms}, clock);
  const TimePoint start = clock.now();
  std::vector<Duration> started;
  for (int i = 0; i < 3; ++i) {
    EXPECT_TRUE(limiter.execute([&] { started.push_back(clock.now() - start); return Status(); }).ok());
  }
  EXPECT_EQ(started, (std::vector<Duration>{0ms, 100ms, 200ms}));
  EXPECT_EQ(limiter.metrics().waited_total, 2u);
}

TEST(RateLimiter, NeverWaitsPastTheCallsDeadline) {
  ManualClock clock;
  RateLimiter limiter(RateLimiterConfig{.permits_per_second = 1, .burst = 1, .max_wait = 10s}, clock);
  EXPECT_TRUE(limiter.execute([] { return Status(); }).ok());
  CallContext context(clock, clock.now() + 500ms);
  const Status status = limiter.execute(context, [] { return Status(); });
  EXPECT_EQ(status.reason(), kReasonRateLimited);
}

TEST(RateLimiter, SustainedRateMatchesTheConfiguration) {
  ManualClock clock;
  RateLimiter limiter(RateLimiterConfig{.permits_per_second = 50, .burst = 5}, clock);
  int permitted = 0;
  for (int ms = 0; ms < 10'000; ++ms) {  // 10 s, one try per millisecond
    permitted += limiter.reserve(clock.now(), Duration::zero()).ok() ? 1 : 0;
    clock.advance(1ms);
  }
  EXPECT_GE(permitted, 500);
  EXPECT_LE(permitted, 505);  // the rate plus the initial burst
}

TEST(RateLimiterAsync, WaitsOnTheScheduler) {
  ManualScheduler scheduler;
  RateLimiter limiter(RateLimiterConfig{.permits_per_second = 10, .burst = 1, .max_wait = 1s},
                      scheduler.clock());
  std::vector<Duration> ran;
  const TimePoint start = scheduler.clock().now();
  for (int i = 0; i < 2; ++i) {
    limiter.async_execute<Status>(
        AsyncCallContext(&scheduler),
        [&](const AsyncCallContext&, Completion<Status> done) {
          ran.push_back(scheduler.clock().now() - start);
          done(Status());
        },
        [](Status) {});
  }
  scheduler.advance(1s);
  EXPECT_EQ(ran, (std::vector<Duration>{0ms, 100ms}));
}

TEST(RateLimiter, InvalidConfigsAreRejected) {
  EXPECT_THROW(RateLimiter(RateLimiterConfig{.permits_per_second = 0}), ConfigError);
  EXPECT_THROW(RateLimiter(RateLimiterConfig{.permits_per_second = -1}), ConfigError);
  EXPECT_THROW(RateLimiter(RateLimiterConfig{.permits_per_second = 10, .burst = 0}), ConfigError);
  EXPECT_THROW(RateLimiter(RateLimiterConfig{.permits_per_second = 10, .burst = 1, .max_wait = -1ms}),
               ConfigError);
}

}  // namespace
}  // namespace faultline::resilience
