// Lamport clocks: ticks, receives, the total order, and the hostile stamp.
#include <gtest/gtest.h>

#include "faultline/clocks/lamport_clock.hpp"

namespace faultline::clocks {
namespace {

TEST(LamportClock, TicksCountLocalEvents) {
  LamportClock clock(7);
  EXPECT_EQ(clock.last(), (LamportTimestamp{0, 7}));
  EXPECT_EQ(clock.tick(), (LamportTimestamp{1, 7}));
  EXPECT_EQ(clock.tick(), (LamportTimestamp{2, 7}));
  EXPECT_EQ(clock.last(), (LamportTimestamp{2, 7}));
}

TEST(LamportClock, ReceiveJumpsPastTheSender) {
  LamportClock clock(1);
  (void)clock.tick();
  auto received = clock.update({10, 2});
  ASSERT_TRUE(received.ok());
  EXPECT_EQ(*received, (LamportTimestamp{11, 1}));
  // A stale message still moves the clock on by one.
  auto stale = clock.update({3, 2});
  ASSERT_TRUE(stale.ok());
  EXPECT_EQ(*stale, (LamportTimestamp{12, 1}));
}

TEST(LamportClock, EqualCountersAreOrderedByNodeId) {
  EXPECT_LT((LamportTimestamp{5, 1}), (LamportTimestamp{5, 2}));
  EXPECT_LT((LamportTimestamp{4, 9}), (LamportTimestamp{5, 1}));
}

TEST(LamportClock, RefusesAStampThatWouldExhaustTheCounter) {
  LamportClock clock(1);
  auto refused = clock.update({LamportClock::kRemoteCounterMax + 1, 2});
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), StatusCode::out_of_range);
  EXPECT_EQ(refused.status().reason(), "LAMPORT_COUNTER_EXHAUSTED");
  EXPECT_EQ(clock.last().counter, 0u);
  EXPECT_TRUE(clock.update({LamportClock::kRemoteCounterMax, 2}).ok());
}

}  // namespace
}  // namespace faultline::clocks
