// After the faults heal the cluster elects a leader and every client op
// completes.
#include <gtest/gtest.h>

#include <sstream>

#include "faultline/sim/simulation.hpp"

namespace faultline::sim {
namespace {

TEST(Liveness, APartitionHealsThenALeaderIsElectedAndEveryOpCompletes) {
  SimOptions options;
  options.nodes = 5;
  options.faults = parse_fault_kinds("partition").value();
  for (std::uint64_t seed = 1; seed <= 5; ++seed) {
    std::ostringstream log;
    const SimResult result = run_simulation(seed, options, &log);
    // ok includes the liveness check: a leader after healing, and every op
    // invoked after the cluster settled completed.
    ASSERT_TRUE(result.ok) << result.report;
    EXPECT_GT(result.stats.partitions(), 0u);
    const std::string text = log.str();
    const std::size_t healed = text.find("faults end: network healed");
    ASSERT_NE(healed, std::string::npos);
    EXPECT_GT(result.stats.ops_ok, 100u);
  }
}

TEST(Liveness, ClientsFollowTheNotLeaderHintAndRetryWithBackoff) {
  SimOptions options;
  options.faults = parse_fault_kinds("none").value();
  const SimResult result = run_simulation(4, options);
  ASSERT_TRUE(result.ok) << result.report;
  // Clients start at a random node; those that picked a follower are
  // redirected and retry, and every op still completes.
  EXPECT_GT(result.stats.client_retries, 0u);
  EXPECT_EQ(result.stats.ops_info, 0u);
  EXPECT_EQ(result.stats.ops_ok + result.stats.ops_fail, result.stats.ops_invoked);
}

TEST(Liveness, TheHistoryHasAnInvokeAndACompletionForEveryOp) {
  const SimResult result = run_simulation(6, SimOptions{});
  ASSERT_TRUE(result.ok) << result.report;
  EXPECT_EQ(result.history.size(), 2 * result.stats.ops_invoked);
  EXPECT_EQ(result.stats.ops_ok + result.stats.ops_fail + result.stats.ops_info,
            result.stats.ops_invoked);
}

}  // namespace
}  // namespace faultline::sim
