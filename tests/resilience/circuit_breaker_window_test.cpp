// The breaker's sliding windows on their own: what they hold, what they
// forget, and that their running totals always match a recount.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <tuple>
#include <utility>
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

// Records, then reads the totals the breaker's rate check reads.
WindowSnapshot record(TimeWindow& window, TimePoint now, CallOutcome outcome) {
  window.record(now, outcome);
  return window.totals();
}

TEST(CircuitBreakerTimeWindow, CountsTheLastNSeconds) {
  TimeWindow window(3);
  EXPECT_EQ(record(window, at(0ms), kFailure), (WindowSnapshot{1, 1, 0}));
  EXPECT_EQ(record(window, at(1500ms), kSlowSuccess), (WindowSnapshot{2, 1, 1}));
  EXPECT_EQ(record(window, at(2999ms), kSuccess), (WindowSnapshot{3, 1, 1}));
  // Second 3: second 0 (and its failure) fell out.
  EXPECT_EQ(record(window, at(3s), kSuccess), (WindowSnapshot{3, 0, 1}));
  EXPECT_EQ(window.snapshot(at(3s)), (WindowSnapshot{3, 0, 1}));
  EXPECT_EQ(window.snapshot(at(4s)), (WindowSnapshot{2, 0, 0}));
  EXPECT_EQ(window.snapshot(at(6s)), (WindowSnapshot{0, 0, 0}));
  // snapshot() forgot nothing for real: it only looked.
  EXPECT_EQ(window.snapshot(at(3s)), (WindowSnapshot{3, 0, 1}));
}

TEST(CircuitBreakerTimeWindow, ALongGapEmptiesTheWindow) {
  TimeWindow window(5);
  for (int i = 0; i < 5; ++i) record(window, at(std::chrono::seconds(i)), kFailure);
  EXPECT_EQ(record(window, at(1h), kSuccess), (WindowSnapshot{1, 0, 0}));
  EXPECT_EQ(record(window, at(1h + 4s), kFailure), (WindowSnapshot{2, 1, 0}));
  EXPECT_EQ(record(window, at(1h + 5s), kFailure), (WindowSnapshot{2, 2, 0}));
}

TEST(CircuitBreakerTimeWindow, LateReadingsCountInTheirOwnSecondOrNotAtAll) {
  TimeWindow window(3);
  record(window, at(10s), kSuccess);
  // A thread that read the clock in second 8 and got the lock later.
  EXPECT_EQ(record(window, at(8s), kFailure), (WindowSnapshot{2, 1, 0}));
  EXPECT_EQ(window.snapshot(at(10s)), (WindowSnapshot{2, 1, 0}));
  EXPECT_EQ(window.snapshot(at(11s)), (WindowSnapshot{1, 0, 0}));  // second 8 is gone
  // From before the window: nowhere to go.
  EXPECT_EQ(record(window, at(7s), kFailure), (WindowSnapshot{2, 1, 0}));
}

TEST(CircuitBreakerTimeWindow, ClearStartsOver) {
  TimeWindow window(3);
  record(window, at(0s), kFailure);
  window.clear();
  EXPECT_EQ(window.snapshot(at(0s)), (WindowSnapshot{0, 0, 0}));
  EXPECT_EQ(record(window, at(1s), kSuccess), (WindowSnapshot{1, 0, 0}));
}

TEST(CircuitBreakerTimeWindow, SecondsBeforeTheClocksEpochCountToo) {
  // Readings before the epoch round down, and the seconds around zero map
  // to distinct buckets.
  EXPECT_EQ(TimeWindow::epoch_second_of(TimePoint(-1ns)), -1);
  EXPECT_EQ(TimeWindow::epoch_second_of(TimePoint(-1s)), -1);
  EXPECT_EQ(TimeWindow::epoch_second_of(TimePoint(-1001ms)), -2);
  EXPECT_EQ(TimeWindow::epoch_second_of(TimePoint(999ms)), 0);
  TimeWindow window(3);
  EXPECT_EQ(record(window, TimePoint(-1500ms), kFailure), (WindowSnapshot{1, 1, 0}));
  EXPECT_EQ(record(window, TimePoint(-1ms), kSuccess), (WindowSnapshot{2, 1, 0}));
  EXPECT_EQ(record(window, TimePoint(0ms), kSuccess), (WindowSnapshot{3, 1, 0}));
  EXPECT_EQ(record(window, TimePoint(1s), kSuccess), (WindowSnapshot{3, 0, 0}));  // -2 fell out
}

