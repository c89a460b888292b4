#include "faultline/core/manual_scheduler.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace faultline {
namespace {

using namespace std::chrono_literals;

TEST(ManualScheduler, RunsTasksAtTheirOwnTimeInOrder) {
  ManualScheduler scheduler;
  const TimePoint start = scheduler.clock().now();
  std::vector<std::pair<int, Duration>> ran;
  auto record = [&](int tag) {
    return [&, tag] { ran.emplace_back(tag, scheduler.clock().now() - start); };
  };
  scheduler.schedule_after(30ms, record(3));
  scheduler.schedule_after(10ms, record(1));
  scheduler.schedule_after(20ms, record(2));
  scheduler.schedule_after(10ms, record(11));  // same time: scheduling order

  EXPECT_EQ(scheduler.advance(15ms), 2u);
  EXPECT_EQ(scheduler.clock().now() - start, 15ms);
  EXPECT_EQ(scheduler.advance(100ms), 2u);
  ASSERT_EQ(ran.size(), 4u);
  EXPECT_EQ(ran[0], std::make_pair(1, Duration(10ms)));
  EXPECT_EQ(ran[1], std::make_pair(11, Duration(10ms)));
  EXPECT_EQ(ran[2], std::make_pair(2, Duration(20ms)));
  EXPECT_EQ(ran[3], std::make_pair(3, Duration(30ms)));
}

TEST(ManualScheduler, CancelledTasksNeverRun) {
  ManualScheduler scheduler;
  bool ran = false;
  const TimerId id = scheduler.schedule_after(5ms, [&] { ran = true; });
  EXPECT_TRUE(scheduler.cancel(id));
  EXPECT_FALSE(scheduler.cancel(id));
  scheduler.advance(1s);
  EXPECT_FALSE(ran);
  EXPECT_EQ(scheduler.pending(), 0u);
}

TEST(ManualScheduler, TasksMayScheduleMoreTasks) {
  ManualScheduler scheduler;
  int ticks = 0;
  std::function<void()> tick = [&] {
    if (++ticks < 5) scheduler.schedule_after(1s, tick);
  };
  scheduler.schedule_after(1s, tick);
  scheduler.advance(10s);
  EXPECT_EQ(ticks, 5);
}

TEST(ManualScheduler, RunAllStopsAtTheLimitForSelfReschedulingTasks) {
  ManualScheduler scheduler;
  std::function<void()> forever = [&] { scheduler.schedule_after(1ms, forever); };
  scheduler.post(forever);
  EXPECT_EQ(scheduler.run_all(100), 100u);
  EXPECT_EQ(scheduler.pending(), 1u);
}

TEST(ManualScheduler, CanDriveASharedClock) {
  ManualClock clock;
  ManualScheduler scheduler(clock);
  const TimePoint start = clock.now();
  scheduler.advance(2s);
  EXPECT_EQ(clock.now() - start, 2s);
  EXPECT_EQ(scheduler.next_due(), TimePoint::max());
}

}  // namespace
}  // namespace faultline
