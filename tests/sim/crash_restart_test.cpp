// A crash drops the Raft object, the state machine and everything not yet
// persisted; a restart rebuilds both from the disk alone. Runs with only
// crashes stay safe, crashes do land in the middle of persists, and the
// restarted node catches up and serves again.
#include <gtest/gtest.h>

#include <sstream>

#include "faultline/sim/simulation.hpp"

namespace faultline::sim {
namespace {

TEST(CrashRestart, CrashesLoseOnlyUnpersistedStateAndTheClusterStaysSafe) {
  SimOptions options;
  options.faults = parse_fault_kinds("crash").value();
  std::uint64_t crashes = 0;
  std::uint64_t lost_in_flight = 0;
  for (std::uint64_t seed = 1; seed <= 30; ++seed) {
    const SimResult result = run_simulation(seed, options);
    ASSERT_TRUE(result.ok) << result.report << "\nreplay: " << result.replay;
    crashes += result.stats.crashes;
    lost_in_flight += result.stats.lost_unpersisted_readies;
    EXPECT_EQ(result.stats.restarts, result.stats.crashes);
  }
  EXPECT_GT(crashes, 50u);
  // Some crashes landed while a Ready was being persisted: its entries,
  // vote and messages were lost, and the safety checks still held.
  EXPECT_GT(lost_in_flight, 0u);
}

// The node id of the first restart in `text` and the first index it
// applies afterwards.
struct Restart {
  std::string node;
  std::uint64_t snapshot_index = 0;
  std::size_t reapply = std::string::npos;  // where "<node>  applies index <next>" is
  std::uint64_t first_applied = 0;          // the first index it applies (0: none)
  bool installs_snapshot_first = false;     // or a newer snapshot comes first
};

Restart first_restart(const std::string& text) {
  Restart restart;
  const std::size_t at = text.find("restarts from disk: snapshot at index ");
  if (at == std::string::npos) return restart;
  const std::size_t node_start = text.rfind('n', at);
  restart.node = text.substr(node_start, text.find(' ', node_start) - node_start);
  restart.snapshot_index =
      std::stoull(text.substr(at + std::string("restarts from disk: snapshot at index ").size()));
  restart.reapply = text.find(
      restart.node + "  applies index " + std::to_string(restart.snapshot_index + 1) + " ", at);
  const std::string applies = restart.node + "  applies index ";
  const std::size_t apply = text.find(applies, at);
  const std::size_t install = text.find(restart.node + "  installs the snapshot", at);
  restart.installs_snapshot_first = install < apply;
  if (apply != std::string::npos) {
    restart.first_applied = std::stoull(text.substr(apply + applies.size()));
  }
  return restart;
}

TEST(CrashRestart, WithoutSnapshotsARestartedNodeReappliesTheWholeLog) {
  SimOptions options;
  options.faults = parse_fault_kinds("crash").value();
  options.snapshot_interval = 0;
  std::ostringstream log;
  const SimResult result = run_simulation(2, options, &log);
  ASSERT_TRUE(result.ok) << result.report;
  const Restart restart = first_restart(log.str());
  ASSERT_FALSE(restart.node.empty());
  EXPECT_EQ(restart.snapshot_index, 0u);
  EXPECT_NE(restart.reapply, std::string::npos) << restart.node;  // index 1 again
}

TEST(CrashRestart, ARestartedNodeLoadsItsSnapshotAndAppliesWhatFollows) {
  SimOptions options;
  options.faults = parse_fault_kinds("crash").value();
  options.snapshot_interval = 5;
  bool seen = false;
  for (std::uint64_t seed = 1; seed <= 10 && !seen; ++seed) {
    std::ostringstream log;
    const SimResult result = run_simulation(seed, options, &log);
    ASSERT_TRUE(result.ok) << result.report;
    const Restart restart = first_restart(log.str());
    if (restart.node.empty() || restart.snapshot_index == 0) continue;
    EXPECT_EQ(restart.snapshot_index % 5, 0u);
    // Its state machine starts at the snapshot, so the entries it covers are
    // not applied again: the next apply is the one right after it (unless the
    // leader compacted past it meanwhile and sends a newer snapshot first).
    if (restart.installs_snapshot_first || restart.first_applied == 0) continue;
    seen = true;
    EXPECT_EQ(restart.first_applied, restart.snapshot_index + 1)
        << restart.node << " seed " << seed;
  }
  EXPECT_TRUE(seen) << "no restart from a snapshot in 10 seeds";
}

}  // namespace
}  // namespace faultline::sim