TEST(CircuitBreakerTimeWindow, ReadingsAtTheEndsOfTimePointsRangeStayExact) {
  // The partial seconds at either end of the range count as their neighbours.
  const std::int64_t second_min = std::numeric_limits<std::int64_t>::min() / 1'000'000'000;
  const std::int64_t second_max = std::numeric_limits<std::int64_t>::max() / 1'000'000'000 - 1;
  EXPECT_EQ(TimeWindow::epoch_second_of(TimePoint::min()), second_min);
  EXPECT_EQ(TimeWindow::epoch_second_of(TimePoint(Duration(second_min * 1'000'000'000))), second_min);
  EXPECT_EQ(TimeWindow::epoch_second_of(TimePoint::max()), second_max);
  EXPECT_EQ(TimeWindow::epoch_second_of(TimePoint(Duration(second_max * 1'000'000'000))), second_max);
  TimeWindow window(2);
  EXPECT_EQ(record(window, TimePoint::min(), kFailure), (WindowSnapshot{1, 1, 0}));
  EXPECT_EQ(record(window, TimePoint::min() + 1s, kSuccess), (WindowSnapshot{2, 1, 0}));
  EXPECT_EQ(record(window, TimePoint::max(), kSuccess), (WindowSnapshot{1, 0, 0}));
  EXPECT_EQ(record(window, TimePoint::max(), kFailure), (WindowSnapshot{2, 1, 0}));
  EXPECT_EQ(record(window, TimePoint::min(), kFailure), (WindowSnapshot{2, 1, 0}));  // too old
  EXPECT_EQ(window.snapshot(TimePoint::max()), (WindowSnapshot{2, 1, 0}));
}

TEST(CircuitBreakerTimeWindow, RecordsTotalCountsEveryRecordAndSurvivesClear) {
  TimeWindow window(3);
  record(window, at(10s), kSuccess);
  record(window, at(10s), kFailure);
  record(window, at(7s), kFailure);  // dropped from the window, still recorded
  EXPECT_EQ(window.totals(), (WindowSnapshot{2, 1, 0}));
  EXPECT_EQ(window.records_total(), 3u);
  window.clear();
  EXPECT_EQ(window.records_total(), 3u);
  EXPECT_EQ(record(window, at(11s), kSuccess), (WindowSnapshot{1, 0, 0}));
  EXPECT_EQ(window.records_total(), 4u);
}

TEST(CircuitBreakerCountWindow, RecordsTotalSurvivesClear) {
  CountWindow window(2);
  for (int i = 0; i < 5; ++i) window.record(kFailure);
  window.clear();
  window.record(kSuccess);
  EXPECT_EQ(window.records_total(), 6u);
  EXPECT_EQ(window.snapshot(), (WindowSnapshot{1, 0, 0}));
  EXPECT_EQ(window.recount(), (WindowSnapshot{1, 0, 0}));
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
    const WindowSnapshot got = record(window, at(std::chrono::milliseconds(now_ms)), outcome);
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

// Readings that arrive out of order, as from threads that stalled between
// reading the clock and recording: each counts in its own second while that
// second is in the window ending at the newest one recorded, and is dropped
// otherwise.
RC_GTEST_PROP(CircuitBreakerTimeWindow, LateReadingsMatchAModel,
              (const std::vector<std::tuple<std::uint16_t, std::uint16_t, std::uint8_t>>& steps)) {
  const auto size = *rc::gen::inRange<std::uint32_t>(1, 8);
  TimeWindow window(size);
  std::vector<std::pair<std::int64_t, CallOutcome>> model;  // (second, outcome), counted only
  std::int64_t now_ms = 0;
  std::int64_t newest_second = std::numeric_limits<std::int64_t>::min();
  std::uint64_t records = 0;
  for (const auto& [advance, lag, choice] : steps) {
    now_ms += advance % 3000;
    const std::int64_t reading_ms = now_ms - lag % 10'000;
    const CallOutcome outcome = make_outcome((choice & 1) != 0, (choice & 2) != 0);
    const WindowSnapshot got = record(window, at(std::chrono::milliseconds(reading_ms)), outcome);
    ++records;
    const std::int64_t second = TimeWindow::epoch_second_of(at(std::chrono::milliseconds(reading_ms)));
    newest_second = std::max(newest_second, second);
    const std::int64_t oldest_kept = newest_second - static_cast<std::int64_t>(size) + 1;
    if (second >= oldest_kept) model.emplace_back(second, outcome);
    WindowSnapshot expected;
    for (const auto& [counted_second, recorded] : model) {
      if (counted_second < oldest_kept) continue;
      ++expected.calls;
      expected.failed_calls += outcome_failed(recorded) ? 1 : 0;
      expected.slow_calls += outcome_slow(recorded) ? 1 : 0;
    }
    RC_ASSERT(got == expected);
    RC_ASSERT(window.snapshot(at(std::chrono::milliseconds(reading_ms))) == expected);
    RC_ASSERT(window.records_total() == records);
  }
}

}  // namespace
}  // namespace faultline::resilience::detail
