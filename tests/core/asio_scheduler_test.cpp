#include "faultline/core/asio_scheduler.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <vector>

#include "faultline/core/asio.hpp"

namespace faultline {
namespace {

using namespace std::chrono_literals;

TEST(AsioScheduler, RunsTasksInDueOrderOnTheIoContext) {
  boost::asio::io_context io;
  AsioScheduler scheduler(io);
  std::vector<int> order;
  const TimePoint start = scheduler.clock().now();
  scheduler.schedule_after(20ms, [&] { order.push_back(2); });
  scheduler.schedule_after(5ms, [&] { order.push_back(1); });
  scheduler.post([&] { order.push_back(0); });
  io.run();
  EXPECT_EQ(order, (std::vector<int>{0, 1, 2}));
  EXPECT_GE(scheduler.clock().now() - start, 20ms);
}

TEST(AsioScheduler, CancelPreventsTheTask) {
  boost::asio::io_context io;
  AsioScheduler scheduler(io);
  bool ran = false;
  const TimerId id = scheduler.schedule_after(10ms, [&] { ran = true; });
  EXPECT_TRUE(scheduler.cancel(id));
  EXPECT_FALSE(scheduler.cancel(id));
  io.run();
  EXPECT_FALSE(ran);
}

TEST(AsioScheduler, DestroyingTheSchedulerDropsPendingTasks) {
  boost::asio::io_context io;
  bool ran = false;
  {
    AsioScheduler scheduler(io);
    scheduler.schedule_after(1ms, [&] { ran = true; });
  }
  io.run();
  EXPECT_FALSE(ran);
}

TEST(AsioScheduler, SchedulesFromOtherThreads) {
  boost::asio::io_context io;
  auto guard = boost::asio::make_work_guard(io);
  AsioScheduler scheduler(io);
  std::thread runner([&] { io.run(); });
  std::atomic<int> ran{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 100; ++i) scheduler.post([&] { ran.fetch_add(1); });
    });
  }
  for (auto& t : threads) t.join();
  scheduler.post([&] { guard.reset(); });
  runner.join();
  EXPECT_EQ(ran.load(), 400);
}

}  // namespace
}  // namespace faultline
