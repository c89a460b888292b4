#include <gtest/gtest.h>

#include <thread>

#include "faultline/core/clock.hpp"
#include "faultline/core/manual_clock.hpp"

namespace faultline {
namespace {

using namespace std::chrono_literals;

TEST(ManualClock, MovesOnlyWhenTold) {
  ManualClock clock;
  const TimePoint start = clock.now();
  EXPECT_EQ(clock.now(), start);
  clock.advance(250ms);
  EXPECT_EQ(clock.now() - start, 250ms);
  clock.set(start + 1s);
  EXPECT_EQ(clock.now() - start, 1s);
}

TEST(ManualClock, SleepAdvancesToTheDeadlineAndNeverBackwards) {
  ManualClock clock;
  const TimePoint start = clock.now();
  EXPECT_TRUE(clock.sleep_for(3s, {}));
  EXPECT_EQ(clock.now() - start, 3s);
  EXPECT_TRUE(clock.sleep_until(start + 1s, {}));
  EXPECT_EQ(clock.now() - start, 3s);
}

TEST(ManualClock, SleepWithStopRequestedDoesNotMoveTime) {
  ManualClock clock;
  std::stop_source stop;
  stop.request_stop();
  const TimePoint start = clock.now();
  EXPECT_FALSE(clock.sleep_for(3s, stop.get_token()));
  EXPECT_EQ(clock.now(), start);
}

TEST(ManualClockDeathTest, GoingBackwardsIsABug) {
  ManualClock clock;
  EXPECT_DEATH(clock.advance(-1ms), "cannot go backwards");
}

TEST(SteadyClock, IsMonotonic) {
  const auto& clock = SteadyClock::instance();
  TimePoint previous = clock.now();
  for (int i = 0; i < 1000; ++i) {
    const TimePoint current = clock.now();
    EXPECT_GE(current, previous);
    previous = current;
  }
}

TEST(SteadyClock, StopRequestWakesASleeper) {
  const auto& clock = SteadyClock::instance();
  std::stop_source stop;
  std::thread stopper([&] {
    std::this_thread::sleep_for(20ms);
    stop.request_stop();
  });
  // Would sleep an hour if the stop request did not wake it.
  EXPECT_FALSE(clock.sleep_for(std::chrono::hours(1), stop.get_token()));
  stopper.join();
}

TEST(SteadyClock, SleepReturnsTrueWhenTheDeadlinePasses) {
  const auto& clock = SteadyClock::instance();
  const TimePoint start = clock.now();
  EXPECT_TRUE(clock.sleep_for(5ms, {}));
  EXPECT_GE(clock.now() - start, 5ms);
}

}  // namespace
}  // namespace faultline
