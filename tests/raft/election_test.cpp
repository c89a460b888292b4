// Leader election as stories (paper §5.2, §5.4.1; PreVote thesis §9.6;
// CheckQuorum thesis §6.2).
#include <gtest/gtest.h>

#include "raft/cluster.hpp"

namespace faultline::raft {
namespace {

using testing::Cluster;

TEST(Election, SingleNodeElectsItselfAndCommitsOnlyAfterPersist) {
  MemoryStorage storage;
  Raft raft(testing::make_config(1, {1}), storage, Random(7));
  while (raft.role() != Role::leader) raft.tick();
  EXPECT_EQ(raft.term(), 1u);

  // The no-op is appended but not durable: not committed, nothing to apply.
  Ready ready = raft.ready();
  ASSERT_EQ(ready.entries.size(), 1u);
  EXPECT_EQ(ready.entries[0].type, EntryType::noop);
  EXPECT_TRUE(ready.committed_entries.empty());
  EXPECT_EQ(raft.log().committed(), 0u);
  ASSERT_TRUE(ready.hard_state.has_value());
  EXPECT_EQ(ready.hard_state->commit, 0u);

  // The driver persists, then advances: only now does the leader count itself.
  storage.append(ready.entries);
  storage.set_hard_state(*ready.hard_state);
  raft.advance(ready);
  EXPECT_EQ(raft.log().committed(), 1u);

  // A proposal: again committed only after its Ready is persisted.
  ASSERT_TRUE(raft.propose(to_bytes("x=1")).ok());
  ready = raft.ready();
  ASSERT_EQ(ready.entries.size(), 1u);
  ASSERT_EQ(ready.committed_entries.size(), 1u);  // the no-op, persisted earlier
  EXPECT_EQ(ready.committed_entries[0].index, 1u);
  EXPECT_EQ(raft.log().committed(), 1u);
  storage.append(ready.entries);
  raft.advance(ready);
  EXPECT_EQ(raft.log().committed(), 2u);
  ready = raft.ready();
  ASSERT_EQ(ready.committed_entries.size(), 1u);
  EXPECT_EQ(as_string_view(ready.committed_entries[0].data), "x=1");
  raft.advance(ready);
}

TEST(Election, ThreeNodesElectOneLeaderThatCommitsItsNoop) {
  Cluster cluster({1, 2, 3});
  EXPECT_EQ(cluster.elect(1), Role::leader);
  EXPECT_EQ(cluster.raft(1).term(), 1u);
  for (NodeId id : {2, 3}) {
    EXPECT_EQ(cluster.raft(id).role(), Role::follower);
    EXPECT_EQ(cluster.raft(id).leader(), 1u);
    EXPECT_EQ(cluster.raft(id).vote(), 1u);
  }
  EXPECT_EQ(cluster.raft(1).log().committed(), 1u);
  // The next heartbeat carries the commit index to every follower.
  cluster.tick(1);
  cluster.deliver_all();
  for (NodeId id : {1, 2, 3}) {
    EXPECT_EQ(cluster.raft(id).log().committed(), 1u) << id;
    EXPECT_EQ(cluster.applied(id).size(), 1u) << id;
  }
  EXPECT_EQ(cluster.violation(), "");
}

TEST(Election, ANodeWithAStaleLogCannotWin) {
  // Nodes 1 and 2 hold an entry of term 2 that node 3 lacks (§5.4.1).
  Cluster cluster({1, 2, 3}, testing::plain_raft);
  cluster.preload(1, {1, 2}, 2);
  cluster.preload(2, {1, 2}, 2);
  cluster.preload(3, {1}, 2);
  cluster.tick_until_campaign(3);
  EXPECT_EQ(cluster.raft(3).role(), Role::candidate);
  cluster.deliver_all();
  EXPECT_NE(cluster.raft(3).role(), Role::leader);
  EXPECT_EQ(cluster.raft(1).vote(), kNoNode);
  EXPECT_EQ(cluster.raft(2).vote(), kNoNode);
  // A node holding every committed entry can.
  EXPECT_EQ(cluster.elect(1), Role::leader);
}

TEST(Election, AStaleCandidateLearnsTheTermFromItsVoteRejectionAndWinsNext) {
  // Plain Raft, node 3 down. Node 2 cannot win (its log lacks the entry of
  // term 2) but has run its term up to 9; node 1 holds every entry at term 5.
  Cluster cluster({1, 2, 3}, testing::plain_raft);
  cluster.preload(1, {1, 2}, 5);
  cluster.preload(2, {1}, 9);
  cluster.crash(3);

  // Node 1 campaigns in term 6. Node 2 answers "no" with its term 9 (paper
  // figure 2) instead of dropping the stale request.
  cluster.tick_until_campaign(1);
  ASSERT_EQ(cluster.raft(1).term(), 6u);
  cluster.deliver_all();
  EXPECT_EQ(cluster.raft(1).term(), 9u) << "the candidate adopts the term it must exceed";
  EXPECT_EQ(cluster.raft(1).role(), Role::follower);

  // Only node 1 ticks: its next campaign (term 10) wins node 2's vote, as its
  // log is more up to date. Had node 2 stayed silent, node 1 would retry in
  // terms 7, 8, 9 and never be heard.
  ASSERT_TRUE(cluster.elect_with_retries(1, 2));
  EXPECT_EQ(cluster.raft(1).term(), 10u);
  EXPECT_EQ(cluster.raft(2).vote(), 1u);
  EXPECT_EQ(cluster.violation(), "");
}

TEST(Election, PreVoteKeepsAPartitionedNodeFromDisruptingTheLeader) {
  Cluster cluster({1, 2, 3});
  ASSERT_EQ(cluster.elect(1), Role::leader);
  const Term term = cluster.raft(1).term();

  // Node 3 is cut off and times out again and again. Its pre-votes fail, so
  // its term never moves (without PreVote it would grow by one per timeout).
  cluster.isolate(3);
  for (int i = 0; i < 100; ++i) {
    cluster.tick(3);
    cluster.tick(1);
    cluster.tick(2);
    cluster.deliver_all();
  }
  EXPECT_EQ(cluster.raft(3).term(), term);

  // It rejoins: the leader keeps leading in the same term and catches it up.
  cluster.heal();
  cluster.tick(1);
  cluster.deliver_all();
  EXPECT_EQ(cluster.raft(1).role(), Role::leader);
  EXPECT_EQ(cluster.raft(1).term(), term);
  EXPECT_EQ(cluster.raft(3).leader(), 1u);
  EXPECT_EQ(cluster.raft(3).role(), Role::follower);
}

TEST(Election, WithoutPreVoteARejoiningNodeDisruptsTheLeader) {
  // The contrast to the story above: plain Raft's rejoining node forces an
  // election with its inflated term.
  Cluster cluster({1, 2, 3}, testing::plain_raft);
  ASSERT_EQ(cluster.elect(1), Role::leader);
  const Term term = cluster.raft(1).term();
  cluster.isolate(3);
  for (int i = 0; i < 60; ++i) cluster.tick(3);
  EXPECT_GT(cluster.raft(3).term(), term + 1);
  cluster.drop_all();
  cluster.heal();
  cluster.tick(3, 40);
  cluster.deliver_all();
  EXPECT_GT(cluster.raft(1).term(), term);
}

TEST(Election, AFollowerThatStillHearsItsLeaderRefusesPreVotes) {
  Cluster cluster({1, 2, 3});
  ASSERT_EQ(cluster.elect(1), Role::leader);
  const Term term = cluster.raft(1).term();
  // Node 3 cannot hear the leader, but node 2 can.
  cluster.cut(1, 3);
  cluster.tick_until_campaign(3);
  ASSERT_EQ(cluster.raft(3).role(), Role::pre_candidate);
  ASSERT_FALSE(cluster.network().empty());
  // Node 2 heard the leader within the election timeout: it ignores the
  // pre-vote. Node 3 keeps timing out, and keeps failing, while the leader
  // and node 2 carry on.
  cluster.deliver_all();
  for (int i = 0; i < 50; ++i) {
    for (NodeId id : {1, 2, 3}) cluster.tick(id);
    cluster.deliver_all();
  }
  // Node 2 ignored the pre-vote; node 3 never got a quorum.
  EXPECT_NE(cluster.raft(3).role(), Role::leader);
  EXPECT_NE(cluster.raft(3).role(), Role::candidate);
  EXPECT_EQ(cluster.raft(3).term(), term);
  EXPECT_EQ(cluster.raft(2).term(), term);
  EXPECT_EQ(cluster.raft(2).leader(), 1u);
  EXPECT_EQ(cluster.raft(1).role(), Role::leader);
}

TEST(Election, APreCandidateThatHearsItsLeaderStopsCampaigning) {
  Cluster cluster({1, 2, 3});
  ASSERT_EQ(cluster.elect(1), Role::leader);
  cluster.isolate(3);
  cluster.tick_until_campaign(3);
  ASSERT_EQ(cluster.raft(3).role(), Role::pre_candidate);
  cluster.drop_all();
  // The link comes back; the leader's heartbeat arrives in the same term.
  cluster.heal();
  cluster.tick(1);
  cluster.deliver_all();
  EXPECT_EQ(cluster.raft(3).role(), Role::follower);
  EXPECT_EQ(cluster.raft(3).leader(), 1u);
}

TEST(Election, CheckQuorumMakesAnIsolatedLeaderStepDown) {
  Cluster cluster({1, 2, 3});
  ASSERT_EQ(cluster.elect(1), Role::leader);
  cluster.isolate(1);
  // Within one election timeout it still leads; after two it cannot have
  // heard a quorum.
  cluster.tick(1, 2 * cluster.raft(1).config().election_ticks);
  EXPECT_EQ(cluster.raft(1).role(), Role::follower);
  EXPECT_EQ(cluster.raft(1).leader(), kNoNode);
}

TEST(Election, AStaleLeaderLearnsTheNewTermAndStepsDown) {
  Cluster cluster({1, 2, 3});
  ASSERT_EQ(cluster.elect(1), Role::leader);
  // Node 1 is cut off; nodes 2 and 3 elect node 2 in a later term.
  cluster.isolate(1);
  for (int i = 0; i < 30 && cluster.raft(2).role() != Role::leader; ++i) {
    cluster.tick(2);
    cluster.tick(3);
    cluster.deliver_all();
  }
  ASSERT_EQ(cluster.raft(2).role(), Role::leader);
  ASSERT_GT(cluster.raft(2).term(), cluster.raft(1).term());
  EXPECT_EQ(cluster.raft(1).role(), Role::leader);  // it has not noticed yet
  // The old leader's next heartbeat is answered with the new term.
  cluster.heal();
  cluster.tick(1);
  cluster.deliver_all();
  EXPECT_EQ(cluster.raft(1).role(), Role::follower);
  EXPECT_EQ(cluster.raft(1).term(), cluster.raft(2).term());
  EXPECT_EQ(cluster.violation(), "");
}

TEST(Election, ALeaderThatHearsAQuorumKeepsLeading) {
  Cluster cluster({1, 2, 3});
  ASSERT_EQ(cluster.elect(1), Role::leader);
  cluster.isolate(3);
  for (int i = 0; i < 50; ++i) {
    cluster.tick(1);
    cluster.deliver_all();
  }
  EXPECT_EQ(cluster.raft(1).role(), Role::leader);
}

}  // namespace
}  // namespace faultline::raft
