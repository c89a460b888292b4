// The breaker's sliding windows on their own: what they hold, what they
// forget, and that their running totals always match a recount.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <cstdint>
#include <limits>
#include <vector>

#include "faultline/core/random.hpp"
#include "faultline/resilience/detail/count_window.hpp"
#include "faultline/resilience/detail/time_window.hpp"

namespace faultline::resilience::detail {
namespace {

using namespace std::chrono_literals;

const CallOutcome kSuccess = make_outcome(false, false);
const CallOutcome kFailure = make_outcome(true, false);
const CallOutcome kSlowFailure = make_outcome(true, true);
const CallOutcome kSlowSuccess = make_outcome(false, true);

TEST(CircuitBreakerFastModulus, MatchesTheDivisionEverywhere) {
  const std::vector<std::uint64_t> divisors{1, 2, 3, 7, 10, 100, 997, 1'000'000, 4'294'967'295ULL,
                                            std::numeric_limits<std::uint64_t>::max()};
  const std::uint64_t max = std::numeric_limits<std::uint64_t>::max();
  Random random(7);
  for (const std::uint64_t divisor : divisors) {
    const FastModulus modulus(divisor);
    for (const std::uint64_t position : {std::uint64_t{0}, std::uint64_t{1}, divisor - 1, divisor,
                                         divisor + 1, max, max - 1, max / 2, std::uint64_t{1} << 63}) {
      ASSERT_EQ(modulus.remainder(position), position % divisor) << position << " % " << divisor;
    }
    for (int i = 0; i < 10'000; ++i) {
      const std::uint64_t position = random.next_u64() >> random.uniform(64);
      ASSERT_EQ(modulus.remainder(position), position % divisor) << position << " % " << divisor;
    }
  }
}

RC_GTEST_PROP(CircuitBreakerFastModulus, AgreesWithPercentForAnyOperands,
              (std::uint64_t position, std::uint64_t divisor)) {
  RC_PRE(divisor != 0u);
  RC_ASSERT(FastModulus(divisor).remainder(position) == position % divisor);
}

TEST(CircuitBreakerCountWindow, HoldsTheLastNOutcomes) {
  CountWindow window(3);
  EXPECT_EQ(window.snapshot(), (WindowSnapshot{0, 0, 0}));
  window.record(kFailure);
  window.record(kSlowSuccess);
  EXPECT_EQ(window.snapshot(), (WindowSnapshot{2, 1, 1}));
  window.record(kSuccess);
  window.record(kSuccess);  // evicts the failure
  EXPECT_EQ(window.snapshot(), (WindowSnapshot{3, 0, 1}));
  window.record(kSlowFailure);  // evicts the slow success
  EXPECT_EQ(window.snapshot(), (WindowSnapshot{3, 1, 1}));
  EXPECT_EQ(window.snapshot(), window.recount());
}

TEST(CircuitBreakerCountWindow, ClearEmptiesEverything) {
  CountWindow window(4);
  for (int i = 0; i < 7; ++i) window.record(i % 2 == 0 ? kSlowFailure : kSuccess);
  window.clear();
  EXPECT_EQ(window.snapshot(), (WindowSnapshot{0, 0, 0}));
  EXPECT_EQ(window.recount(), (WindowSnapshot{0, 0, 0}));
  window.record(kFailure);
  EXPECT_EQ(window.snapshot(), (WindowSnapshot{1, 1, 0}));
}

RC_GTEST_PROP(CircuitBreakerCountWindow, TotalsMatchAModelOfTheLastNCalls,
              (const std::vector<std::uint8_t>& choices)) {
  const auto size = *rc::gen::inRange<std::uint32_t>(1, 12);
  CountWindow window(size);
  std::vector<CallOutcome> model;
  for (const std::uint8_t choice : choices) {
    const CallOutcome outcome = make_outcome((choice & 1) != 0, (choice & 2) != 0);
    window.record(outcome);
    model.push_back(outcome);
  }
  WindowSnapshot expected;
  const std::size_t first = model.size() > size ? model.size() - size : 0;
  for (std::size_t i = first; i < model.size(); ++i) {
    ++expected.calls;
    expected.failed_calls += outcome_failed(model[i]) ? 1 : 0;
    expected.slow_calls += outcome_slow(model[i]) ? 1 : 0;
  }
  RC_ASSERT(window.snapshot() == expected);
  RC_ASSERT(window.recount() == expected);
}

TimePoint at(Duration since_start) { return TimePoint(1h) + since_start; }

TEST(CircuitBreakerTimeWindow, CountsTheLastNSeconds) {
  TimeWindow window(3);
  EXPECT_EQ(window.record(at(0ms), kFailure), (WindowSnapshot{1, 1, 0}));
  EXPECT_EQ(window.record(at(1500ms), kSlowSuccess), (WindowSnapshot{2, 1, 1}));
  EXPECT_EQ(window.record(at(2999ms), kSuccess), (WindowSnapshot{3, 1, 1}));
  // Second 3: second 0 (and its failure) fell out.
  EXPECT_EQ(window.record(at(3s), kSuccess), (WindowSnapshot{3, 0, 1}));
  EXPECT_EQ(window.snapshot(at(3s)), (WindowSnapshot{3, 0, 1}));
  EXPECT_EQ(window.snapshot(at(4s)), (WindowSnapshot{2, 0, 0}));
  EXPECT_EQ(window.snapshot(at(6s)), (WindowSnapshot{0, 0, 0}));
  // snapshot() forgot nothing for real: it only looked.
  EXPECT_EQ(window.snapshot(at(3s)), (WindowSnapshot{3, 0, 1}));
}

TEST(CircuitBreakerTimeWindow, ALongGapEmptiesTheWindow) {
  TimeWindow window(5);
  for (int i = 0; i < 5; ++i) window.record(at(std::chrono::seconds(i)), kFailure);
  EXPECT_EQ(window.record(at(1h), kSuccess), (WindowSnapshot{1, 0, 0}));
  EXPECT_EQ(window.record(at(1h + 4s), kFailure), (WindowSnapshot{2, 1, 0}));
  EXPECT_EQ(window.record(at(1h + 5s), kFailure), (WindowSnapshot{2, 2, 0}));
}

TEST(CircuitBreakerTimeWindow, LateReadingsCountInTheirOwnSecondOrNotAtAll) {
  TimeWindow window(3);
  window.record(at(10s), kSuccess);
  // A thread that read the clock in second 8 and got the lock later.
  EXPECT_EQ(window.record(at(8s), kFailure), (WindowSnapshot{2, 1, 0}));
  EXPECT_EQ(window.snapshot(at(10s)), (WindowSnapshot{2, 1, 0}));
  EXPECT_EQ(window.snapshot(at(11s)), (WindowSnapshot{1, 0, 0}));  // second 8 is gone
  // From before the window: nowhere to go.
  EXPECT_EQ(window.record(at(7s), kFailure), (WindowSnapshot{2, 1, 0}));
}

TEST(CircuitBreakerTimeWindow, ClearStartsOver) {
  TimeWindow window(3);
  window.record(at(0s), kFailure);
  window.clear();
  EXPECT_EQ(window.snapshot(at(0s)), (WindowSnapshot{0, 0, 0}));
  EXPECT_EQ(window.record(at(1s), kSuccess), (WindowSnapshot{1, 0, 0}));
}

RC_GTEST_PROP(CircuitBreakerTimeWindow, TotalsMatchAModelOfTheLastNSeconds,
              (const std::vector<std::pair<std::uint16_t, std::uint8_t>>& steps)) {
  const auto size = *rc::gen::inRange<std::uint32_t>(1, 8);
  TimeWindow window(size);
  std::vector<std::pair<std::int64_t, CallOutcome>> model;  // (millisecond, outcome)
  std::int64_t now_ms = 0;
  for (const auto& [advance, choice] : steps) {
    now_ms += advance % 3000;
    const CallOutcome outcome = make_outcome((choice & 1) != 0, (choice & 2) != 0);
    const WindowSnapshot got = window.record(at(std::chrono::milliseconds(now_ms)), outcome);
    model.emplace_back(now_ms, outcome);
    WindowSnapshot expected;
    const std::int64_t second = now_ms / 1000;
    for (const auto& [ms, recorded] : model) {
      if (ms / 1000 <= second - static_cast<std::int64_t>(size)) continue;
      ++expected.calls;
      expected.failed_calls += outcome_failed(recorded) ? 1 : 0;
      expected.slow_calls += outcome_slow(recorded) ? 1 : 0;
    }
    RC_ASSERT(got == expected);
    RC_ASSERT(window.snapshot(at(std::chrono::milliseconds(now_ms))) == expected);
  }
}

}  // namespace
}  // namespace faultline::resilience::detail
