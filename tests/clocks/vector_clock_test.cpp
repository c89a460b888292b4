// Dense vector clocks over a fixed set of nodes.
#include <gtest/gtest.h>

#include "faultline/clocks/vector_clock.hpp"

namespace faultline::clocks {
namespace {

TEST(VectorClock, StartsAtZeroAndIncrementsOneEntry) {
  VectorClock clock(3);
  EXPECT_EQ(clock.node_count(), 3u);
  EXPECT_EQ(clock.increment(1), 1u);
  EXPECT_EQ(clock, VectorClock({0, 1, 0}));
}

TEST(VectorClock, CompareGivesAllFourVerdicts) {
  const VectorClock a({1, 0, 0});
  const VectorClock b({1, 1, 0});
  const VectorClock c({0, 0, 1});
  EXPECT_EQ(compare(a, b), CausalOrder::before);
  EXPECT_EQ(compare(b, a), CausalOrder::after);
  EXPECT_EQ(compare(a, a), CausalOrder::equal);
  EXPECT_EQ(compare(b, c), CausalOrder::concurrent);
  EXPECT_TRUE(happened_before(a, b));
  EXPECT_FALSE(happened_before(b, c));
}

TEST(VectorClock, MergeTakesTheEntryWiseMaximum) {
  EXPECT_EQ(merged(VectorClock({3, 0, 2}), VectorClock({1, 4, 2})), VectorClock({3, 4, 2}));
}

TEST(VectorClockDeathTest, MergingClocksOfDifferentSizesIsABug) {
  VectorClock a(2);
  EXPECT_DEATH(a.merge(VectorClock(3)), "one fixed node set");
}

}  // namespace
}  // namespace faultline::clocks
