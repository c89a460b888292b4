// The read_index_skips_quorum_check knob, step by step: a leader cut off
// from everyone normally cannot confirm a ReadIndex read (thesis §6.4); with
// the knob it answers at once, which is exactly how a deposed leader serves
// a stale read (the simulator's checker catches that: tests/sim/knobs_test.cpp).
#include <gtest/gtest.h>

#include "raft/cluster.hpp"

namespace faultline::raft {
namespace {

using testing::Cluster;

std::size_t reads_answered_while_isolated(bool read_index_skips_quorum_check) {
  Cluster cluster({1, 2, 3}, [&](Config& c) {
    c.test_knobs.read_index_skips_quorum_check = read_index_skips_quorum_check;
  });
  EXPECT_EQ(cluster.elect(1), Role::leader);
  Raft& leader = cluster.raft(1);
  EXPECT_TRUE(leader.propose(to_bytes("x=1")).ok());
  cluster.persist(1);
  cluster.deliver_all();

  cluster.isolate(1);
  EXPECT_TRUE(leader.read_index(to_bytes("r")).ok());
  cluster.persist(1);
  cluster.deliver_all();
  return cluster.read_states(1).size();
}

TEST(ReadIndexKnob, AnIsolatedLeaderWaitsForAQuorumToConfirmARead) {
  EXPECT_EQ(reads_answered_while_isolated(false), 0u);
}

TEST(ReadIndexKnob, WithTheKnobAnIsolatedLeaderAnswersAtOnce) {
  EXPECT_EQ(reads_answered_while_isolated(true), 1u);
}

}  // namespace
}  // namespace faultline::raft
