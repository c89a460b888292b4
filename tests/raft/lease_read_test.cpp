// Lease-based reads (thesis §6.4.1): a leader answers reads without a
// heartbeat round while no other leader can exist — and what clock drift
// does to that promise.
#include <gtest/gtest.h>

#include "raft/cluster.hpp"

namespace faultline::raft {
namespace {

using testing::Cluster;

Cluster::ConfigTweak lease_reads(int clock_drift_bound_ticks) {
  return [clock_drift_bound_ticks](Config& config) {
    config.lease_reads = true;
    config.clock_drift_bound_ticks = clock_drift_bound_ticks;
  };
}

// Elects node 1 and completes one heartbeat round, which grants the lease.
void elect_1_with_a_lease(Cluster& cluster) {
  ASSERT_EQ(cluster.elect(1), Role::leader);
  cluster.tick(1);
  cluster.deliver_all();
  ASSERT_TRUE(cluster.raft(1).holds_read_lease());
}

TEST(LeaseRead, ConfigRequiresCheckQuorumAndASaneDriftBound) {
  Config config = testing::make_config(1, {1, 2, 3});
  config.lease_reads = true;
  EXPECT_TRUE(config.validate().ok());
  config.check_quorum = false;
  EXPECT_EQ(config.validate().code(), StatusCode::invalid_argument);
  config.check_quorum = true;
  config.clock_drift_bound_ticks = config.election_ticks;
  EXPECT_EQ(config.validate().code(), StatusCode::invalid_argument);
  config.clock_drift_bound_ticks = -1;
  EXPECT_EQ(config.validate().code(), StatusCode::invalid_argument);
}

TEST(LeaseRead, ALeaderHoldingItsLeaseAnswersWithoutAHeartbeatRound) {
  Cluster cluster({1, 2, 3}, lease_reads(2));
  elect_1_with_a_lease(cluster);
  Raft& leader = cluster.raft(1);
  const Index commit = leader.log().committed();

  ASSERT_TRUE(leader.read_index(to_bytes("r")).ok());
  cluster.persist(1);
  // Answered at once: nothing went out to confirm leadership.
  ASSERT_EQ(cluster.read_states(1).size(), 1u);
  EXPECT_EQ(cluster.read_states(1)[0].index, commit);
  EXPECT_TRUE(cluster.network().empty());
  EXPECT_EQ(leader.pending_read_count(), 0u);
}

TEST(LeaseRead, WithoutTheOptionTheSameReadWaitsForARound) {
  Cluster cluster({1, 2, 3});
  ASSERT_EQ(cluster.elect(1), Role::leader);
  cluster.tick(1);
  cluster.deliver_all();
  EXPECT_FALSE(cluster.raft(1).holds_read_lease());
  ASSERT_TRUE(cluster.raft(1).read_index(to_bytes("r")).ok());
  cluster.persist(1);
  EXPECT_TRUE(cluster.read_states(1).empty());
  cluster.deliver_all();
  EXPECT_EQ(cluster.read_states(1).size(), 1u);
}

TEST(LeaseRead, ANewLeaderHasNoLeaseUntilAQuorumAcksAHeartbeat) {
  Cluster cluster({1, 2, 3}, lease_reads(2));
  ASSERT_EQ(cluster.elect(1), Role::leader);
  // Its appends were acknowledged, but no heartbeat yet: no lease. The read
  // still works, through a ReadIndex round.
  EXPECT_FALSE(cluster.raft(1).holds_read_lease());
  ASSERT_TRUE(cluster.raft(1).read_index(to_bytes("r")).ok());
  cluster.persist(1);
  EXPECT_TRUE(cluster.read_states(1).empty());
  cluster.deliver_all();
  EXPECT_EQ(cluster.read_states(1).size(), 1u);
}

TEST(LeaseRead, ALeaderCutOffLongerThanItsLeaseFallsBackToReadIndexRounds) {
  // election_ticks 10, drift bound 2: the lease lasts 8 leader ticks from the
  // heartbeat a quorum acknowledged.
  Cluster cluster({1, 2, 3}, lease_reads(2));
  elect_1_with_a_lease(cluster);
  Raft& leader = cluster.raft(1);
  cluster.isolate(1);

  // Within the lease it still answers alone, partitioned or not: nobody
  // else can have been elected yet.
  cluster.tick(1, 6);
  ASSERT_TRUE(leader.holds_read_lease());
  ASSERT_TRUE(leader.read_index(to_bytes("inside")).ok());
  cluster.persist(1);
  ASSERT_EQ(cluster.read_states(1).size(), 1u);

  // Past it, the same leader (CheckQuorum has not deposed it yet) refuses to
  // trust its clock and asks the cluster, which it cannot reach.
  cluster.tick(1, 2);
  ASSERT_EQ(leader.role(), Role::leader);
  EXPECT_FALSE(leader.holds_read_lease());
  ASSERT_TRUE(leader.read_index(to_bytes("outside")).ok());
  cluster.persist(1);
  cluster.deliver_all();
  EXPECT_EQ(cluster.read_states(1).size(), 1u);
  EXPECT_EQ(leader.pending_read_count(), 1u);

  // Reconnected, the next heartbeat round answers it and renews the lease.
  cluster.heal();
  cluster.tick(1);
  cluster.deliver_all();
  ASSERT_EQ(cluster.read_states(1).size(), 2u);
  EXPECT_EQ(as_string_view(cluster.read_states(1)[1].context), "outside");
  EXPECT_TRUE(leader.holds_read_lease());
}

// The stale-read story: leader 1 is partitioned from followers 2 and 3
// right after a heartbeat round; the followers' clocks run twice as fast as
// the leader's. They time out, elect one of them, which commits a write.
// Then a client asks the old leader. Returns the old leader's answer's index
// (0 if it did not answer at once) and the index of the committed write.
struct DriftOutcome {
  bool old_leader_still_leads = false;
  Index old_leader_answer = 0;
  Index write_index = 0;
};

DriftOutcome run_fast_follower_clocks(int clock_drift_bound_ticks) {
  Cluster cluster({1, 2, 3}, lease_reads(clock_drift_bound_ticks));
  DriftOutcome outcome;
  EXPECT_EQ(cluster.elect(1), Role::leader);
  cluster.tick(1);
  cluster.deliver_all();
  EXPECT_TRUE(cluster.raft(1).holds_read_lease());
  cluster.isolate(1);

  NodeId new_leader = kNoNode;
  for (int leader_ticks = 0; leader_ticks < 20 && new_leader == kNoNode; ++leader_ticks) {
    cluster.tick(1);
    for (int fast = 0; fast < 2; ++fast) {  // two follower ticks per leader tick
      cluster.tick(2);
      cluster.tick(3);
      cluster.deliver_all();
    }
    for (NodeId id : {NodeId{2}, NodeId{3}}) {
      if (cluster.raft(id).role() == Role::leader) new_leader = id;
    }
  }
  EXPECT_NE(new_leader, kNoNode);
  if (new_leader == kNoNode) return outcome;
  cluster.deliver_all();
  EXPECT_TRUE(cluster.raft(new_leader).propose(to_bytes("x=new")).ok());
  cluster.persist(new_leader);
  cluster.deliver_all();
  outcome.write_index = cluster.raft(new_leader).log().last_index();
  EXPECT_EQ(cluster.raft(new_leader).log().committed(), outcome.write_index);

  // The write is committed; now a client reads through the old leader.
  Raft& old_leader = cluster.raft(1);
  outcome.old_leader_still_leads = old_leader.role() == Role::leader;
  if (outcome.old_leader_still_leads) {
    EXPECT_TRUE(old_leader.read_index(to_bytes("read x")).ok());
    cluster.persist(1);
    if (!cluster.read_states(1).empty()) {
      outcome.old_leader_answer = cluster.read_states(1)[0].index;
    }
  }
  EXPECT_EQ(cluster.violation(), "");
  return outcome;
}

TEST(LeaseRead, WithNoDriftBoundFastFollowerClocksLetTheOldLeaderServeAStaleRead) {
  const DriftOutcome outcome = run_fast_follower_clocks(/*clock_drift_bound_ticks=*/0);
  ASSERT_TRUE(outcome.old_leader_still_leads);
  // The old leader answered by lease, at an index before the committed
  // write: the read misses a write that completed before it started. Not
  // linearizable.
  ASSERT_NE(outcome.old_leader_answer, 0u);
  EXPECT_LT(outcome.old_leader_answer, outcome.write_index);
}

TEST(LeaseRead, WithADriftBoundCoveringTheFastClocksTheOldLeaseExpiresFirst) {
  // Followers at twice the leader's rate time out after at least 10 of their
  // ticks: 5 leader ticks, less one for tick phase. A lease of 4 leader ticks
  // (bound 6) ends before any of them can vote for someone else.
  const DriftOutcome outcome = run_fast_follower_clocks(/*clock_drift_bound_ticks=*/6);
  ASSERT_TRUE(outcome.old_leader_still_leads) << "CheckQuorum has not deposed it yet";
  EXPECT_EQ(outcome.old_leader_answer, 0u) << "no answer without a round it cannot complete";
}

// The lease rests on followers refusing votes while they remember the
// leader. A follower that crashes and restarts forgets it heard the leader,
// so it keeps the promise for an election timeout after starting.
TEST(LeaseRead, ARestartedFollowerKeepsItsPromiseForAnElectionTimeout) {
  Cluster cluster({1, 2, 3}, lease_reads(2));
  elect_1_with_a_lease(cluster);
  // Node 3 loses the leader; node 1 renews its lease with node 2 alone.
  cluster.cut(1, 3);
  cluster.tick(1);
  cluster.deliver_all();
  ASSERT_TRUE(cluster.raft(1).holds_read_lease());

  // Node 2, whose ack the lease rests on, crashes and restarts at once;
  // node 3 campaigns. Node 2 must not help it while 1's lease may hold.
  cluster.crash(2);
  cluster.restart(2);
  cluster.tick_until_campaign(3);
  cluster.deliver_all();
  EXPECT_NE(cluster.raft(3).role(), Role::leader);
  EXPECT_NE(cluster.raft(3).role(), Role::candidate) << "its pre-vote found no support";
  ASSERT_TRUE(cluster.raft(1).holds_read_lease());

  // An election timeout later node 1's lease, measured on its own clock, is
  // gone. If node 1 is gone too, nodes 2 and 3 elect a new leader once node
  // 2 has kept its promise for an election timeout of its own.
  cluster.tick(1, 10);
  EXPECT_FALSE(cluster.raft(1).holds_read_lease());
  cluster.isolate(1);
  cluster.drop_all();
  bool new_leader = false;
  for (int round = 0; round < 60 && !new_leader; ++round) {
    cluster.tick(2);
    cluster.tick(3);
    cluster.deliver_all();
    new_leader = cluster.raft(2).role() == Role::leader || cluster.raft(3).role() == Role::leader;
  }
  EXPECT_TRUE(new_leader);
  EXPECT_EQ(cluster.violation(), "");
}

TEST(LeaseRead, AHeartbeatAckEchoingAFutureTickDoesNotExtendTheLease) {
  Cluster cluster({1, 2, 3}, lease_reads(2));
  elect_1_with_a_lease(cluster);
  Raft& leader = cluster.raft(1);
  cluster.isolate(1);
  cluster.tick(1, 8);
  ASSERT_FALSE(leader.holds_read_lease());
  // A hostile follower claims to have acked a heartbeat the leader never sent.
  for (NodeId from : {NodeId{2}, NodeId{3}}) {
    ASSERT_TRUE(leader
                    .step(Message{.type = MessageType::heartbeat_response,
                                  .from = from,
                                  .to = 1,
                                  .term = leader.term(),
                                  .lease_tick = 1000})
                    .ok());
  }
  EXPECT_FALSE(leader.holds_read_lease());
}

}  // namespace
}  // namespace faultline::raft
