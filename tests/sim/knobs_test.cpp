// A checker that never finds anything proves nothing. Each test breaks the
// Raft core on purpose (raft/test_knobs.hpp) and shows the simulator finds
// a violation within a bounded number of seeds, and that the very seed that
// fails passes with the knob off.
#include <gtest/gtest.h>

#include <optional>

#include "faultline/sim/simulation.hpp"

namespace faultline::sim {
namespace {

// The first failing seed in [1, seeds_max], if any.
std::optional<SimResult> first_failure(const SimOptions& options, std::uint64_t seeds_max) {
  for (std::uint64_t seed = 1; seed <= seeds_max; ++seed) {
    SimResult result = run_simulation(seed, options);
    if (!result.ok) return result;
  }
  return std::nullopt;
}

std::uint64_t seed_of(const SimResult& result) {
  const std::string prefix = "--seed ";
  const std::size_t at = result.replay.find(prefix) + prefix.size();
  return std::stoull(result.replay.substr(at));
}

TEST(Knobs, VotingWithoutTheUpToDateCheckLosesACommittedEntry) {
  SimOptions options;
  options.knobs.skip_vote_up_to_date_check = true;
  const std::optional<SimResult> failure = first_failure(options, 50);
  ASSERT_TRUE(failure.has_value()) << "no violation in 50 seeds";
  EXPECT_NE(failure->report.find("violated"), std::string::npos) << failure->report;
  EXPECT_NE(failure->replay.find("--knob skip_vote_up_to_date_check"), std::string::npos);

  options.knobs = {};
  const SimResult correct = run_simulation(seed_of(*failure), options);
  EXPECT_TRUE(correct.ok) << correct.report;
}

TEST(Knobs, ReadIndexWithoutAHeartbeatRoundServesStaleReadsTheCheckerCatches) {
  // Many clients on a short run: a deposed leader that still answers reads
  // is caught the moment one reads from it after another's write completed.
  SimOptions options;
  options.clients = 12;
  options.duration = std::chrono::seconds(5);
  options.faults = parse_fault_kinds("partition").value();
  options.knobs.read_index_skips_quorum_check = true;
  const std::optional<SimResult> failure = first_failure(options, 150);
  ASSERT_TRUE(failure.has_value()) << "no violation in 150 seeds";
  // Not a Raft invariant: only the clients' history shows it.
  EXPECT_NE(failure->report.find("not linearizable"), std::string::npos) << failure->report;
  EXPECT_NE(failure->report.find("get "), std::string::npos) << failure->report;

  options.knobs = {};
  const SimResult correct = run_simulation(seed_of(*failure), options);
  EXPECT_TRUE(correct.ok) << correct.report;
}

// Figure 8: a leader commits an entry of an earlier term by counting its
// replicas, then vanishes before its own term's entry is on a quorum; a node
// holding a conflicting entry of a later (but still earlier) term is elected
// and the "committed" entry is gone. Leader churn (leaders losing their
// network within a round trip of appending, or right after applying) makes
// the partly-replicated logs this needs; crashes alone never did.
TEST(Knobs, CountingPreviousTermReplicasUnderLeaderChurnLosesACommittedEntry) {
  SimOptions options;
  options.faults = parse_fault_kinds("churn").value();
  options.knobs.commit_previous_term_by_counting = true;
  const std::optional<SimResult> failure = first_failure(options, 100);
  ASSERT_TRUE(failure.has_value()) << "no violation in 100 seeds";
  EXPECT_NE(failure->report.find("leader completeness violated"), std::string::npos)
      << failure->report;
  EXPECT_NE(failure->replay.find("--knob commit_previous_term_by_counting"), std::string::npos);
  EXPECT_NE(failure->replay.find("--faults churn"), std::string::npos) << failure->replay;

  // Every seed up to the failing one passes on the correct core.
  options.knobs = {};
  for (std::uint64_t seed = 1; seed <= seed_of(*failure); ++seed) {
    const SimResult correct = run_simulation(seed, options);
    ASSERT_TRUE(correct.ok) << "seed " << seed << ": " << correct.report;
    EXPECT_GT(correct.stats.churn_cuts, 0u);
  }
}

TEST(Knobs, CountingPreviousTermReplicasUnderLeaderChurnAlsoFailsAtFiveNodes) {
  SimOptions options;
  options.nodes = 5;
  options.faults = parse_fault_kinds("churn").value();
  options.knobs.commit_previous_term_by_counting = true;
  const std::optional<SimResult> failure = first_failure(options, 60);
  ASSERT_TRUE(failure.has_value()) << "no violation in 60 seeds";
  EXPECT_NE(failure->report.find("violated"), std::string::npos) << failure->report;

  options.knobs = {};
  const SimResult correct = run_simulation(seed_of(*failure), options);
  EXPECT_TRUE(correct.ok) << correct.report;
}

TEST(Knobs, TheCorrectCorePassesTheSameSeeds) {
  SimOptions options;
  options.clients = 12;
  options.duration = std::chrono::seconds(5);
  options.faults = parse_fault_kinds("partition").value();
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    const SimResult result = run_simulation(seed, options);
    ASSERT_TRUE(result.ok) << result.report;
  }
}

}  // namespace
}  // namespace faultline::sim

namespace faultline::sim {
namespace {

// leader_counts_unpersisted_entries lets the leader count its own entries
// toward commit before they are durable. Under the Ready contract that is
// not enough to break anything: whatever the early commit produces (the
// committed entries, the commit index sent to followers) leaves only in the
// next Ready, which the driver takes after advance(), i.e. after the
// persist. This pins that finding: with crashes landing mid-persist, the
// knob stays safe. (A driver that pipelined Readys would expose it; ours
// and the core's one-Ready-at-a-time rule do not. See docs/sim.md.)
TEST(Knobs, CountingUnpersistedEntriesIsMaskedByTheOneReadyAtATimeContract) {
  SimOptions options;
  options.faults = parse_fault_kinds("crash,partition").value();
  options.knobs.leader_counts_unpersisted_entries = true;
  std::uint64_t lost_in_flight = 0;
  for (std::uint64_t seed = 1; seed <= 40; ++seed) {
    const SimResult result = run_simulation(seed, options);
    ASSERT_TRUE(result.ok) << result.report;
    lost_in_flight += result.stats.lost_unpersisted_readies;
  }
  EXPECT_GT(lost_in_flight, 0u);
}

}  // namespace
}  // namespace faultline::sim
