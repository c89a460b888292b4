// Leadership transfer as stories (thesis §3.10): timeout_now to an
// up-to-date target, catching a lagging target up first, giving up on an
// unreachable one, and refusing proposals meanwhile.
#include <gtest/gtest.h>

#include <algorithm>

#include "raft/cluster.hpp"

namespace faultline::raft {
namespace {

using testing::Cluster;

// Hands out what the cores produced since (proposals queue their messages in
// the core until the driver takes a Ready), then delivers everything.
void deliver(Cluster& cluster) {
  cluster.persist_all();
  cluster.deliver_all();
}

void settle(Cluster& cluster, NodeId leader, int rounds = 5) {
  cluster.persist_all();
  for (int i = 0; i < rounds; ++i) {
    cluster.tick(leader);
    deliver(cluster);
  }
}

Cluster elected_cluster(std::vector<NodeId> ids) {
  Cluster cluster(std::move(ids));
  EXPECT_EQ(cluster.elect(1), Role::leader);
  settle(cluster, 1);
  return cluster;
}

bool in_network(Cluster& cluster, MessageType type, NodeId to) {
  return std::any_of(cluster.network().begin(), cluster.network().end(),
                     [&](const Message& m) { return m.type == type && m.to == to; });
}

TEST(LeadershipTransfer, ToAnUpToDateFollowerTheTargetCampaignsAtOnce) {
  Cluster cluster = elected_cluster({1, 2, 3});
  const Term term = cluster.raft(1).term();
  ASSERT_TRUE(cluster.raft(1).transfer_leadership(2).ok());
  EXPECT_EQ(cluster.raft(1).transfer_target(), 2u);
  cluster.persist(1);
  // 2 already holds the whole log: timeout_now leaves immediately.
  EXPECT_TRUE(in_network(cluster, MessageType::timeout_now, 2));

  const std::size_t history_before = cluster.history().size();
  deliver(cluster);
  EXPECT_EQ(cluster.raft(2).role(), Role::leader);
  EXPECT_EQ(cluster.raft(2).term(), term + 1);
  EXPECT_EQ(cluster.raft(1).role(), Role::follower);
  EXPECT_EQ(cluster.raft(1).leader(), 2u);
  EXPECT_EQ(cluster.raft(1).transfer_target(), kNoNode);
  // A real election straight away: no PreVote round, and node 3 set its
  // leader lease aside for a campaign the leader itself asked for.
  for (std::size_t i = history_before; i < cluster.history().size(); ++i) {
    EXPECT_NE(cluster.history()[i].type, MessageType::pre_vote);
  }
  settle(cluster, 2);
  EXPECT_EQ(cluster.raft(3).leader(), 2u);
  EXPECT_EQ(cluster.violation(), "");
}

TEST(LeadershipTransfer, ALaggingTargetIsCaughtUpBeforeItIsToldToCampaign) {
  Cluster cluster = elected_cluster({1, 2, 3});
  Raft& leader = cluster.raft(1);
  cluster.isolate(3);
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(leader.propose(to_bytes("while 3 is away")).ok());
  deliver(cluster);
  const Index last = leader.log().last_index();
  ASSERT_EQ(leader.log().committed(), last);
  ASSERT_LT(cluster.raft(3).log().last_index(), last);
  cluster.heal();

  ASSERT_TRUE(leader.transfer_leadership(3).ok());
  cluster.persist(1);
  EXPECT_FALSE(in_network(cluster, MessageType::timeout_now, 3));
  // timeout_now leaves only once 3 holds everything the leader has.
  cluster.persist_all();
  ASSERT_TRUE(cluster.deliver_until([&] { return in_network(cluster, MessageType::timeout_now, 3); }));
  EXPECT_EQ(cluster.raft(3).log().last_index(), last);
  deliver(cluster);
  EXPECT_EQ(cluster.raft(3).role(), Role::leader);
  EXPECT_EQ(cluster.raft(1).role(), Role::follower);
  EXPECT_EQ(cluster.violation(), "");
}

TEST(LeadershipTransfer, IsAbandonedAfterAnElectionTimeoutWhenTheTargetIsUnreachable) {
  Cluster cluster = elected_cluster({1, 2, 3});
  Raft& leader = cluster.raft(1);
  const Term term = leader.term();
  cluster.isolate(3);
  ASSERT_TRUE(leader.transfer_leadership(3).ok());

  // While it transfers, the leader takes no new work (the target would have
  // to catch up with it forever).
  Status refused = leader.propose(to_bytes("x"));
  EXPECT_EQ(refused.code(), StatusCode::unavailable);
  EXPECT_EQ(refused.reason(), "TRANSFERRING_LEADERSHIP");
  EXPECT_EQ(leader.propose_conf_change(ConfChange{.changes = {{ConfChangeType::add_learner, 4}}}).reason(),
            "TRANSFERRING_LEADERSHIP");

  // An election timeout later it gives up and serves again, in the same term.
  for (int i = 0; i < leader.config().election_ticks; ++i) {
    cluster.tick(1);
    deliver(cluster);
  }
  EXPECT_EQ(leader.transfer_target(), kNoNode);
  EXPECT_EQ(leader.role(), Role::leader);
  EXPECT_EQ(leader.term(), term);
  ASSERT_TRUE(leader.propose(to_bytes("x")).ok());
  deliver(cluster);
  EXPECT_EQ(leader.log().committed(), leader.log().last_index());
}

TEST(LeadershipTransfer, RefusesItselfALearnerANonMemberAndNonLeaders) {
  Cluster cluster = elected_cluster({1, 2, 3});
  Raft& leader = cluster.raft(1);
  cluster.add_node(4);
  ASSERT_TRUE(leader.propose_conf_change(ConfChange{.changes = {{ConfChangeType::add_learner, 4}}}).ok());
  settle(cluster, 1);

  EXPECT_EQ(leader.transfer_leadership(1).code(), StatusCode::invalid_argument);
  EXPECT_EQ(leader.transfer_leadership(4).code(), StatusCode::invalid_argument);
  EXPECT_EQ(leader.transfer_leadership(9).code(), StatusCode::invalid_argument);
  EXPECT_EQ(cluster.raft(2).transfer_leadership(3).reason(), "NOT_LEADER");
  EXPECT_EQ(leader.transfer_target(), kNoNode);
  EXPECT_TRUE(leader.propose(to_bytes("still serving")).ok());

  // A learner told to campaign (by a confused or hostile leader) does not.
  Message timeout_now{.type = MessageType::timeout_now, .from = 1, .to = 4, .term = leader.term()};
  ASSERT_TRUE(cluster.raft(4).step(timeout_now).ok());
  EXPECT_EQ(cluster.raft(4).role(), Role::follower);
  EXPECT_EQ(cluster.raft(4).term(), leader.term());
}

}  // namespace
}  // namespace faultline::raft
