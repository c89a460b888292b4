// Every fault kind the schedule promises really happens, counted by the
// world, and a run without faults has none.
#include <gtest/gtest.h>

#include "faultline/sim/simulation.hpp"

namespace faultline::sim {
namespace {

SimStats run_seeds(const SimOptions& options, std::uint64_t seeds) {
  SimStats total;
  for (std::uint64_t seed = 1; seed <= seeds; ++seed) {
    const SimResult result = run_simulation(seed, options);
    EXPECT_TRUE(result.ok) << result.report << "\nreplay: " << result.replay;
    const SimStats& s = result.stats;
    total.messages_dropped_by_loss += s.messages_dropped_by_loss;
    total.messages_dropped_by_partition += s.messages_dropped_by_partition;
    total.messages_duplicated += s.messages_duplicated;
    total.messages_reordered += s.messages_reordered;
    total.crashes += s.crashes;
    total.restarts += s.restarts;
    total.lost_unpersisted_readies += s.lost_unpersisted_readies;
    total.partitions_symmetric += s.partitions_symmetric;
    total.partitions_asymmetric += s.partitions_asymmetric;
    total.partitions_bridge += s.partitions_bridge;
    total.partitions_leader_minority += s.partitions_leader_minority;
    total.ops_ok += s.ops_ok;
    total.snapshots_taken += s.snapshots_taken;
    total.snapshots_sent += s.snapshots_sent;
    total.snapshots_installed += s.snapshots_installed;
    total.snapshot_transfers_failed += s.snapshot_transfers_failed;
    total.membership_changes += s.membership_changes;
    total.leader_removals += s.leader_removals;
    total.leadership_transfers += s.leadership_transfers;
  }
  return total;
}

TEST(FaultKinds, EveryKindOccursWhenAllAreOn) {
  SimOptions options;
  options.nodes = 5;
  options.faults = FaultKinds::all();
  const SimStats stats = run_seeds(options, 10);
  EXPECT_GT(stats.messages_dropped_by_loss, 0u);
  EXPECT_GT(stats.messages_duplicated, 0u);
  EXPECT_GT(stats.messages_reordered, 0u);
  EXPECT_GT(stats.messages_dropped_by_partition, 0u);
  EXPECT_GT(stats.partitions_symmetric, 0u);
  EXPECT_GT(stats.partitions_asymmetric, 0u);
  EXPECT_GT(stats.partitions_bridge, 0u);
  EXPECT_GT(stats.partitions_leader_minority, 0u);
  EXPECT_GT(stats.crashes, 0u);
  EXPECT_EQ(stats.restarts, stats.crashes);  // every crashed node comes back
  EXPECT_GT(stats.membership_changes, 0u);
  EXPECT_GT(stats.leader_removals, 0u);
  EXPECT_GT(stats.leadership_transfers, 0u);
  EXPECT_GT(stats.snapshots_taken, 0u);
  EXPECT_GT(stats.snapshots_installed, 0u);
  EXPECT_GT(stats.snapshot_transfers_failed, 0u);  // lost on the way, or to a node that is down
  EXPECT_GT(stats.ops_ok, 0u);
}

TEST(FaultKinds, OnlyTheChosenKindOccurs) {
  SimOptions options;
  options.faults = parse_fault_kinds("dup").value();
  const SimStats stats = run_seeds(options, 3);
  EXPECT_GT(stats.messages_duplicated, 0u);
  EXPECT_EQ(stats.messages_dropped_by_loss, 0u);
  EXPECT_EQ(stats.messages_dropped_by_partition, 0u);
  EXPECT_EQ(stats.crashes, 0u);
  EXPECT_EQ(stats.membership_changes, 0u);
  EXPECT_EQ(stats.leadership_transfers, 0u);
}

TEST(FaultKinds, WithoutASnapshotIntervalNoNodeSnapshots) {
  SimOptions options;
  options.faults = parse_fault_kinds("crash,partition").value();
  options.snapshot_interval = 0;
  const SimStats stats = run_seeds(options, 5);
  EXPECT_EQ(stats.snapshots_taken, 0u);
  EXPECT_EQ(stats.snapshots_sent, 0u);
  EXPECT_GT(stats.ops_ok, 0u);
}

// Crashed and cut-off nodes fall behind the leader's compacted log and are
// caught up by InstallSnapshot; the membership operator alone (no network
// faults) changes the cluster many times, removing leaders too, and each
// run stays safe, live and linearizable.
TEST(FaultKinds, LaggingNodesAreCaughtUpBySnapshots) {
  SimOptions options;
  options.faults = parse_fault_kinds("crash,partition").value();
  options.snapshot_interval = 5;
  const SimStats stats = run_seeds(options, 10);
  EXPECT_GT(stats.snapshots_sent, 0u);
  EXPECT_GT(stats.snapshots_installed, 0u);
  EXPECT_EQ(stats.membership_changes, 0u);
}

TEST(FaultKinds, TheOperatorChangesMembershipAndLeadersHandOver) {
  SimOptions options;
  options.nodes = 5;
  options.faults = parse_fault_kinds("membership,transfer").value();
  const SimStats stats = run_seeds(options, 10);
  EXPECT_GT(stats.membership_changes, 20u);
  EXPECT_GT(stats.leader_removals, 0u);
  EXPECT_GT(stats.leadership_transfers, 10u);
  EXPECT_GT(stats.snapshots_installed, 0u);  // a new learner starts from the leader's snapshot
  EXPECT_EQ(stats.crashes, 0u);
}

TEST(FaultKinds, ReorderingComesFromLatencyJitter) {
  SimOptions options;
  options.faults = parse_fault_kinds("reorder").value();
  const SimStats stats = run_seeds(options, 3);
  EXPECT_GT(stats.messages_reordered, 100u);
  EXPECT_EQ(stats.messages_dropped_by_loss + stats.messages_duplicated, 0u);
}

TEST(FaultKinds, ARunWithoutFaultsHasNoneAndEveryOpSucceeds) {
  SimOptions options;
  options.faults = parse_fault_kinds("none").value();
  const SimResult result = run_simulation(9, options);
  ASSERT_TRUE(result.ok) << result.report;
  EXPECT_EQ(result.stats.faults_injected(), 0u);
  EXPECT_EQ(result.stats.messages_dropped_by_loss + result.stats.messages_dropped_by_partition, 0u);
  EXPECT_EQ(result.stats.ops_info, 0u);
  EXPECT_EQ(result.stats.elections, 1u);  // one leader, never disturbed
}

}  // namespace
}  // namespace faultline::sim
