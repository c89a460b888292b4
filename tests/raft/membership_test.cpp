// Membership change as stories (thesis §4): learners that catch up before
// they vote, joint consensus, single-server changes, removing the leader,
// one change at a time, Ongaro's 2015 single-server change bug, restarts.
#include <gtest/gtest.h>

#include <algorithm>

#include "raft/cluster.hpp"

namespace faultline::raft {
namespace {

using testing::Cluster;

ConfChange change_of(std::vector<ConfChangeSingle> changes) {
  return ConfChange{.changes = std::move(changes)};
}

// Heartbeat rounds from the leader: carries commit indexes everywhere, so
// every node applies (and so switches configuration) up to the leader's commit.
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

Cluster elected_cluster(std::vector<NodeId> ids, Cluster::ConfigTweak tweak = {}) {
  Cluster cluster(std::move(ids), std::move(tweak));
  EXPECT_EQ(cluster.elect(1), Role::leader);
  settle(cluster, 1);
  return cluster;
}

// Ticks `candidates` until one of them leads; stops at the very moment it
// wins, before its first entries travel.
NodeId elect_among(Cluster& cluster, const std::vector<NodeId>& candidates) {
  const auto leading = [&] {
    return std::any_of(candidates.begin(), candidates.end(),
                       [&](NodeId id) { return cluster.raft(id).role() == Role::leader; });
  };
  for (int round = 0; round < 200 && !leading(); ++round) {
    for (NodeId id : candidates) cluster.tick(id);
    cluster.deliver_until(leading);
  }
  for (NodeId id : candidates) {
    if (cluster.raft(id).role() == Role::leader) return id;
  }
  return kNoNode;
}

bool sent_vote_request(const Cluster& cluster, NodeId from) {
  return std::any_of(cluster.history().begin(), cluster.history().end(), [&](const Message& m) {
    return m.from == from && (m.type == MessageType::vote || m.type == MessageType::pre_vote);
  });
}

TEST(Membership, GrowFromThreeToFiveThroughLearnersThatCatchUpBeforeTheyCount) {
  Cluster cluster = elected_cluster({1, 2, 3});
  Raft& leader = cluster.raft(1);
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(leader.propose(to_bytes("before")).ok());
  deliver(cluster);

  // Nodes 4 and 5 start with empty logs and join as learners (one change:
  // the voters do not change, so it is a simple change).
  cluster.add_node(4);
  cluster.add_node(5);
  ASSERT_TRUE(leader.propose_conf_change(change_of({{ConfChangeType::add_learner, 4},
                                                    {ConfChangeType::add_learner, 5}}))
                  .ok());
  settle(cluster, 1);
  for (NodeId id : {1, 2, 3, 4, 5}) {
    EXPECT_EQ(cluster.raft(id).conf_state(), (ConfState{.voters = {1, 2, 3}, .learners = {4, 5}}))
        << id;
  }
  // The learners caught up with the whole log...
  EXPECT_EQ(cluster.raft(4).log().last_index(), leader.log().last_index());
  EXPECT_EQ(cluster.raft(5).log().committed(), leader.log().committed());

  // ...but their acknowledgments do not count: with 2 and 3 cut off, an
  // entry that 1, 4 and 5 hold does not commit.
  cluster.isolate(2);
  cluster.isolate(3);
  ASSERT_TRUE(leader.propose(to_bytes("learners alone")).ok());
  deliver(cluster);
  const Index held_by_learners = leader.log().last_index();
  EXPECT_EQ(cluster.raft(4).log().last_index(), held_by_learners);
  EXPECT_EQ(cluster.raft(5).log().last_index(), held_by_learners);
  EXPECT_LT(leader.log().committed(), held_by_learners);
  cluster.heal();
  settle(cluster, 1);
  EXPECT_EQ(leader.log().committed(), held_by_learners);

  // Promote both at once: two new voters, so through a joint configuration,
  // which the leader leaves by itself.
  ASSERT_TRUE(leader.propose_conf_change(change_of({{ConfChangeType::promote_learner, 4},
                                                    {ConfChangeType::promote_learner, 5}}))
                  .ok());
  settle(cluster, 1);
  for (NodeId id : {1, 2, 3, 4, 5}) {
    EXPECT_EQ(cluster.raft(id).conf_state(), (ConfState{.voters = {1, 2, 3, 4, 5}})) << id;
  }
  const bool left_joint_by_itself =
      std::any_of(cluster.storage(1).all_entries().begin(), cluster.storage(1).all_entries().end(),
                  [](const Entry& e) {
                    return e.type == EntryType::config_change &&
                           decode_conf_change(e.data).ok() && decode_conf_change(e.data)->leaves_joint();
                  });
  EXPECT_TRUE(left_joint_by_itself);

  // Now they count: 1, 4 and 5 are a majority of five.
  cluster.isolate(2);
  cluster.isolate(3);
  ASSERT_TRUE(leader.propose(to_bytes("new majority")).ok());
  deliver(cluster);
  EXPECT_EQ(leader.log().committed(), leader.log().last_index());
  EXPECT_EQ(cluster.violation(), "");
}

TEST(Membership, ShrinkFromFiveToThree) {
  Cluster cluster = elected_cluster({1, 2, 3, 4, 5});
  Raft& leader = cluster.raft(1);
  ASSERT_TRUE(leader.propose_conf_change(change_of({{ConfChangeType::remove_voter, 4},
                                                    {ConfChangeType::remove_voter, 5}}))
                  .ok());
  settle(cluster, 1);
  for (NodeId id : {1, 2, 3}) {
    EXPECT_EQ(cluster.raft(id).conf_state(), (ConfState{.voters = {1, 2, 3}})) << id;
  }
  EXPECT_EQ(leader.tracker().members(), (std::vector<NodeId>{1, 2, 3}));

  // Two of three suffice now, with 3, 4 and 5 all out of reach.
  for (NodeId id : {3, 4, 5}) cluster.isolate(id);
  ASSERT_TRUE(leader.propose(to_bytes("two of three")).ok());
  deliver(cluster);
  EXPECT_EQ(leader.log().committed(), leader.log().last_index());

  // The removed nodes never disturb the three that remain.
  cluster.heal();
  const Term term = leader.term();
  cluster.tick_all(100);
  EXPECT_EQ(cluster.leader(), 1u);
  EXPECT_EQ(leader.term(), term);
  EXPECT_EQ(cluster.violation(), "");
}

// Old voters {1, 2, 3}, new voters {1, 4, 5}: the leader enters the joint
// configuration, then `cut_away` loses its link to the leader, and the entry
// that leaves the joint configuration must wait for them. CheckQuorum is off
// so the leader keeps leading through the partition and the story shows
// commitment alone.
void joint_change_blocked_until_healed(const std::vector<NodeId>& cut_away) {
  Cluster cluster = elected_cluster({1, 2, 3}, [](Config& c) { c.check_quorum = false; });
  Raft& leader = cluster.raft(1);
  cluster.add_node(4);
  cluster.add_node(5);
  ASSERT_TRUE(leader.propose_conf_change(change_of({{ConfChangeType::add_voter, 4},
                                                    {ConfChangeType::add_voter, 5},
                                                    {ConfChangeType::remove_voter, 2},
                                                    {ConfChangeType::remove_voter, 3}}))
                  .ok());
  // The change commits under the old configuration and takes effect when the
  // leader applies it: joint. At that moment the leader appends the entry
  // that leaves the joint configuration.
  cluster.persist_all();
  ASSERT_TRUE(cluster.deliver_until([&] { return leader.conf_state().joint(); }));
  EXPECT_EQ(leader.conf_state(), (ConfState{.voters = {1, 4, 5}, .voters_outgoing = {1, 2, 3}}));
  const Index leave_index = leader.log().last_index();

  // One half's majority holds the entry, the other's does not: no commit.
  for (NodeId id : cut_away) cluster.cut(1, id);
  settle(cluster, 1);
  for (NodeId id : {2, 3, 4, 5}) {
    const bool reachable = std::find(cut_away.begin(), cut_away.end(), id) == cut_away.end();
    if (reachable) {
      EXPECT_EQ(cluster.raft(id).log().last_index(), leave_index) << id;
    }
  }
  EXPECT_LT(leader.log().committed(), leave_index);
  EXPECT_TRUE(leader.conf_state().joint());

  // Both majorities: it commits, and the new configuration takes effect.
  cluster.heal();
  settle(cluster, 1);
  EXPECT_GE(leader.log().committed(), leave_index);
  for (NodeId id : {1, 4, 5}) {
    EXPECT_EQ(cluster.raft(id).conf_state(), (ConfState{.voters = {1, 4, 5}})) << id;
  }
  EXPECT_EQ(cluster.violation(), "");
}

TEST(Membership, AJointConfigurationWaitsForTheOldMajority) {
  // 1, 4 and 5 are the whole new configuration, yet without 2 or 3 the old
  // voters have no majority.
  joint_change_blocked_until_healed({2, 3});
}

TEST(Membership, AJointConfigurationWaitsForTheNewMajority) {
  // 1, 2 and 3 are the whole old configuration, yet without 4 or 5 the new
  // voters have no majority.
  joint_change_blocked_until_healed({4, 5});
}

TEST(Membership, TheLeaderRemovesItselfCommitsTheChangeStepsDownAndStaysQuiet) {
  Cluster cluster = elected_cluster({1, 2, 3});
  Raft& old_leader = cluster.raft(1);
  ASSERT_TRUE(old_leader.propose_conf_change(change_of({{ConfChangeType::remove_voter, 1}})).ok());
  const Index change_index = old_leader.log().last_index();
  // From now on it appends nothing: when the change commits, a quorum holds
  // its whole log, so one of them can win an election without it.
  const Status refused = old_leader.propose(to_bytes("late"));
  EXPECT_EQ(refused.code(), StatusCode::unavailable);
  EXPECT_EQ(refused.reason(), "LEADER_BEING_REMOVED");

  // It leads (and replicates) until the change is committed and applied...
  cluster.persist_all();
  ASSERT_TRUE(cluster.deliver_until([&] { return old_leader.role() != Role::leader; }));
  EXPECT_GE(old_leader.log().applied(), change_index);
  EXPECT_EQ(old_leader.conf_state(), (ConfState{.voters = {2, 3}}));
  // ...and the commit reached the others before it stepped down.
  deliver(cluster);
  for (NodeId id : {2, 3}) {
    EXPECT_GE(cluster.raft(id).log().committed(), change_index) << id;
    EXPECT_EQ(cluster.raft(id).conf_state(), (ConfState{.voters = {2, 3}})) << id;
  }

  // The two that remain elect a leader; node 1 never campaigns again.
  const Term removed_term = old_leader.term();
  const std::size_t history_before = cluster.history().size();
  cluster.tick_all(60);
  const NodeId new_leader = cluster.leader();
  ASSERT_TRUE(new_leader == 2 || new_leader == 3) << new_leader;
  EXPECT_EQ(old_leader.role(), Role::follower);
  EXPECT_EQ(old_leader.term(), removed_term);
  for (std::size_t i = history_before; i < cluster.history().size(); ++i) {
    EXPECT_NE(cluster.history()[i].from, 1u) << message_type_name(cluster.history()[i].type);
  }

  // Two voters commit without it.
  ASSERT_TRUE(cluster.raft(new_leader).propose(to_bytes("after")).ok());
  deliver(cluster);
  EXPECT_EQ(cluster.raft(new_leader).log().committed(), cluster.raft(new_leader).log().last_index());
  EXPECT_EQ(cluster.violation(), "");
}

TEST(Membership, AFollowerRemovedWhileCutOffCannotDisruptTheCluster) {
  Cluster cluster = elected_cluster({1, 2, 3});
  Raft& leader = cluster.raft(1);
  // Node 3 is cut off and removed: it never learns of it.
  cluster.isolate(3);
  ASSERT_TRUE(leader.propose_conf_change(change_of({{ConfChangeType::remove_voter, 3}})).ok());
  settle(cluster, 1);
  EXPECT_EQ(leader.conf_state(), (ConfState{.voters = {1, 2}}));
  EXPECT_EQ(cluster.raft(3).conf_state(), (ConfState{.voters = {1, 2, 3}}));

  // It comes back believing it is a voter, times out again and again and
  // pre-campaigns; the others hear their leader and ignore it, and its log
  // lacks the committed removal anyway.
  cluster.heal();
  const Term term = leader.term();
  cluster.tick_all(100);
  EXPECT_TRUE(sent_vote_request(cluster, 3));
  EXPECT_EQ(cluster.leader(), 1u);
  EXPECT_EQ(leader.term(), term);
  EXPECT_EQ(cluster.raft(2).term(), term);
  ASSERT_TRUE(leader.propose(to_bytes("undisturbed")).ok());
  deliver(cluster);
  EXPECT_EQ(leader.log().committed(), leader.log().last_index());
  EXPECT_EQ(cluster.violation(), "");
}

TEST(Membership, ANewLeaderRefusesAConfChangeUntilAnEntryOfItsTermCommits) {
  // Ongaro's 2015 single-server change bug: a new leader that appends a
  // change before committing an entry of its term can combine with an
  // uncommitted change of an earlier leader into two non-overlapping
  // majorities. The fix: no change until the new term's first entry commits.
  Cluster cluster = elected_cluster({1, 2, 3});
  cluster.add_node(4);
  // Leader 1 appends a change in term 1 and is cut off before sending it.
  cluster.isolate(1);
  ASSERT_TRUE(cluster.raft(1).propose_conf_change(change_of({{ConfChangeType::add_learner, 4}})).ok());
  deliver(cluster);

  // A new leader of term 2 wins; its no-op is appended but not committed.
  const NodeId new_leader = elect_among(cluster, {2, 3});
  ASSERT_NE(new_leader, kNoNode);
  Raft& raft = cluster.raft(new_leader);
  ASSERT_LT(raft.log().committed(), raft.log().last_index());
  const Status early = raft.propose_conf_change(change_of({{ConfChangeType::add_learner, 4}}));
  EXPECT_EQ(early.code(), StatusCode::unavailable);
  EXPECT_EQ(early.reason(), "OWN_TERM_NOT_COMMITTED");

  // Once the no-op commits (and is applied), the change is accepted.
  deliver(cluster);
  settle(cluster, new_leader);
  ASSERT_TRUE(raft.propose_conf_change(change_of({{ConfChangeType::add_learner, 4}})).ok());
  settle(cluster, new_leader);
  EXPECT_EQ(raft.conf_state(), (ConfState{.voters = {1, 2, 3}, .learners = {4}}));

  // The old leader's uncommitted change is overwritten when it rejoins; it
  // adopts the configuration the cluster committed.
  cluster.heal();
  settle(cluster, new_leader);
  EXPECT_EQ(cluster.raft(1).conf_state(), (ConfState{.voters = {1, 2, 3}, .learners = {4}}));
  EXPECT_EQ(cluster.violation(), "");
}

TEST(Membership, OnlyOneConfChangeAtATimeAndOnlyValidOnes) {
  Cluster cluster = elected_cluster({1, 2, 3});
  Raft& leader = cluster.raft(1);
  cluster.add_node(4);
  cluster.add_node(5);
  ASSERT_TRUE(leader.propose_conf_change(change_of({{ConfChangeType::add_learner, 4}})).ok());
  const Status second = leader.propose_conf_change(change_of({{ConfChangeType::add_learner, 5}}));
  EXPECT_EQ(second.code(), StatusCode::unavailable);
  EXPECT_EQ(second.reason(), "CONF_CHANGE_PENDING");
  settle(cluster, 1);
  ASSERT_TRUE(leader.propose_conf_change(change_of({{ConfChangeType::add_learner, 5}})).ok());
  settle(cluster, 1);
  EXPECT_EQ(leader.conf_state(), (ConfState{.voters = {1, 2, 3}, .learners = {4, 5}}));

  // Changes that do not apply to the configuration are refused outright.
  EXPECT_EQ(leader.propose_conf_change(change_of({{ConfChangeType::add_voter, 2}})).code(),
            StatusCode::invalid_argument);
  EXPECT_EQ(leader.propose_conf_change(change_of({{ConfChangeType::remove_voter, 9}})).code(),
            StatusCode::invalid_argument);
  EXPECT_EQ(leader.propose_conf_change(change_of({{ConfChangeType::remove_voter, 1},
                                                  {ConfChangeType::remove_voter, 2},
                                                  {ConfChangeType::remove_voter, 3}}))
                .code(),
            StatusCode::invalid_argument);
  EXPECT_EQ(leader.propose_conf_change(ConfChange{}).code(), StatusCode::failed_precondition);
  // Off the leader.
  EXPECT_EQ(cluster.raft(2).propose_conf_change(change_of({{ConfChangeType::remove_learner, 5}})).reason(),
            "NOT_LEADER");
  // Nothing refused reached the log.
  const Index last = leader.log().last_index();
  settle(cluster, 1);
  EXPECT_EQ(leader.log().last_index(), last);
}

TEST(Membership, ALearnerNeverCampaignsAndIsNeverAskedToVote) {
  Cluster cluster = elected_cluster({1, 2, 3});
  cluster.add_node(4);
  ASSERT_TRUE(cluster.raft(1).propose_conf_change(change_of({{ConfChangeType::add_learner, 4}})).ok());
  settle(cluster, 1);
  ASSERT_TRUE(cluster.raft(4).tracker().is_learner(4));

  // Cut off for many election timeouts, the learner just waits.
  cluster.isolate(4);
  const Term term = cluster.raft(4).term();
  cluster.tick(4, 200);
  EXPECT_EQ(cluster.raft(4).role(), Role::follower);
  EXPECT_EQ(cluster.raft(4).term(), term);
  EXPECT_FALSE(sent_vote_request(cluster, 4));
  cluster.heal();

  // The leader fails; the voters elect another without asking the learner.
  cluster.crash(1);
  const NodeId new_leader = elect_among(cluster, {2, 3});
  ASSERT_NE(new_leader, kNoNode);
  deliver(cluster);
  const bool asked_learner = std::any_of(cluster.history().begin(), cluster.history().end(), [](const Message& m) {
    return m.to == 4 && (m.type == MessageType::vote || m.type == MessageType::pre_vote);
  });
  EXPECT_FALSE(asked_learner);
  EXPECT_EQ(cluster.raft(4).vote(), kNoNode);
  // It follows the new leader and keeps learning.
  settle(cluster, new_leader);
  EXPECT_EQ(cluster.raft(4).leader(), new_leader);
  EXPECT_EQ(cluster.raft(4).log().committed(), cluster.raft(new_leader).log().committed());
}

TEST(Membership, ARestartedNodeRebuildsItsConfigurationFromTheEntriesItApplied) {
  Cluster cluster = elected_cluster({1, 2, 3});
  cluster.add_node(4);
  ASSERT_TRUE(cluster.raft(1).propose_conf_change(change_of({{ConfChangeType::add_learner, 4}})).ok());
  settle(cluster, 1);
  ASSERT_TRUE(cluster.raft(1).propose_conf_change(change_of({{ConfChangeType::promote_learner, 4}})).ok());
  settle(cluster, 1);
  const ConfState four{.voters = {1, 2, 3, 4}};
  ASSERT_EQ(cluster.raft(2).conf_state(), four);

  // Restarted with its state machine at `applied`: Config::voters (the
  // bootstrap) plus the changes up to there, before any Ready.
  const Index applied = cluster.raft(2).log().applied();
  cluster.crash(2);
  cluster.restart(2, applied);
  EXPECT_EQ(cluster.raft(2).conf_state(), four);

  // Restarted with nothing applied: it starts from the bootstrap and switches
  // again as it re-applies the committed entries.
  cluster.crash(3);
  cluster.restart(3, 0);
  EXPECT_EQ(cluster.raft(3).conf_state(), (ConfState{.voters = {1, 2, 3}}));
  cluster.persist(3);
  EXPECT_EQ(cluster.raft(3).conf_state(), four);
}

TEST(Membership, AnAppendCarryingAMalformedConfChangeIsRefusedAndChangesNothing) {
  MemoryStorage storage;
  Raft raft(testing::make_config(2, {1, 2, 3}), storage, Random(1));
  Message append{.type = MessageType::append, .from = 1, .to = 2, .term = 1, .log_term = 0,
                 .index = 0, .commit = 1};
  Bytes garbage;
  for (int b : {1, 0, 1, 0, 0x80}) garbage.push_back(static_cast<std::byte>(b));
  append.entries = {Entry{1, 1, EntryType::config_change, garbage}};
  Status status = raft.step(append);
  EXPECT_EQ(status.code(), StatusCode::invalid_argument);
  EXPECT_NE(status.message().find("malformed config change"), std::string_view::npos);
  // An entry type this version does not know is refused too.
  append.entries = {Entry{1, 1, static_cast<EntryType>(7), {}}};
  EXPECT_EQ(raft.step(append).code(), StatusCode::invalid_argument);
  EXPECT_EQ(raft.log().last_index(), 0u);
  EXPECT_EQ(raft.term(), 0u);
  EXPECT_FALSE(raft.has_ready());

  // The same append with a well-formed change is accepted.
  append.entries = {Entry{1, 1, EntryType::config_change,
                          encode_conf_change(change_of({{ConfChangeType::add_learner, 4}}))}};
  ASSERT_TRUE(raft.step(append).ok());
  EXPECT_EQ(raft.log().last_index(), 1u);
}

}  // namespace
}  // namespace faultline::raft
