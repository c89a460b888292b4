#include "faultline/core/random.hpp"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <set>

namespace faultline {
namespace {

// Pinned outputs: if these change, every recorded seed in the project stops
// replaying. They are the engine's documented contract, not a coincidence.
TEST(Random, SameSeedSameSequenceOnEveryPlatform) {
  Random a(42);
  Random b(42);
  for (int i = 0; i < 100; ++i) ASSERT_EQ(a.next_u64(), b.next_u64());
  Random pinned(1);
  const std::uint64_t first = pinned.next_u64();
  Random again(1);
  EXPECT_EQ(again.next_u64(), first);
  EXPECT_EQ(splitmix64(0), 0xe220a8397b1dcdafULL);
}

TEST(Random, DifferentSeedsDiverge) {
  Random a(1);
  Random b(2);
  int equal = 0;
  for (int i = 0; i < 100; ++i) equal += a.next_u64() == b.next_u64() ? 1 : 0;
  EXPECT_EQ(equal, 0);
}

RC_GTEST_PROP(Random, UniformStaysBelowBound, (std::uint64_t seed, std::uint64_t bound)) {
  Random random(seed);
  for (int i = 0; i < 50; ++i) {
    const auto value = random.uniform(bound);
    if (bound == 0) {
      RC_ASSERT(value == 0u);
    } else {
      RC_ASSERT(value < bound);
    }
  }
}

RC_GTEST_PROP(Random, UniformBetweenIsInclusive, (std::uint64_t seed, std::int32_t a, std::int32_t b)) {
  const std::int64_t low = std::min(a, b);
  const std::int64_t high = std::max(a, b);
  Random random(seed);
  for (int i = 0; i < 50; ++i) {
    const auto value = random.uniform_between(low, high);
    RC_ASSERT(value >= low);
    RC_ASSERT(value <= high);
  }
}

RC_GTEST_PROP(Random, UnitIsHalfOpen, (std::uint64_t seed)) {
  Random random(seed);
  for (int i = 0; i < 100; ++i) {
    const double value = random.uniform_unit();
    RC_ASSERT(value >= 0.0);
    RC_ASSERT(value < 1.0);
  }
}

TEST(Random, UniformCoversSmallRangesEvenly) {
  Random random(7);
  int counts[6] = {};
  for (int i = 0; i < 60000; ++i) ++counts[random.uniform(6)];
  for (int c : counts) {
    EXPECT_GT(c, 9000);
    EXPECT_LT(c, 11000);
  }
}

TEST(SharedRandom, IsDeterministicForASeedAndDistinctPerDraw) {
  SharedRandom a(9);
  SharedRandom b(9);
  std::set<std::uint64_t> seen;
  for (int i = 0; i < 1000; ++i) {
    const auto x = a.next_u64();
    ASSERT_EQ(x, b.next_u64());
    seen.insert(x);
  }
  EXPECT_EQ(seen.size(), 1000u);
}

}  // namespace
}  // namespace faultline
