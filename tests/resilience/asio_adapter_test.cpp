#include "faultline/resilience/asio_adapter.hpp"

#include <gtest/gtest.h>

#include "faultline/core/asio_scheduler.hpp"
#include "faultline/resilience/pipeline.hpp"
#include "faultline/resilience/retry.hpp"
#include "faultline/resilience/timeout.hpp"

namespace faultline::resilience {
namespace {

using namespace std::chrono_literals;

// A coroutine co_awaits a protected call; the retry's backoff and the
// timeout run on the same io_context through the AsioScheduler.
TEST(AsioAdapter, ACoroutineAwaitsARetriedCall) {
  boost::asio::io_context io;
  AsioScheduler scheduler(io);
  RetryConfig config;
  config.max_attempts = 3;
  config.backoff = Backoff::constant(5ms);
  auto retry = std::make_shared<Retry>(config);
  auto timeout = std::make_shared<Timeout>(TimeoutConfig{.timeout = 1s});
  auto pipeline = make_pipeline(SteadyClock::instance(), timeout, retry);

  int attempts = 0;
  Result<int> answer = Status::unknown("not run");
  AsyncOperation<Result<int>> flaky = [&](const AsyncCallContext& c, Completion<Result<int>> done) {
    ++attempts;
    c.scheduler->schedule_after(1ms, [done, n = attempts] {
      done(n < 3 ? Result<int>(Status::unavailable("warming up")) : Result<int>(n * 10));
    });
  };
  boost::asio::co_spawn(
      io,
      [&]() -> boost::asio::awaitable<void> {
        answer = co_await async_execute<Result<int>>(pipeline, AsyncCallContext(&scheduler), flaky,
                                                     boost::asio::use_awaitable);
      },
      boost::asio::detached);
  io.run();
  ASSERT_TRUE(answer.ok());
  EXPECT_EQ(*answer, 30);
  EXPECT_EQ(attempts, 3);
}

TEST(AsioAdapter, APlainCallbackBoundToAnExecutorWorksToo) {
  boost::asio::io_context io;
  AsioScheduler scheduler(io);
  auto timeout = std::make_shared<Timeout>(TimeoutConfig{.timeout = 20ms});
  Status answer = Status::unknown("not run");
  async_execute<Status>(*timeout, AsyncCallContext(&scheduler),
                        [](const AsyncCallContext&, Completion<Status>) { /* never answers */ },
                        boost::asio::bind_executor(io, [&](Status s) { answer = s; }));
  io.run();
  EXPECT_EQ(answer.code(), StatusCode::deadline_exceeded);
}

}  // namespace
}  // namespace faultline::resilience
