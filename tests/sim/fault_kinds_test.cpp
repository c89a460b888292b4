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
