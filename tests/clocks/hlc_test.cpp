// Hybrid logical clock: the rules of Kulkarni et al., the offset guard,
// self-fencing, overflow of the logical counter, and backwards clock steps.
#include <gtest/gtest.h>

#include "faultline/clocks/hlc.hpp"

namespace faultline::clocks {
namespace {

using std::chrono::milliseconds;

constexpr std::uint64_t kStartMs = 1'732'550'400'000;

WallTimePoint at_ms(std::uint64_t ms) {
  return WallTimePoint(milliseconds(static_cast<std::int64_t>(ms)));
}

TEST(HlcTimestamp, PacksFortyEightBitsOfMillisecondsAboveSixteenOfCounter) {
  const HlcTimestamp stamp{kStartMs, 7};
  EXPECT_EQ(stamp.pack(), (kStartMs << 16) | 7);
  EXPECT_EQ(HlcTimestamp::unpack(stamp.pack()), stamp);
  EXPECT_LT((HlcTimestamp{kStartMs, 65535}).pack(), (HlcTimestamp{kStartMs + 1, 0}).pack());
}

TEST(HybridLogicalClock, FollowsThePhysicalClockWhenItMoves) {
  ManualWallClock wall(at_ms(kStartMs));
  HybridLogicalClock clock(wall);
  EXPECT_EQ(clock.now(), (HlcTimestamp{kStartMs, 0}));
  EXPECT_EQ(clock.now(), (HlcTimestamp{kStartMs, 1}));
  wall.advance(milliseconds(3));
  EXPECT_EQ(clock.now(), (HlcTimestamp{kStartMs + 3, 0}));
}

TEST(HybridLogicalClock, StaysMonotonicWhenThePhysicalClockStepsBack) {
  ManualWallClock wall(at_ms(kStartMs));
  HybridLogicalClock clock(wall);
  const HlcTimestamp before = clock.now();
  wall.step_back(milliseconds(2'000));
  const HlcTimestamp after = clock.now();
  EXPECT_GT(after, before);
  EXPECT_EQ(after, (HlcTimestamp{kStartMs, 1}));
}

TEST(HybridLogicalClock, ReceiveOrdersAfterTheSender) {
  ManualWallClock wall(at_ms(kStartMs));
  HybridLogicalClock clock(wall);
  (void)clock.now();
  auto received = clock.update(HlcTimestamp{kStartMs + 100, 4});
  ASSERT_TRUE(received.ok());
  EXPECT_EQ(*received, (HlcTimestamp{kStartMs + 100, 5}));
  // Same wall time on both sides: the larger counter wins, plus one.
  auto again = clock.update(HlcTimestamp{kStartMs + 100, 9});
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, (HlcTimestamp{kStartMs + 100, 10}));
  EXPECT_EQ(clock.now(), (HlcTimestamp{kStartMs + 100, 11}));
}

TEST(HybridLogicalClock, RefusesATimestampBeyondTheMaximumOffset) {
  ManualWallClock wall(at_ms(kStartMs));
  HybridLogicalClock clock(wall, HlcConfig{.max_offset = milliseconds(500)});
  const HlcTimestamp before = clock.now();
  EXPECT_TRUE(clock.update(HlcTimestamp{kStartMs + 500, 0}).ok());
  auto refused = clock.update(HlcTimestamp{kStartMs + 501, 0});
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), StatusCode::out_of_range);
  EXPECT_EQ(refused.status().reason(), "CLOCK_OFFSET_EXCEEDED");
  EXPECT_NE(refused.status().message().find("501ms ahead"), std::string_view::npos);
  EXPECT_EQ(clock.rejected_updates_total(), 1u);
  EXPECT_GT(clock.last(), before);
  EXPECT_EQ(clock.last().wall_ms, kStartMs + 500);
}

TEST(HybridLogicalClock, FencesWhenMostPeersAreFarAhead) {
  ManualWallClock wall(at_ms(kStartMs));
  HybridLogicalClock clock(
      wall, HlcConfig{.max_offset = milliseconds(500), .fence_offset_fraction = 0.8, .peer_count = 3});
  (void)clock.update(HlcTimestamp{kStartMs + 450, 0}, 0);
  EXPECT_FALSE(clock.should_fence());  // one of three
  (void)clock.update(HlcTimestamp{kStartMs + 900, 0}, 1);  // refused, still a sample
  EXPECT_TRUE(clock.should_fence());
  EXPECT_EQ(clock.offset_monitor().peers_beyond_threshold(), 2u);
  (void)clock.update(HlcTimestamp{kStartMs + 10, 0}, 0);  // peer 0 back in line
  EXPECT_FALSE(clock.should_fence());
}

TEST(HybridLogicalClock, WaitsForThePhysicalClockInsteadOfWrapping) {
  ManualWallClock wall(at_ms(kStartMs));
  HybridLogicalClock clock(wall);
  auto full = clock.update(HlcTimestamp{kStartMs, HlcTimestamp::kLogicalMax - 1});
  ASSERT_TRUE(full.ok());
  EXPECT_EQ(full->logical, HlcTimestamp::kLogicalMax);
  const HlcTimestamp next = clock.now();  // the manual wall clock advances as it "sleeps"
  EXPECT_EQ(next, (HlcTimestamp{kStartMs + 1, 0}));
  EXPECT_EQ(clock.logical_overflow_waits_total(), 1u);
  EXPECT_EQ(wall.now(), at_ms(kStartMs + 1));
}

TEST(HlcConfig, ValidatesItsRanges) {
  EXPECT_TRUE(HlcConfig{}.validate().ok());
  EXPECT_FALSE(HlcConfig{.max_offset = milliseconds(0)}.validate().ok());
  EXPECT_FALSE(HlcConfig{.fence_offset_fraction = 1.5}.validate().ok());
  EXPECT_FALSE(HlcConfig{.peer_count = OffsetMonitor::kPeerCountMax + 1}.validate().ok());
}

}  // namespace
}  // namespace faultline::clocks
