#include "faultline/resilience/pipeline.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "faultline/core/manual_clock.hpp"
#include "faultline/core/manual_scheduler.hpp"
#include "faultline/resilience/resilience.hpp"

namespace faultline::resilience {
namespace {

using namespace std::chrono_literals;

// The recommended order, on a manual clock: a story of a dependency that
// fails, trips the breaker, and recovers.
class RecommendedPipeline : public ::testing::Test {
 protected:
  RecommendedPipeline() {
    RetryConfig retry_config;
    retry_config.max_attempts = 3;
    retry_config.backoff = Backoff::constant(100ms);
    retry_config.budget = budget;
    retry = std::make_shared<Retry>(retry_config, clock);
    CircuitBreakerConfig breaker_config;
    breaker_config.name = "backend";
    breaker_config.window_size = 4;
    breaker_config.minimum_calls = 4;
    breaker_config.failure_rate_threshold_percent = 50;
    breaker_config.wait_in_open = OpenWait::fixed(1s);
    breaker_config.permitted_calls_in_half_open = 1;
    breaker = std::make_shared<CircuitBreaker>(breaker_config, clock);
  }

  ManualClock clock;
  std::shared_ptr<RetryBudget> budget = std::make_shared<RetryBudget>(RetryBudgetConfig{.max_tokens = 100});
  std::shared_ptr<Fallback<std::function<Result<std::string>(const Status&)>>> fallback =
      make_fallback(std::function<Result<std::string>(const Status&)>(
          [](const Status& error) -> Result<std::string> {
            return "fallback(" + std::string(error.reason().empty() ? status_code_name(error.code())
                                                                    : error.reason()) + ")";
          }));
  std::shared_ptr<Timeout> total = std::make_shared<Timeout>(TimeoutConfig{.timeout = 5s, .name = "total"}, clock);
  std::shared_ptr<Retry> retry;
  std::shared_ptr<CircuitBreaker> breaker;
  std::shared_ptr<Bulkhead> bulkhead = std::make_shared<Bulkhead>(BulkheadConfig{.max_concurrent_calls = 4}, clock);
  std::shared_ptr<Timeout> attempt = std::make_shared<Timeout>(TimeoutConfig{.timeout = 200ms, .name = "attempt"}, clock);
};

TEST_F(RecommendedPipeline, ASuccessPassesStraightThrough) {
  auto pipeline = make_pipeline(clock, fallback, total, retry, breaker, bulkhead, attempt);
  int calls = 0;
  Result<std::string> result = pipeline.execute([&] { ++calls; return Result<std::string>("value"); });
  EXPECT_EQ(*result, "value");
  EXPECT_EQ(calls, 1);
}

TEST_F(RecommendedPipeline, ASlowAttemptTimesOutAndIsRetried) {
  auto pipeline = make_pipeline(clock, fallback, total, retry, breaker, bulkhead, attempt);
  int calls = 0;
  Result<std::string> result = pipeline.execute([&](CallContext& c) -> Result<std::string> {
    EXPECT_LE(c.deadline() - c.now(), 200ms);  // the attempt's budget, not the total's
    if (++calls == 1) clock.advance(300ms);     // too slow
    return std::string("second try");
  });
  EXPECT_EQ(*result, "second try");
  EXPECT_EQ(calls, 2);
  EXPECT_EQ(attempt->metrics().timeouts_total, 1u);
}

TEST_F(RecommendedPipeline, AnOutageTripsTheBreakerAndRetriesStopHammering) {
  auto pipeline = make_pipeline(clock, fallback, total, retry, breaker, bulkhead, attempt);
  int calls_reaching_backend = 0;
  auto outage = [&] { ++calls_reaching_backend; return Result<std::string>(Status::unavailable("down")); };

  // Two calls x two attempts fill the window with four failures: it trips.
  (void)pipeline.execute(outage);
  (void)pipeline.execute(outage);
  EXPECT_EQ(breaker->state(), CircuitState::open);
  const int before = calls_reaching_backend;

  // While open, retries wait out the breaker's retry_after (1 s) instead of
  // spinning, and the total timeout bounds the whole call.
  Result<std::string> result = pipeline.execute(outage);
  EXPECT_TRUE(result.ok());
  EXPECT_EQ(result->rfind("fallback(", 0), 0u);
  EXPECT_LE(calls_reaching_backend - before, 2);
}

TEST_F(RecommendedPipeline, TheBreakerRecoversThroughHalfOpen) {
  auto pipeline = make_pipeline(clock, total, retry, breaker, bulkhead, attempt);
  bool healthy = false;
  auto backend = [&]() -> Result<std::string> {
    if (healthy) return std::string("ok");
    return Status::unavailable("down");
  };
  for (int i = 0; i < 2; ++i) (void)pipeline.execute(backend);
  ASSERT_EQ(breaker->state(), CircuitState::open);
  healthy = true;
  clock.advance(1s);
  Result<std::string> result = pipeline.execute(backend);
  EXPECT_EQ(*result, "ok");
  EXPECT_EQ(breaker->state(), CircuitState::closed);
}

// A policy that only records when it is entered and left.
struct Tracer {
  std::string name;
  std::vector<std::string>* order;
  template <class F>
  auto execute(CallContext& context, F&& f) {
    order->push_back(name + ">");
    auto outcome = f(context);
    order->push_back("<" + name);
    return outcome;
  }
};

TEST(Pipeline, OrderIsTheCallersChoice) {
  ManualClock clock;
  std::vector<std::string> order;
  auto a = std::make_shared<Tracer>(Tracer{"a", &order});
  auto b = std::make_shared<Tracer>(Tracer{"b", &order});
  const Status status = make_pipeline(clock, b, a).execute([] { return Status(); });
  EXPECT_TRUE(status.ok());
  EXPECT_EQ(order, (std::vector<std::string>{"b>", "a>", "<a", "<b"}));
}

TEST(Pipeline, CopiesShareThePoliciesState) {
  ManualClock clock;
  auto retry = std::make_shared<Retry>(RetryConfig{}, clock);
  auto pipeline = make_pipeline(clock, retry);
  auto copy = pipeline;
  (void)pipeline.execute([] { return Status(); });
  (void)copy.execute([] { return Status(); });
  EXPECT_EQ(retry->metrics().succeeded_without_retry, 2u);
}

TEST(PipelineAsync, RunsEveryLayerOnTheScheduler) {
  ManualScheduler scheduler;
  RetryConfig retry_config;
  retry_config.backoff = Backoff::constant(50ms);
  auto retry = std::make_shared<Retry>(retry_config, scheduler.clock());
  auto timeout = std::make_shared<Timeout>(TimeoutConfig{.timeout = 100ms}, scheduler.clock());
  auto bulkhead = std::make_shared<Bulkhead>(BulkheadConfig{.max_concurrent_calls = 1}, scheduler.clock());
  auto pipeline = make_pipeline(scheduler.clock(), retry, bulkhead, timeout);
  int attempts = 0;
  Result<int> answer = Status::unknown("pending");
  pipeline.async_execute<Result<int>>(
      AsyncCallContext(&scheduler),
      [&](const AsyncCallContext&, Completion<Result<int>> done) {
        // First attempt hangs (the timeout answers), second answers in 10 ms.
        if (++attempts == 2) scheduler.schedule_after(10ms, [done] { done(7); });
      },
      [&](Result<int> r) { answer = std::move(r); });
  scheduler.advance(1s);
  EXPECT_EQ(attempts, 2);
  ASSERT_TRUE(answer.ok());
  EXPECT_EQ(*answer, 7);
  EXPECT_EQ(bulkhead->metrics().in_flight, 0u);
}

}  // namespace
}  // namespace faultline::resilience
