// Known-bad cores: each RaftTestKnobs switch removes one safety rule, and a
// scenario shows the cluster then violating state machine safety (the
// harness sees two nodes apply different entries at one index). The same
// scenario with the switch off stays safe: the rule is what protects it.
#include "faultline/raft/test_knobs.hpp"

#include <gtest/gtest.h>

#include "raft/cluster.hpp"

namespace faultline::raft {
namespace {

using testing::Cluster;

// Figure 8 with the commit rule broken: S1 (term 4) commits and applies its
// term-2 entry because it sits on a majority, then crashes; S5, whose log
// ends in term 3, is elected by S2-S4 and replaces that entry.
std::string run_figure8(bool commit_previous_term_by_counting) {
  Cluster cluster({1, 2, 3, 4, 5}, [&](Config& c) {
    testing::plain_raft(c);
    c.max_entries_per_message = 1;
    c.test_knobs.commit_previous_term_by_counting = commit_previous_term_by_counting;
  });
  cluster.preload(1, {1, 2}, 3);
  cluster.preload(2, {1}, 3);
  cluster.preload(3, {1}, 3);
  cluster.preload(4, {1}, 3);
  cluster.preload(5, {1, 3}, 3);
  cluster.isolate(4);
  cluster.isolate(5);
  cluster.tick_until_campaign(1);
  Raft& s1 = cluster.raft(1);
  EXPECT_TRUE(cluster.deliver_until([&] {
    return s1.role() == Role::leader && s1.tracker().progress(2).match() >= 2 &&
           s1.tracker().progress(3).match() >= 2;
  }));
  EXPECT_EQ(s1.log().committed(), commit_previous_term_by_counting ? 2u : 0u);
  // S1 crashes before anyone hears of its commit or its term-4 entry.
  cluster.crash(1);
  cluster.drop_all();
  cluster.heal();
  EXPECT_TRUE(cluster.elect_with_retries(5));
  cluster.tick(5);
  cluster.deliver_all();
  EXPECT_GE(cluster.raft(5).log().committed(), 2u);
  return cluster.violation();
}

TEST(TestKnobs, AreAllOffByDefault) {
  EXPECT_FALSE(RaftTestKnobs{}.any());
  EXPECT_FALSE(Config{}.test_knobs.any());
}

TEST(TestKnobs, CommittingAPreviousTermEntryByCountingReplicasBreaksSafety) {
  EXPECT_EQ(run_figure8(/*commit_previous_term_by_counting=*/false), "");
  const std::string violation = run_figure8(/*commit_previous_term_by_counting=*/true);
  EXPECT_NE(violation.find("state machine safety"), std::string::npos) << violation;
}

// S1 commits x at index 2 with S2 and crashes; S3 (which missed x) asks S2
// for a vote. Without the up-to-date check S2 grants it, and S3's no-op
// replaces the committed x.
std::string run_stale_candidate(bool skip_vote_up_to_date_check) {
  Cluster cluster({1, 2, 3}, [&](Config& c) {
    testing::plain_raft(c);
    c.test_knobs.skip_vote_up_to_date_check = skip_vote_up_to_date_check;
  });
  EXPECT_EQ(cluster.elect(1), Role::leader);
  cluster.isolate(3);
  EXPECT_TRUE(cluster.raft(1).propose(to_bytes("x")).ok());
  cluster.persist(1);
  Raft& s1 = cluster.raft(1);
  EXPECT_TRUE(cluster.deliver_until([&] { return s1.log().committed() >= 2; }));
  EXPECT_EQ(cluster.applied(1).at(2).data, to_bytes("x"));
  cluster.crash(1);
  cluster.drop_all();
  cluster.heal();
  const bool elected = cluster.elect_with_retries(3, 3);
  EXPECT_EQ(elected, skip_vote_up_to_date_check);
  return cluster.violation();
}

TEST(TestKnobs, SkippingTheVoteUpToDateCheckBreaksSafety) {
  EXPECT_EQ(run_stale_candidate(/*skip_vote_up_to_date_check=*/false), "");
  const std::string violation = run_stale_candidate(/*skip_vote_up_to_date_check=*/true);
  EXPECT_NE(violation.find("state machine safety"), std::string::npos) << violation;
}

}  // namespace
}  // namespace faultline::raft
