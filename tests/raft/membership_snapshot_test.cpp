// Membership change meets log compaction, as stories: a snapshot carries the
// configuration as of its index (joint, learners and all) to whoever needs
// it, and a restart rebuilds the configuration from the stored snapshot plus
// the changes applied after it. Every path installs the configuration the
// same way (Raft::restore_conf_state).
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "raft/cluster.hpp"

namespace faultline::raft {
namespace {

using testing::Cluster;

ConfChange change_of(std::vector<ConfChangeSingle> changes) {
  return ConfChange{.changes = std::move(changes)};
}

std::size_t snapshots_sent(const Cluster& cluster, NodeId to) {
  return static_cast<std::size_t>(
      std::count_if(cluster.history().begin(), cluster.history().end(), [&](const Message& m) {
        return m.type == MessageType::install_snapshot && m.to == to;
      }));
}

bool loaded_a_snapshot(Cluster& cluster, NodeId id) {
  const std::vector<std::string>& log = cluster.apply_log(id);
  return std::any_of(log.begin(), log.end(),
                     [](const std::string& line) { return line.rfind("snapshot", 0) == 0; });
}

// Hands out what the cores produced, then runs heartbeat rounds from the
// leader so every reachable node applies up to its commit.
void settle(Cluster& cluster, NodeId leader, int rounds = 5) {
  cluster.persist_all();
  cluster.deliver_all();
  for (int i = 0; i < rounds; ++i) {
    cluster.tick(leader);
    cluster.persist_all();
    cluster.deliver_all();
  }
}

Cluster elected_cluster(std::vector<NodeId> ids, Cluster::ConfigTweak tweak = {}) {
  Cluster cluster(std::move(ids), std::move(tweak));
  EXPECT_EQ(cluster.elect(1), Role::leader);
  settle(cluster, 1);
  return cluster;
}

void propose_values(Cluster& cluster, NodeId leader, int count) {
  for (int i = 0; i < count; ++i) ASSERT_TRUE(cluster.raft(leader).propose(to_bytes("v")).ok());
  settle(cluster, leader);
}

void compact_at_applied(Cluster& cluster, NodeId id) {
  ASSERT_TRUE(cluster.compact(id, cluster.applied_index(id)).ok());
  ASSERT_GT(cluster.storage(id).first_index(), 1u);
}

TEST(MembershipWithSnapshots, ALearnerThatWasCutOffIsCaughtUpBySnapshotAndStaysALearner) {
  Cluster cluster = elected_cluster({1, 2, 3});
  // Node 4 joins as a learner while cut off, so it hears nothing of it yet.
  cluster.add_node(4);
  cluster.isolate(4);
  ASSERT_TRUE(cluster.raft(1).propose_conf_change(change_of({{ConfChangeType::add_learner, 4}})).ok());
  settle(cluster, 1);
  propose_values(cluster, 1, 3);
  // The leader compacts past the change: the snapshot holds the learner.
  compact_at_applied(cluster, 1);
  EXPECT_EQ(cluster.storage(1).snapshot()->metadata.conf_state,
            (ConfState{.voters = {1, 2, 3}, .learners = {4}}));

  cluster.heal();
  settle(cluster, 1);
  EXPECT_GE(snapshots_sent(cluster, 4), 1u);
  EXPECT_TRUE(loaded_a_snapshot(cluster, 4));
  Raft& learner = cluster.raft(4);
  EXPECT_EQ(learner.conf_state(), (ConfState{.voters = {1, 2, 3}, .learners = {4}}));
  EXPECT_EQ(learner.log().committed(), cluster.raft(1).log().committed());
  EXPECT_EQ(cluster.raft(1).tracker().progress(4).state(), ProgressState::replicate);

  // A learner from a snapshot never campaigns.
  for (int i = 0; i < 60; ++i) cluster.tick(4);
  EXPECT_EQ(learner.role(), Role::follower);
  EXPECT_EQ(cluster.violation(), "");
}

TEST(MembershipWithSnapshots, ANewVoterCaughtUpBySnapshotCountsAndCanTakeOverLeadership) {
  Cluster cluster = elected_cluster({1, 2, 3});
  cluster.add_node(4);
  cluster.isolate(4);
  // Three of the four new voters are up, so the change and what follows commit.
  ASSERT_TRUE(cluster.raft(1).propose_conf_change(change_of({{ConfChangeType::add_voter, 4}})).ok());
  settle(cluster, 1);
  ASSERT_EQ(cluster.raft(1).conf_state(), (ConfState{.voters = {1, 2, 3, 4}}));
  propose_values(cluster, 1, 3);
  compact_at_applied(cluster, 1);

  cluster.heal();
  settle(cluster, 1);
  EXPECT_TRUE(loaded_a_snapshot(cluster, 4));
  EXPECT_EQ(cluster.raft(4).conf_state(), (ConfState{.voters = {1, 2, 3, 4}}));
  EXPECT_EQ(cluster.raft(4).log().last_index(), cluster.raft(1).log().last_index());

  // Its acknowledgments count now: with 2 cut off, 1, 3 and 4 still commit.
  cluster.isolate(2);
  const Index before = cluster.raft(1).log().committed();
  propose_values(cluster, 1, 1);
  EXPECT_EQ(cluster.raft(1).log().committed(), before + 1);
  cluster.heal();

  // And it can lead: the snapshot made it a voter in its own eyes.
  ASSERT_TRUE(cluster.raft(1).transfer_leadership(4).ok());
  settle(cluster, 1);
  for (int i = 0; i < 5 && cluster.raft(4).role() != Role::leader; ++i) cluster.tick_all();
  EXPECT_EQ(cluster.raft(4).role(), Role::leader);
  EXPECT_EQ(cluster.violation(), "");
}

TEST(MembershipWithSnapshots, ASnapshotTakenWhileJointRestoresTheJointConfiguration) {
  Cluster cluster = elected_cluster({1, 2, 3});
  cluster.add_node(4);
  cluster.add_node(5);
  // Follower 3 misses the whole change.
  cluster.isolate(3);
  ASSERT_TRUE(cluster.raft(1)
                  .propose_conf_change(change_of({{ConfChangeType::add_voter, 4},
                                                  {ConfChangeType::add_voter, 5}}))
                  .ok());
  const Index joint_index = cluster.raft(1).log().last_index();
  // Apply the joint entry on the leader, then stop: the automatic leave is
  // appended but not yet committed.
  cluster.persist_all();
  ASSERT_TRUE(cluster.deliver_until([&] { return cluster.raft(1).log().applied() >= joint_index; }));
  cluster.persist(1);
  const ConfState joint{.voters = {1, 2, 3, 4, 5}, .voters_outgoing = {1, 2, 3}};
  ASSERT_EQ(cluster.raft(1).conf_state(), joint);
  settle(cluster, 1);
  ASSERT_EQ(cluster.raft(1).conf_state(), (ConfState{.voters = {1, 2, 3, 4, 5}}));

  // The leader snapshots the joint entry's index: the configuration as of
  // there is joint, though the leader has left it since.
  ASSERT_TRUE(cluster.compact(1, joint_index).ok());
  EXPECT_EQ(cluster.storage(1).snapshot()->metadata.conf_state, joint);

  // Follower 3 installs it and is joint at once, before applying anything.
  cluster.heal();
  cluster.tick(1);
  ASSERT_TRUE(cluster.deliver_until([&] { return loaded_a_snapshot(cluster, 3); }));
  EXPECT_EQ(cluster.raft(3).conf_state(), joint);
  // The leave entry after the snapshot then takes it out of joint.
  settle(cluster, 1);
  EXPECT_EQ(cluster.raft(3).conf_state(), (ConfState{.voters = {1, 2, 3, 4, 5}}));

  // A node restarting from that snapshot is joint too, until it re-applies
  // the leave entry stored after it.
  ASSERT_TRUE(cluster.compact(2, joint_index).ok());
  cluster.crash(2);
  cluster.restart(2);
  EXPECT_EQ(cluster.raft(2).conf_state(), joint);
  cluster.persist(2);
  EXPECT_EQ(cluster.raft(2).conf_state(), (ConfState{.voters = {1, 2, 3, 4, 5}}));
  EXPECT_EQ(cluster.violation(), "");
}

TEST(MembershipWithSnapshots, ARestartFromACompactedLogReplaysTheChangesAfterTheSnapshot) {
  Cluster cluster = elected_cluster({1, 2, 3});
  cluster.add_node(4);
  cluster.add_node(5);
  // Learner 4 joins before the snapshot, learner 5 after it.
  ASSERT_TRUE(cluster.raft(1).propose_conf_change(change_of({{ConfChangeType::add_learner, 4}})).ok());
  settle(cluster, 1);
  propose_values(cluster, 1, 2);
  compact_at_applied(cluster, 2);
  const Index snapshot_index = cluster.storage(2).snapshot()->metadata.index;
  ASSERT_TRUE(cluster.raft(1).propose_conf_change(change_of({{ConfChangeType::add_learner, 5}})).ok());
  settle(cluster, 1);
  propose_values(cluster, 1, 1);
  const ConfState both{.voters = {1, 2, 3}, .learners = {4, 5}};
  ASSERT_EQ(cluster.raft(2).conf_state(), both);
  ASSERT_GT(cluster.raft(2).log().applied(), snapshot_index);

  // The state machine kept everything it applied: the snapshot's learner 4
  // plus learner 5 from the log after it, before any Ready. (Replaying from
  // Config::voters over what is left of the log would lose learner 4.)
  const Index applied = cluster.raft(2).log().applied();
  cluster.crash(2);
  cluster.restart(2, applied);
  EXPECT_EQ(cluster.raft(2).conf_state(), both);

  // The state machine lost everything: it reloads the snapshot (learner 4)
  // and re-applies the change after it.
  cluster.crash(2);
  cluster.restart(2, 0);
  EXPECT_EQ(cluster.raft(2).conf_state(), (ConfState{.voters = {1, 2, 3}, .learners = {4}}));
  cluster.persist(2);
  settle(cluster, 1);
  EXPECT_EQ(cluster.raft(2).conf_state(), both);
  EXPECT_EQ(cluster.violation(), "");
}

TEST(MembershipWithSnapshots, AFollowerRemovedInASnapshotNoLongerCampaigns) {
  Cluster cluster = elected_cluster({1, 2, 3, 4});
  // Voter 4 is cut off while the others remove it and move on.
  cluster.isolate(4);
  ASSERT_TRUE(cluster.raft(1).propose_conf_change(change_of({{ConfChangeType::remove_voter, 4}})).ok());
  settle(cluster, 1);
  propose_values(cluster, 1, 2);
  compact_at_applied(cluster, 1);

  // The leader still reaches it with the snapshot (a runtime might keep the
  // link for a while); installing it tells node 4 it is out.
  cluster.heal();
  // The leader no longer tracks 4, so the snapshot goes by hand.
  Result<Snapshot> snapshot = cluster.storage(1).snapshot();
  ASSERT_TRUE(snapshot.ok());
  ASSERT_TRUE(cluster.raft(4)
                  .step(Message{.type = MessageType::install_snapshot,
                                .from = 1,
                                .to = 4,
                                .term = cluster.raft(1).term(),
                                .snapshot = *snapshot})
                  .ok());
  cluster.persist(4);
  EXPECT_EQ(cluster.raft(4).conf_state(), (ConfState{.voters = {1, 2, 3}}));
  for (int i = 0; i < 60; ++i) cluster.tick(4);
  EXPECT_EQ(cluster.raft(4).role(), Role::follower);
  EXPECT_FALSE(std::any_of(cluster.history().begin(), cluster.history().end(), [](const Message& m) {
    return m.from == 4 && (m.type == MessageType::vote || m.type == MessageType::pre_vote);
  }));
  EXPECT_EQ(cluster.violation(), "");
}

TEST(MembershipWithSnapshots, ALeaderThatSentTimeoutNowServesNoMoreLeaseReads) {
  Cluster cluster = elected_cluster({1, 2, 3}, [](Config& config) { config.lease_reads = true; });
  Raft& leader = cluster.raft(1);
  settle(cluster, 1);
  ASSERT_TRUE(leader.holds_read_lease());

  // The transfer's timeout_now is lost, so no new leader appears and the
  // transfer is abandoned after an election timeout. A delayed copy could
  // still start the target's lease-ignoring election, so the lease is gone
  // for the rest of the term.
  ASSERT_TRUE(leader.transfer_leadership(2).ok());
  cluster.persist(1);
  std::erase_if(cluster.network(), [](const Message& m) { return m.type == MessageType::timeout_now; });
  EXPECT_FALSE(leader.holds_read_lease());
  settle(cluster, 1, 2 * leader.config().election_ticks);
  ASSERT_EQ(leader.role(), Role::leader);
  ASSERT_EQ(leader.transfer_target(), kNoNode);
  EXPECT_FALSE(leader.holds_read_lease());

  // Reads still work, by ReadIndex rounds.
  ASSERT_TRUE(leader.read_index(to_bytes("r")).ok());
  settle(cluster, 1);
  ASSERT_FALSE(cluster.read_states(1).empty());
  EXPECT_EQ(cluster.read_states(1).back().context, to_bytes("r"));
}

TEST(MembershipWithSnapshots, APeerClaimingToLeadTheLeadersTermIsRefusedNotFatal) {
  // Senders outside the configuration are heard now (a lagging configuration
  // must hear a newly added leader), so a hostile peer, member or not, can
  // claim to lead the leader's own term: an error, and nothing changes.
  Cluster cluster = elected_cluster({1, 2, 3});
  Raft& leader = cluster.raft(1);
  const Term term = leader.term();
  const Index last = leader.log().last_index();
  for (NodeId from : {NodeId{2}, NodeId{9}}) {
    Message heartbeat{.type = MessageType::heartbeat, .from = from, .to = 1, .term = term};
    EXPECT_EQ(leader.step(heartbeat).code(), StatusCode::invalid_argument) << from;
    Message append{.type = MessageType::append, .from = from, .to = 1, .term = term,
                   .log_term = leader.log().last_term(), .index = last,
                   .entries = {Entry{term, last + 1, EntryType::normal, to_bytes("x")}}};
    EXPECT_EQ(leader.step(append).code(), StatusCode::invalid_argument) << from;
  }
  EXPECT_EQ(leader.role(), Role::leader);
  EXPECT_EQ(leader.term(), term);
  EXPECT_EQ(leader.log().last_index(), last);
}

}  // namespace
}  // namespace faultline::raft
