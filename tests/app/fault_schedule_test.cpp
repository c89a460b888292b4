// The flaky service's fault schedule: the same seed gives the same phases
// and the same fault for the same request, and each phase injects what its
// profile says.
#include "demo/fault_schedule.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace faultline::demo {
namespace {

using namespace std::chrono_literals;

bool same_decision(const FaultDecision& a, const FaultDecision& b) {
  return a.kind == b.kind && a.http_status == b.http_status &&
         a.retry_after_seconds == b.retry_after_seconds && a.delay == b.delay &&
         a.phase_index == b.phase_index;
}

Duration middle_of(const Phase& phase) { return phase.start + (phase.end - phase.start) / 2; }

TEST(FaultSchedule, TheStandardRunHasFivePhasesInOrderThatTileIt) {
  for (const Duration total : {FaultSchedule::kTotalMin, Duration(30s), FaultSchedule::kTotalMax}) {
    const FaultSchedule schedule = FaultSchedule::standard(1, total);
    std::vector<std::string> names;
    Duration expected_start = 0s;
    for (const Phase& phase : schedule.phases()) {
      names.push_back(phase.name);
      EXPECT_EQ(phase.start, expected_start);
      EXPECT_LT(phase.start, phase.end);
      expected_start = phase.end;
    }
    EXPECT_EQ(names, (std::vector<std::string>{"healthy", "errors", "latency spikes", "outage",
                                               "recovery"}));
    EXPECT_EQ(schedule.total(), total);
  }
}

TEST(FaultSchedule, TheSameSeedGivesTheSamePhaseTable) {
  const FaultSchedule a = FaultSchedule::standard(42, 30s);
  const FaultSchedule b = FaultSchedule::standard(42, 30s);
  ASSERT_EQ(a.phases().size(), b.phases().size());
  for (std::size_t i = 0; i < a.phases().size(); ++i) {
    EXPECT_EQ(a.phases()[i].name, b.phases()[i].name);
    EXPECT_EQ(a.phases()[i].start, b.phases()[i].start);
    EXPECT_EQ(a.phases()[i].end, b.phases()[i].end);
  }
}

TEST(FaultSchedule, DifferentSeedsMoveThePhaseBoundaries) {
  const FaultSchedule a = FaultSchedule::standard(1, 30s);
  const FaultSchedule b = FaultSchedule::standard(2, 30s);
  bool any_boundary_moved = false;
  for (std::size_t i = 0; i + 1 < a.phases().size(); ++i) {
    any_boundary_moved = any_boundary_moved || a.phases()[i].end != b.phases()[i].end;
    // Nudged by at most 2% of the run, so a phase never disappears.
    EXPECT_LE(a.phases()[i].end - b.phases()[i].end, 30s / 25);
    EXPECT_GE(a.phases()[i].end - b.phases()[i].end, -(30s / 25));
  }
  EXPECT_TRUE(any_boundary_moved);
}

TEST(FaultSchedule, TheSameSeedGivesTheSameDecisionForTheSameRequest) {
  const FaultSchedule a = FaultSchedule::standard(7, 30s);
  const FaultSchedule b = FaultSchedule::standard(7, 30s);
  const FaultSchedule other_seed = FaultSchedule::standard(8, 30s);
  int differences_with_other_seed = 0;
  for (const Phase& phase : a.phases()) {
    for (std::uint64_t id = 1; id <= 500; ++id) {
      for (std::uint32_t attempt = 1; attempt <= 3; ++attempt) {
        const FaultDecision decision = a.decide(middle_of(phase), id, attempt);
        EXPECT_TRUE(same_decision(decision, b.decide(middle_of(phase), id, attempt)));
        // Asking again, after other requests, changes nothing: no hidden state.
        EXPECT_TRUE(same_decision(decision, a.decide(middle_of(phase), id, attempt)));
        differences_with_other_seed +=
            same_decision(decision, other_seed.decide(middle_of(phase), id, attempt)) ? 0 : 1;
      }
    }
  }
  EXPECT_GT(differences_with_other_seed, 1000);
}

TEST(FaultSchedule, DecisionsFollowEachPhaseProfile) {
  const FaultSchedule schedule = FaultSchedule::standard(3, 30s);
  constexpr int kRequests = 10'000;
  std::vector<int> failures(schedule.phases().size(), 0);
  std::vector<int> slow(schedule.phases().size(), 0);
  for (std::size_t p = 0; p < schedule.phases().size(); ++p) {
    for (int id = 1; id <= kRequests; ++id) {
      const FaultDecision d =
          schedule.decide(middle_of(schedule.phases()[p]), static_cast<std::uint64_t>(id), 1);
      EXPECT_EQ(d.phase_index, p);
      failures[p] += d.kind != FaultKind::none ? 1 : 0;
      slow[p] += d.delay >= 300ms ? 1 : 0;
    }
  }
  EXPECT_NEAR(failures[0], kRequests * 0.01, kRequests * 0.01);   // healthy: 1%
  EXPECT_NEAR(failures[1], kRequests * 0.314, kRequests * 0.02);  // errors: 30% 503 + 2% cut
  EXPECT_NEAR(slow[2], kRequests * 0.19, kRequests * 0.02);       // spikes: 15% slow + 5% hung
  EXPECT_EQ(failures[3], kRequests);                              // outage: everything fails
  EXPECT_NEAR(failures[4], kRequests * 0.01, kRequests * 0.01);   // recovery: 1%
  EXPECT_EQ(slow[0] + slow[1] + slow[3] + slow[4], 0);
}

TEST(FaultSchedule, SomeErrorsCarryRetryAfter) {
  const FaultSchedule schedule = FaultSchedule::standard(3, 30s);
  const Duration errors = middle_of(schedule.phases()[1]);
  int with_hint = 0;
  int errors_total = 0;
  for (std::uint64_t id = 1; id <= 10'000; ++id) {
    const FaultDecision d = schedule.decide(errors, id, 1);
    if (d.kind != FaultKind::http_error) continue;
    EXPECT_EQ(d.http_status, 503);
    ++errors_total;
    if (d.retry_after_seconds) {
      EXPECT_EQ(*d.retry_after_seconds, 1);
      ++with_hint;
    }
  }
  EXPECT_NEAR(with_hint, errors_total * 0.1, errors_total * 0.03);
}

TEST(FaultSchedule, PastTheEndTheLastPhaseHolds) {
  const FaultSchedule schedule = FaultSchedule::standard(1, 10s);
  EXPECT_EQ(schedule.phase_index_at(0s), 0U);
  EXPECT_EQ(schedule.phase_index_at(10s), schedule.phases().size() - 1);
  EXPECT_EQ(schedule.phase_index_at(1h), schedule.phases().size() - 1);
}

TEST(FaultSchedule, ACustomTableIsUsedAsGiven) {
  const FaultSchedule schedule(5, {Phase{"down", "", 0s, 1s, FaultProfile{.reset_rate = 1.0}},
                                   Phase{"up", "", 1s, 2s, FaultProfile{}}});
  EXPECT_EQ(schedule.decide(500ms, 1, 1).kind, FaultKind::reset);
  EXPECT_EQ(schedule.decide(1500ms, 1, 1).kind, FaultKind::none);
}

}  // namespace
}  // namespace faultline::demo
