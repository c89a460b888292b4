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

TEST(CrashRestart, ARestartedNodeRebuildsItsStateMachineFromTheDisk) {
  SimOptions options;
  options.faults = parse_fault_kinds("crash").value();
  std::ostringstream log;
  const SimResult result = run_simulation(2, options, &log);
  ASSERT_TRUE(result.ok) << result.report;
  const std::string text = log.str();
  const std::size_t restart = text.find("restarts from disk");
  ASSERT_NE(restart, std::string::npos);
  // The node id of the first restart, then its first apply afterwards is
  // index 1: the committed log is applied again from the start.
  const std::size_t node_start = text.rfind('n', restart);
  const std::string node = text.substr(node_start, text.find(' ', node_start) - node_start);
  const std::size_t reapply = text.find(node + "  applies index 1 ", restart);
  EXPECT_NE(reapply, std::string::npos) << node;
}

}  // namespace
}  // namespace faultline::sim
