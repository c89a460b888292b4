#include "faultline/resilience/adaptive_throttle.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "faultline/core/manual_clock.hpp"
#include "faultline/core/manual_scheduler.hpp"
#include "faultline/resilience/config_error.hpp"
#include "faultline/resilience/pipeline.hpp"

namespace faultline::resilience {
namespace {

using namespace std::chrono_literals;

AdaptiveThrottleConfig one_minute_window(double k = 2) {
  return AdaptiveThrottleConfig{.name = "search", .k = k, .window = 60s, .buckets = 6, .seed = 7};
}

TEST(AdaptiveThrottle, AHealthyBackendIsNeverThrottled) {
  ManualClock clock;
  AdaptiveThrottle throttle(one_minute_window(), clock);
  for (int i = 0; i < 10'000; ++i) {
    CallContext context(clock);
    ASSERT_TRUE(throttle.execute(context, [] { return Status(); }).ok());
    clock.advance(10ms);
  }
  const AdaptiveThrottleMetrics metrics = throttle.metrics(clock.now());
  EXPECT_EQ(metrics.probability, 0.0);
  EXPECT_EQ(metrics.throttled_total, 0u);
  EXPECT_EQ(metrics.requests, metrics.accepts);
}

TEST(AdaptiveThrottle, TheProbabilityIsTheSreBooksFormula) {
  ManualClock clock;
  AdaptiveThrottle throttle(one_minute_window(/*k=*/2), clock);
  // 99 requests counted, 20 accepted: (99 - 2 x 20) / (99 + 1) = 0.59.
  for (int i = 0; i < 99; ++i) {
    (void)throttle.try_admit(clock.now());
    if (i < 20) throttle.record_accepted(clock.now());
  }
  EXPECT_DOUBLE_EQ(throttle.probability(clock.now()), 0.59);
  // While accepts are at least requests / k, nothing is rejected.
  AdaptiveThrottle lenient(one_minute_window(/*k=*/5), clock);
  for (int i = 0; i < 99; ++i) {
    ASSERT_TRUE(lenient.try_admit(clock.now()));
    if (i < 20) lenient.record_accepted(clock.now());
  }
  EXPECT_EQ(lenient.probability(clock.now()), 0.0);
}

TEST(AdaptiveThrottle, ABackendThatRejectsEverythingStopsReceivingRequests) {
  ManualClock clock;
  AdaptiveThrottle throttle(one_minute_window(), clock);
  int sent = 0;
  const int attempted = 2000;
  for (int i = 0; i < attempted; ++i) {
    CallContext context(clock);
    const Status status = throttle.execute(context, [&] {
      ++sent;
      return Status::resource_exhausted("backend overloaded");
    });
    if (i > 100 && status.reason() != kReasonClientThrottled) {
      EXPECT_EQ(status.code(), StatusCode::resource_exhausted);
    }
    clock.advance(10ms);
  }
  // Nothing accepted: the probability tends to requests / (requests + 1).
  EXPECT_GT(throttle.probability(clock.now()), 0.99);
  EXPECT_LT(sent, attempted / 20);
  EXPECT_EQ(throttle.metrics(clock.now()).throttled_total, static_cast<std::uint64_t>(attempted - sent));
}

TEST(AdaptiveThrottle, ABackendAtCapacityReceivesAboutKTimesWhatItAccepts) {
  ManualClock clock;
  AdaptiveThrottle throttle(
      AdaptiveThrottleConfig{.k = 2, .window = 10s, .buckets = 10, .seed = 3}, clock);
  // The client attempts 1000 requests a second; the backend accepts 100 a
  // second (a bucket of credit, 0.1 a millisecond, up to 10) and refuses
  // the rest.
  double backend_credit = 0;
  int sent = 0;
  int accepted = 0;
  for (int i = 0; i < 30'000; ++i) {
    const bool measuring = i >= 20'000;  // the last 10s, after the window filled
    CallContext context(clock);
    (void)throttle.execute(context, [&] {
      sent += measuring;
      if (backend_credit < 1) return Status::resource_exhausted("at capacity");
      backend_credit -= 1;
      accepted += measuring;
      return Status();
    });
    clock.advance(1ms);
    backend_credit = std::min(10.0, backend_credit + 0.1);
  }
  // The backend still gets all it can take, and only about k times that.
  EXPECT_GE(accepted, 950);
  EXPECT_NEAR(static_cast<double>(sent) / accepted, 2.0, 0.3);
}

TEST(AdaptiveThrottle, ForgetsAnOutageOnceItLeavesTheWindow) {
  ManualClock clock;
  AdaptiveThrottle throttle(one_minute_window(), clock);
  for (int i = 0; i < 1000; ++i) (void)throttle.try_admit(clock.now());  // all refused
  EXPECT_GT(throttle.probability(clock.now()), 0.9);
  clock.advance(30s);
  EXPECT_GT(throttle.probability(clock.now()), 0.9);  // still in the window
  clock.advance(31s);
  EXPECT_EQ(throttle.probability(clock.now()), 0.0);
  EXPECT_TRUE(throttle.try_admit(clock.now()));
}

TEST(AdaptiveThrottle, TheSameSeedThrottlesTheSameRequests) {
  auto pattern = [] {
    ManualClock clock;
    AdaptiveThrottle throttle(one_minute_window(), clock);
    std::string admitted;
    for (int i = 0; i < 200; ++i) {
      const bool ok = throttle.try_admit(clock.now());
      admitted += ok ? '1' : '0';
      if (i % 4 == 0) throttle.record_accepted(clock.now());
      clock.advance(5ms);
    }
    return admitted;
  };
  const std::string first = pattern();
  EXPECT_EQ(first, pattern());
  EXPECT_NE(first.find('0'), std::string::npos);
}

TEST(AdaptiveThrottle, PublishesTheProbabilityWithEachLocalRejection) {
  ManualClock clock;
  AdaptiveThrottle throttle(one_minute_window(), clock);
  std::vector<AdaptiveThrottleEvent> events;
  throttle.events().subscribe([&](const AdaptiveThrottleEvent& e) { events.push_back(e); });
  for (int i = 0; i < 200; ++i) (void)throttle.admit(clock.now());
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events.back().throttle_name, "search");
  EXPECT_GT(events.back().probability, 0.9);
  EXPECT_EQ(events.size(), throttle.metrics(clock.now()).throttled_total);
}

TEST(AdaptiveThrottle, WorksInAnAsyncPipeline) {
  ManualScheduler scheduler;
  auto throttle = std::make_shared<AdaptiveThrottle>(one_minute_window(), scheduler.clock());
  auto pipeline = make_pipeline(scheduler.clock(), throttle);
  const AsyncCallContext context(&scheduler);
  int refused_locally = 0;
  for (int i = 0; i < 500; ++i) {
    pipeline.async_execute<Status>(
        context,
        [](const AsyncCallContext& c, Completion<Status> done) {
          c.scheduler->schedule_after(1ms, [done] { done(Status::unavailable("down")); });
        },
        [&](Status s) { refused_locally += s.reason() == kReasonClientThrottled; });
    scheduler.advance(2ms);
  }
  EXPECT_GT(refused_locally, 400);
}

TEST(AdaptiveThrottle, RejectsInvalidParametersByName) {
  auto message = [](AdaptiveThrottleConfig config) {
    try {
      AdaptiveThrottle throttle(std::move(config));
    } catch (const ConfigError& error) {
      return std::string(error.what());
    }
    return std::string("(accepted)");
  };
  EXPECT_NE(message({.k = 0.5}).find("adaptive_throttle.k must be in [1, 100], got 0.5"),
            std::string::npos);
  EXPECT_NE(message({.window = 0s}).find("adaptive_throttle.window must be > 0"), std::string::npos);
  EXPECT_NE(message({.buckets = 0}).find("adaptive_throttle.buckets must be in [1, 1000]"),
            std::string::npos);
}

}  // namespace
}  // namespace faultline::resilience
