// Random interleavings of now(), update() and physical clock moves (forward
// steps, backward steps, bursts that exhaust the logical counter): the HLC
// never goes backwards, always orders a receive after what it received, and
// never runs further ahead of the physical clock than the maximum offset.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>

#include "faultline/clocks/hlc.hpp"

namespace faultline::clocks {
namespace {

using std::chrono::milliseconds;

constexpr std::int64_t kStartMs = 1'732'550'400'000;
constexpr std::int64_t kMaxOffsetMs = 500;

std::int64_t wall_ms(const ManualWallClock& wall) {
  return std::chrono::duration_cast<milliseconds>(wall.now().time_since_epoch()).count();
}

enum class Step { now, update, advance, step_back };

// One random step; returns the timestamp issued, if any.
std::optional<HlcTimestamp> take_step(HybridLogicalClock& clock, ManualWallClock& wall,
                                      bool allow_step_back) {
  const auto step = *rc::gen::element(Step::now, Step::update, Step::update, Step::advance,
                                      allow_step_back ? Step::step_back : Step::now);
  switch (step) {
    case Step::now:
      return clock.now();
    case Step::update: {
      const auto offset_ms = *rc::gen::inRange<std::int64_t>(-800, 800);
      const auto logical = *rc::gen::element<std::uint16_t>(0, 1, 65534, 65535);
      const HlcTimestamp remote{static_cast<std::uint64_t>(wall_ms(wall) + offset_ms), logical};
      const auto result = clock.update(remote);
      RC_ASSERT(result.ok() == (offset_ms <= kMaxOffsetMs));
      if (!result.ok()) return std::nullopt;
      RC_ASSERT(*result > remote);
      return *result;
    }
    case Step::advance:
      wall.advance(milliseconds(*rc::gen::inRange(0, 50)));
      return std::nullopt;
    case Step::step_back:
      wall.step_back(milliseconds(*rc::gen::inRange(0, 2'000)));
      return std::nullopt;
  }
  return std::nullopt;
}

RC_GTEST_PROP(HlcProperties, MonotonicUnderAnyInterleaving, ()) {
  ManualWallClock wall{WallTimePoint(milliseconds(kStartMs))};
  HybridLogicalClock clock(wall, HlcConfig{.max_offset = milliseconds(kMaxOffsetMs)});
  HlcTimestamp previous{};
  const int steps = *rc::gen::inRange(1, 200);
  for (int i = 0; i < steps; ++i) {
    if (const auto issued = take_step(clock, wall, /*allow_step_back=*/true)) {
      RC_ASSERT(*issued > previous);
      previous = *issued;
    }
  }
  RC_ASSERT(clock.last() == previous || previous == HlcTimestamp{});
}

RC_GTEST_PROP(HlcProperties, StaysWithinTheMaximumOffsetOfThePhysicalClock, ()) {
  ManualWallClock wall{WallTimePoint(milliseconds(kStartMs))};
  HybridLogicalClock clock(wall, HlcConfig{.max_offset = milliseconds(kMaxOffsetMs)});
  const int steps = *rc::gen::inRange(1, 200);
  for (int i = 0; i < steps; ++i) {
    if (const auto issued = take_step(clock, wall, /*allow_step_back=*/false)) {
      const auto ahead_ms = static_cast<std::int64_t>(issued->wall_ms) - wall_ms(wall);
      RC_ASSERT(ahead_ms <= kMaxOffsetMs);
      RC_ASSERT(ahead_ms >= 0);  // never behind the physical clock it read
    }
  }
}

}  // namespace
}  // namespace faultline::clocks
