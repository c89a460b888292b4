#include "faultline/resilience/hedging.hpp"

#include <gtest/gtest.h>

#include <thread>

#include "faultline/core/asio.hpp"
#include "faultline/core/asio_scheduler.hpp"
#include "faultline/core/manual_scheduler.hpp"
#include "faultline/resilience/config_error.hpp"

namespace faultline::resilience {
namespace {

using namespace std::chrono_literals;

struct Attempt {
  AsyncCallContext context;
  Completion<Result<int>> done;
};

class HedgingAsync : public ::testing::Test {
 protected:
  ManualScheduler scheduler;
  std::vector<Attempt> attempts;
  std::vector<Result<int>> answers;
  AsyncOperation<Result<int>> operation = [this](const AsyncCallContext& c, Completion<Result<int>> done) {
    attempts.push_back(Attempt{c, std::move(done)});
  };
  Completion<Result<int>> record = [this](Result<int> r) { answers.push_back(std::move(r)); };
};

TEST_F(HedgingAsync, AFastFirstAttemptNeedsNoHedge) {
  Hedging hedging(HedgingConfig{.max_attempts = 3, .delay = 20ms}, scheduler);
  hedging.async_execute<Result<int>>(AsyncCallContext(&scheduler), operation, record);
  ASSERT_EQ(attempts.size(), 1u);
  attempts[0].done(1);
  scheduler.advance(1s);
  EXPECT_EQ(attempts.size(), 1u);
  ASSERT_EQ(answers.size(), 1u);
  EXPECT_EQ(*answers[0], 1);
  EXPECT_EQ(hedging.metrics().hedges_total, 0u);
}

TEST_F(HedgingAsync, ASlowAttemptIsHedgedAfterTheDelayAndTheFirstGoodAnswerWins) {
  Hedging hedging(HedgingConfig{.max_attempts = 3, .delay = 20ms}, scheduler);
  hedging.async_execute<Result<int>>(AsyncCallContext(&scheduler), operation, record);
  scheduler.advance(19ms);
  EXPECT_EQ(attempts.size(), 1u);
  scheduler.advance(1ms);
  ASSERT_EQ(attempts.size(), 2u);
  attempts[1].done(2);  // the hedge answers first
  ASSERT_EQ(answers.size(), 1u);
  EXPECT_EQ(*answers[0], 2);
  EXPECT_TRUE(attempts[0].context.stop.stop_requested());  // the loser is cancelled
  attempts[0].done(1);  // its late answer is dropped
  EXPECT_EQ(answers.size(), 1u);
  scheduler.advance(1s);
  EXPECT_EQ(attempts.size(), 2u);  // no third attempt after the answer
  EXPECT_EQ(hedging.metrics().hedge_wins_total, 1u);
}

TEST_F(HedgingAsync, ANonFatalFailureHedgesAtOnce) {
  Hedging hedging(HedgingConfig{.max_attempts = 2, .delay = 1s}, scheduler);
  hedging.async_execute<Result<int>>(AsyncCallContext(&scheduler), operation, record);
  attempts[0].done(Status::unavailable("x"));
  ASSERT_EQ(attempts.size(), 2u);  // without waiting the second
  attempts[1].done(5);
  EXPECT_EQ(*answers.at(0), 5);
}

TEST_F(HedgingAsync, AFatalFailureEndsTheCall) {
  Hedging hedging(HedgingConfig{.max_attempts = 3, .delay = 10ms}, scheduler);
  hedging.async_execute<Result<int>>(AsyncCallContext(&scheduler), operation, record);
  attempts[0].done(Status::invalid_argument("bad request"));
  ASSERT_EQ(answers.size(), 1u);
  EXPECT_EQ(answers[0].status().code(), StatusCode::invalid_argument);
  scheduler.advance(1s);
  EXPECT_EQ(attempts.size(), 1u);
}

TEST_F(HedgingAsync, AllAttemptsFailingAnswersTheLastFailure) {
  Hedging hedging(HedgingConfig{.max_attempts = 2, .delay = 10ms}, scheduler);
  hedging.async_execute<Result<int>>(AsyncCallContext(&scheduler), operation, record);
  scheduler.advance(10ms);
  ASSERT_EQ(attempts.size(), 2u);
  attempts[0].done(Status::unavailable("first"));
  EXPECT_TRUE(answers.empty());
  attempts[1].done(Status::unavailable("second"));
  ASSERT_EQ(answers.size(), 1u);
  EXPECT_EQ(answers[0].status().message(), "second");
}

TEST(HedgingSync, RunsAttemptsOnThreadsAndJoinsTheLoser) {
  boost::asio::io_context io;
  auto guard = boost::asio::make_work_guard(io);
  AsioScheduler scheduler(io);
  std::thread runner([&] { io.run(); });
  Hedging hedging(HedgingConfig{.max_attempts = 2, .delay = 10ms}, scheduler);
  std::atomic<int> attempt_number{0};
  std::atomic<bool> loser_stopped{false};
  CallContext context(SteadyClock::instance());
  Result<int> result = hedging.execute(context, [&](CallContext& c) -> Result<int> {
    if (attempt_number.fetch_add(1) == 0) {
      // The first attempt hangs until stopped.
      const bool finished = c.clock().sleep_for(60s, c.stop_token());
      loser_stopped = !finished;
      return Status::cancelled("stopped");
    }
    return 2;
  });
  EXPECT_EQ(*result, 2);
  EXPECT_TRUE(loser_stopped.load());  // joined before execute() returned
  guard.reset();
  runner.join();
}

TEST(Hedging, InvalidConfigsAreRejected) {
  ManualScheduler scheduler;
  EXPECT_THROW(Hedging(HedgingConfig{.max_attempts = 0}, scheduler), ConfigError);
  EXPECT_THROW(Hedging(HedgingConfig{.max_attempts = 17}, scheduler), ConfigError);
  EXPECT_THROW(Hedging(HedgingConfig{.max_attempts = 2, .delay = -1ms}, scheduler), ConfigError);
}

}  // namespace
}  // namespace faultline::resilience
