// SimStats totals: adding two runs' counters adds every field, and churn
// counts as an injected fault.
#include <gtest/gtest.h>

#include "faultline/sim/simulation.hpp"

namespace faultline::sim {
namespace {

TEST(SimStats, AddingRunsAddsEveryCounterAndDuration) {
  SimStats a;
  a.events = 10;
  a.churn_episodes = 2;
  a.churn_cuts = 5;
  a.client_retries = 1;
  a.simulated = std::chrono::seconds(3);
  a.real = std::chrono::milliseconds(7);
  SimStats b;
  b.events = 1;
  b.churn_episodes = 1;
  b.leader_isolations = 4;
  b.real = std::chrono::milliseconds(1);
  a += b;
  EXPECT_EQ(a.events, 11u);
  EXPECT_EQ(a.churn_episodes, 3u);
  EXPECT_EQ(a.churn_cuts, 5u);
  EXPECT_EQ(a.leader_isolations, 4u);
  EXPECT_EQ(a.client_retries, 1u);
  EXPECT_EQ(a.simulated, std::chrono::seconds(3));
  EXPECT_EQ(a.real, std::chrono::milliseconds(8));
}

TEST(SimStats, ChurnIsAnInjectedFault) {
  SimStats s;
  s.churn_episodes = 2;
  s.crashes = 1;
  EXPECT_EQ(s.faults_injected(), 3u);
}

}  // namespace
}  // namespace faultline::sim
