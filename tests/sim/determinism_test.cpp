// A run is its seed: the same seed replays the same run event for event
// (the hash covers every event in order), a different seed is another run.
#include <gtest/gtest.h>

#include <sstream>

#include "faultline/sim/simulation.hpp"

namespace faultline::sim {
namespace {

TEST(Determinism, TheSameSeedReplaysTheSameRunEventForEvent) {
  SimOptions options;
  options.nodes = 5;
  const SimResult first = run_simulation(11, options);
  const SimResult second = run_simulation(11, options);
  ASSERT_TRUE(first.ok) << first.report;
  EXPECT_EQ(first.hash, second.hash);
  EXPECT_EQ(first.stats.events, second.stats.events);
  EXPECT_EQ(first.stats.messages_delivered, second.stats.messages_delivered);
  EXPECT_EQ(first.history.size(), second.history.size());
  // The hash covers snapshots and membership changes too: this run has them.
  EXPECT_GT(first.stats.snapshots_installed, 0u);
  EXPECT_GT(first.stats.membership_changes, 0u);
  EXPECT_EQ(first.stats.snapshots_installed, second.stats.snapshots_installed);
}

TEST(Determinism, ADifferentSeedIsADifferentRun) {
  const SimOptions options;
  EXPECT_NE(run_simulation(1, options).hash, run_simulation(2, options).hash);
}

TEST(Determinism, TheEventLogIsTheSameTextTwice) {
  SimOptions options;
  options.duration = std::chrono::seconds(2);
  std::ostringstream first;
  std::ostringstream second;
  (void)run_simulation(3, options, &first);
  (void)run_simulation(3, options, &second);
  EXPECT_EQ(first.str(), second.str());
  EXPECT_NE(first.str().find("becomes leader of term"), std::string::npos);
  EXPECT_NE(first.str().find("client 0 invokes"), std::string::npos);
}

TEST(Determinism, LoggingDoesNotChangeTheRun) {
  const SimOptions options;
  std::ostringstream log;
  EXPECT_EQ(run_simulation(5, options, &log).hash, run_simulation(5, options).hash);
}

}  // namespace
}  // namespace faultline::sim
