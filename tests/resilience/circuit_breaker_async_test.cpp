// async_execute on a ManualScheduler: operations that complete later, in
// virtual time, and rejections delivered at once.
#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "faultline/core/manual_scheduler.hpp"
#include "faultline/resilience/circuit_breaker.hpp"

namespace faultline::resilience {
namespace {

using namespace std::chrono_literals;

CircuitBreakerConfig async_config() {
  CircuitBreakerConfig config;
  config.name = "async";
  config.window_size = 4;
  config.minimum_calls = 2;
  config.wait_in_open = OpenWait::fixed(5s);
  config.permitted_calls_in_half_open = 1;
  config.slow_call_duration = 1s;
  config.slow_call_rate_threshold_percent = 100;
  return config;
}

// An operation that answers `outcome` after `latency` on the scheduler.
template <class R>
AsyncOperation<R> answer_after(ManualScheduler& scheduler, Duration latency, R outcome, int& started) {
  return [&scheduler, latency, outcome, &started](const AsyncCallContext&, Completion<R> done) {
    ++started;
    scheduler.schedule_after(latency, [done, outcome] { done(outcome); });
  };
}

TEST(CircuitBreakerAsync, RecordsTheOutcomeWhenTheOperationCompletes) {
  ManualScheduler scheduler;
  CircuitBreaker breaker(async_config(), scheduler.clock());
  const AsyncCallContext context{&scheduler};
  int started = 0;
  std::optional<Result<std::string>> answer;
  breaker.async_execute<Result<std::string>>(
      context, answer_after<Result<std::string>>(scheduler, 200ms, std::string("value"), started),
      [&](Result<std::string> result) { answer = std::move(result); });
  EXPECT_EQ(started, 1);
  EXPECT_FALSE(answer.has_value());
  EXPECT_EQ(breaker.metrics().successful_calls_total, 0u);  // not yet
  scheduler.advance(200ms);
  ASSERT_TRUE(answer.has_value());
  EXPECT_EQ(**answer, "value");
  const CircuitBreakerMetrics metrics = breaker.metrics();
  EXPECT_EQ(metrics.successful_calls_total, 1u);
  EXPECT_EQ(metrics.slow_calls_total, 0u);
}

TEST(CircuitBreakerAsync, TimesCallsOnTheSchedulersClockAndTripsOnSlowOnes) {
  ManualScheduler scheduler;
  CircuitBreaker breaker(async_config(), scheduler.clock());
  const AsyncCallContext context{&scheduler};
  int started = 0;
  int answered = 0;
  for (int i = 0; i < 2; ++i) {
    breaker.async_execute<Status>(context, answer_after(scheduler, 1500ms, Status(), started),
                                  [&](Status) { ++answered; });
  }
  scheduler.advance(1500ms);
  EXPECT_EQ(answered, 2);
  EXPECT_EQ(breaker.metrics().slow_calls_total, 2u);
  EXPECT_EQ(breaker.state(), CircuitState::open);  // 2 of 2 slow
}

TEST(CircuitBreakerAsync, DeliversTheRejectionSynchronouslyWithoutStarting) {
  ManualScheduler scheduler;
  CircuitBreaker breaker(async_config(), scheduler.clock());
  breaker.force_open();
  int started = 0;
  std::optional<Status> answer;
  breaker.async_execute<Status>(AsyncCallContext{&scheduler},
                                answer_after(scheduler, 1ms, Status(), started),
                                [&](Status status) { answer = std::move(status); });
  EXPECT_EQ(started, 0);
  ASSERT_TRUE(answer.has_value());
  EXPECT_TRUE(is_rejection(*answer, kReasonCircuitOpen));
  EXPECT_EQ(scheduler.pending(), 0u);
}

TEST(CircuitBreakerAsync, FailuresTripAndTheOpenBreakerSaysWhenToComeBack) {
  ManualScheduler scheduler;
  CircuitBreaker breaker(async_config(), scheduler.clock());
  const AsyncCallContext context{&scheduler};
  int started = 0;
  for (int i = 0; i < 2; ++i) {
    breaker.async_execute<Status>(context,
                                  answer_after(scheduler, 10ms, Status::unavailable("down"), started),
                                  [](Status) {});
  }
  scheduler.advance(10ms);
  EXPECT_EQ(breaker.state(), CircuitState::open);
  scheduler.advance(2s);
  std::optional<Result<int>> answer;
  breaker.async_execute<Result<int>>(context, answer_after(scheduler, 1ms, Result<int>(1), started),
                                     [&](Result<int> result) { answer = std::move(result); });
  ASSERT_TRUE(answer.has_value());
  EXPECT_EQ(answer->status().retry_after(), Duration(3s));
  EXPECT_EQ(started, 2);
}

TEST(CircuitBreakerAsync, ADroppedCompletionFreesTheProbeSlot) {
  ManualScheduler scheduler;
  CircuitBreaker breaker(async_config(), scheduler.clock());
  const AsyncCallContext context{&scheduler};
  breaker.force_open();
  breaker.reset();
  breaker.disable();
  breaker.reset();
  // Trip it with two synchronous failures, then wait until probes are due.
  for (int i = 0; i < 2; ++i) (void)breaker.execute([] { return Status::unavailable("down"); });
  scheduler.advance(5s);
  // An operation that loses its completion (say, its connection was torn down).
  breaker.async_execute<Status>(context, [](const AsyncCallContext&, Completion<Status>) {},
                                [](Status) { ADD_FAILURE() << "never completed"; });
  EXPECT_EQ(breaker.state(), CircuitState::half_open);
  int started = 0;
  bool answered = false;
  breaker.async_execute<Status>(context, answer_after(scheduler, 1ms, Status(), started),
                                [&](Status status) { answered = status.ok(); });
  EXPECT_EQ(started, 1);  // the slot came back
  scheduler.advance(1ms);
  EXPECT_TRUE(answered);
  EXPECT_EQ(breaker.state(), CircuitState::closed);
}

}  // namespace
}  // namespace faultline::resilience
