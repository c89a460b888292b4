#include "faultline/resilience/retry.hpp"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <string>
#include <vector>

#include "faultline/core/manual_clock.hpp"
#include "faultline/core/manual_scheduler.hpp"
#include "faultline/resilience/config_error.hpp"

namespace faultline::resilience {
namespace {

using namespace std::chrono_literals;

RetryConfig exact(std::uint32_t attempts, Duration delay) {
  RetryConfig config;
  config.max_attempts = attempts;
  config.backoff = Backoff::constant(delay);
  return config;
}

TEST(Retry, SuccessFirstTimeCallsOnceAndNeverSleeps) {
  ManualClock clock;
  Retry retry(exact(3, 100ms), clock);
  const TimePoint start = clock.now();
  int calls = 0;
  const Status status = retry.execute([&] { ++calls; return Status(); });
  EXPECT_TRUE(status.ok());
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(clock.now(), start);
  EXPECT_EQ(retry.metrics().succeeded_without_retry, 1u);
}

TEST(Retry, RetriesTransientErrorsWithTheBackoffBetweenAttempts) {
  ManualClock clock;
  Retry retry(exact(4, 100ms), clock);
  std::vector<Duration> attempt_times;
  const TimePoint start = clock.now();
  Result<int> result = retry.execute([&]() -> Result<int> {
    attempt_times.push_back(clock.now() - start);
    if (attempt_times.size() < 3) return Status::unavailable("down");
    return 42;
  });
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(*result, 42);
  EXPECT_EQ(attempt_times, (std::vector<Duration>{0ms, 100ms, 200ms}));
  const RetryMetrics metrics = retry.metrics();
  EXPECT_EQ(metrics.succeeded_after_retry, 1u);
  EXPECT_EQ(metrics.retries_total, 2u);
}

TEST(Retry, PermanentErrorsAreNeverRetried) {
  ManualClock clock;
  Retry retry(exact(5, 10ms), clock);
  for (auto status : {Status::invalid_argument("bad"), Status::not_found("gone"),
                      Status::permission_denied("no"), Status::aborted("conflict")}) {
    int calls = 0;
    const Status got = retry.execute([&] { ++calls; return status; });
    EXPECT_EQ(calls, 1) << status;
    EXPECT_EQ(got, status);
  }
  EXPECT_EQ(retry.metrics().failed_without_retry, 4u);
}

TEST(Retry, GivesUpAfterMaxAttemptsWithTheLastError) {
  ManualClock clock;
  Retry retry(exact(3, 10ms), clock);
  int calls = 0;
  const Status got = retry.execute([&] {
    ++calls;
    return Status::unavailable("attempt " + std::to_string(calls));
  });
  EXPECT_EQ(calls, 3);
  EXPECT_EQ(got.message(), "attempt 3");
  EXPECT_EQ(retry.metrics().failed_after_retry, 1u);
}

TEST(Retry, CustomPredicateDecidesWhatIsRetryable) {
  ManualClock clock;
  RetryConfig config = exact(3, 1ms);
  config.retry_on = [](const Status& s) { return s.code() == StatusCode::aborted; };
  Retry retry(config, clock);
  int calls = 0;
  (void)retry.execute([&] { ++calls; return Status::aborted("conflict"); });
  EXPECT_EQ(calls, 3);
  calls = 0;
  (void)retry.execute([&] { ++calls; return Status::unavailable("down"); });
  EXPECT_EQ(calls, 1);
}

TEST(Retry, HonoursRetryAfterWhenLongerThanTheBackoff) {
  ManualClock clock;
  Retry retry(exact(2, 10ms), clock);
  const TimePoint start = clock.now();
  TimePoint second_attempt{};
  int calls = 0;
  (void)retry.execute([&] {
    if (++calls == 2) second_attempt = clock.now();
    return calls == 1 ? Status::unavailable("busy").with_retry_after(2s) : Status();
  });
  EXPECT_EQ(second_attempt - start, 2s);
}

TEST(Retry, CapsAHostileRetryAfter) {
  ManualClock clock;
  RetryConfig config = exact(2, 10ms);
  config.retry_after_max = 5s;
  Retry retry(config, clock);
  const TimePoint start = clock.now();
  int calls = 0;
  (void)retry.execute([&] {
    return ++calls == 1 ? Status::unavailable("busy").with_retry_after(24h) : Status();
  });
  EXPECT_EQ(clock.now() - start, 5s);
}

TEST(Retry, GivesUpEarlyRatherThanSleepPastTheDeadline) {
  ManualClock clock;
  Retry retry(exact(10, 300ms), clock);
  CallContext context(clock, clock.now() + 1s);
  int calls = 0;
  const Status got = retry.execute(context, [&] { ++calls; return Status::unavailable("down"); });
  // Attempts at 0, 300, 600, 900 ms; the next would start at 1200 ms.
  EXPECT_EQ(calls, 4);
  EXPECT_EQ(got.code(), StatusCode::unavailable);
  EXPECT_LT(clock.now(), context.deadline());
  EXPECT_EQ(retry.metrics().deadline_give_ups_total, 1u);
}

TEST(Retry, MaxTotalDurationActsAsADeadlineAndRestoresTheCallersOne) {
  ManualClock clock;
  RetryConfig config = exact(10, 100ms);
  config.max_total_duration = 250ms;
  Retry retry(config, clock);
  CallContext context(clock);
  int calls = 0;
  (void)retry.execute(context, [&](CallContext& c) {
    EXPECT_TRUE(c.has_deadline());
    ++calls;
    return Status::unavailable("down");
  });
  EXPECT_EQ(calls, 3);  // 0, 100, 200 ms
  EXPECT_FALSE(context.has_deadline());
}

TEST(Retry, BudgetStopsRetriesFleetWide) {
  ManualClock clock;
  auto budget = std::make_shared<RetryBudget>(RetryBudgetConfig{.max_tokens = 4, .token_ratio = 1});
  RetryConfig config = exact(3, 1ms);
  config.budget = budget;
  Retry first(config, clock);
  Retry second(config, clock);
  int calls = 0;
  auto failing = [&] { ++calls; return Status::unavailable("down"); };
  // Each failure takes a token; retries need more than half (2) left.
  (void)first.execute(failing);  // 4 -> 3 (retry allowed) -> 2 (refused): 2 attempts
  EXPECT_EQ(calls, 2);
  (void)second.execute(failing);  // 2 -> 1 (refused): the other policy gets no retry
  EXPECT_EQ(calls, 3);
  EXPECT_GE(second.metrics().budget_refusals_total, 1u);
  EXPECT_FALSE(budget->retry_allowed());
}

TEST(Retry, StopRequestedDuringBackoffCancels) {
  ManualClock clock;
  Retry retry(exact(5, 1s), clock);
  std::stop_source stop;
  CallContext context(clock, TimePoint::max(), stop.get_token());
  int calls = 0;
  const Status got = retry.execute(context, [&] {
    if (++calls == 2) stop.request_stop();
    return Status::unavailable("down");
  });
  EXPECT_EQ(calls, 2);
  EXPECT_EQ(got.code(), StatusCode::unavailable);
}

TEST(Retry, PublishesEventsForEachDecision) {
  ManualClock clock;
  Retry retry(exact(3, 10ms), clock);
  std::vector<RetryEvent::Kind> kinds;
  retry.events().subscribe([&](const RetryEvent& e) { kinds.push_back(e.kind); });
  int calls = 0;
  (void)retry.execute([&] { return ++calls < 3 ? Status::unavailable("x") : Status(); });
  (void)retry.execute([&] { return Status::invalid_argument("x"); });
  EXPECT_EQ(kinds, (std::vector<RetryEvent::Kind>{RetryEvent::Kind::retry, RetryEvent::Kind::retry,
                                                  RetryEvent::Kind::succeeded,
                                                  RetryEvent::Kind::not_retryable}));
}

TEST(Retry, InvalidConfigsAreRejectedAtConstruction) {
  ManualClock clock;
  auto message_of = [&](RetryConfig config) -> std::string {
    try {
      Retry retry(config, clock);
    } catch (const ConfigError& error) {
      return error.what();
    }
    return "";
  };
  RetryConfig zero_attempts;
  zero_attempts.max_attempts = 0;
  EXPECT_NE(message_of(zero_attempts).find("retry.max_attempts"), std::string::npos);
  RetryConfig negative_backoff;
  negative_backoff.backoff = Backoff::constant(-5ms);
  EXPECT_NE(message_of(negative_backoff).find("initial_delay"), std::string::npos);
  RetryConfig zero_total;
  zero_total.max_total_duration = 0ms;
  EXPECT_NE(message_of(zero_total).find("max_total_duration"), std::string::npos);
}

// No attempt ever starts at or after the deadline, whatever the backoff,
// jitter, hints and failure pattern.
RC_GTEST_PROP(Retry, NoAttemptStartsAfterTheDeadline,
              (std::uint64_t seed, std::uint8_t attempts_raw, std::uint16_t deadline_ms_raw,
               std::uint16_t delay_ms_raw, std::uint8_t jitter_raw)) {
  ManualClock clock;
  RetryConfig config;
  config.seed = seed;
  config.max_attempts = 1 + attempts_raw % 20;
  config.backoff = Backoff::exponential(std::chrono::milliseconds(1 + delay_ms_raw % 500), 1.5)
                       .with_jitter(static_cast<Jitter>(jitter_raw % 4))
                       .with_max_delay(10s);
  Retry retry(config, clock);
  const TimePoint deadline = clock.now() + std::chrono::milliseconds(1 + deadline_ms_raw % 5000);
  CallContext context(clock, deadline);
  Random hints(seed);
  std::uint32_t calls = 0;
  (void)retry.execute(context, [&](CallContext& c) {
    RC_ASSERT(clock.now() < deadline);
    RC_ASSERT(c.deadline() <= deadline);
    ++calls;
    clock.advance(std::chrono::milliseconds(hints.uniform(50)));  // the attempt takes time
    Status failure = Status::unavailable("down");
    if (hints.bernoulli(0.3)) failure.with_retry_after(std::chrono::milliseconds(hints.uniform(800)));
    return failure;
  });
  RC_ASSERT(calls >= 1u);
  RC_ASSERT(calls <= config.max_attempts);
}

TEST(RetryAsync, RetriesOnTheSchedulerAndCompletesOnce) {
  ManualScheduler scheduler;
  Retry retry(exact(3, 100ms), scheduler.clock());
  int calls = 0;
  int completions = 0;
  Status final_status = Status::unknown("not completed");
  retry.async_execute<Status>(
      AsyncCallContext{&scheduler},
      [&](const AsyncCallContext&, Completion<Status> done) {
        ++calls;
        // Completes later, as real I/O would.
        scheduler.schedule_after(10ms, [&, done] { done(calls < 3 ? Status::unavailable("x") : Status()); });
      },
      [&](Status s) { ++completions; final_status = s; });
  scheduler.advance(1s);
  EXPECT_EQ(calls, 3);
  EXPECT_EQ(completions, 1);
  EXPECT_TRUE(final_status.ok());
}

TEST(RetryAsync, StopDuringBackoffCompletesCancelled) {
  ManualScheduler scheduler;
  Retry retry(exact(3, 100ms), scheduler.clock());
  std::stop_source stop;
  Status final_status;
  int calls = 0;
  retry.async_execute<Status>(
      AsyncCallContext{&scheduler, TimePoint::max(), stop.get_token()},
      [&](const AsyncCallContext&, Completion<Status> done) { ++calls; done(Status::unavailable("x")); },
      [&](Status s) { final_status = s; });
  stop.request_stop();
  scheduler.advance(1s);
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(final_status.code(), StatusCode::cancelled);
}

}  // namespace
}  // namespace faultline::resilience
