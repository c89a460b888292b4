// Snapshots, log compaction and InstallSnapshot (thesis §5), as stories.
#include <algorithm>
#include <map>
#include <set>
#include <string>

#include <gtest/gtest.h>

#include "raft/cluster.hpp"

namespace faultline::raft {
namespace {

using testing::Cluster;

// How many install_snapshot messages `from` sent to `to` so far.
std::size_t snapshots_sent(const Cluster& cluster, NodeId from, NodeId to) {
  return static_cast<std::size_t>(
      std::count_if(cluster.history().begin(), cluster.history().end(), [&](const Message& m) {
        return m.type == MessageType::install_snapshot && m.from == from && m.to == to;
      }));
}

// Leader 1 commits entries 2..7 with follower 2 while follower 3 is cut off,
// then compacts its log up to index 6.
void lag_follower_3_behind_a_compacted_leader(Cluster& cluster) {
  ASSERT_EQ(cluster.elect(1), Role::leader);
  cluster.isolate(3);
  for (const char* value : {"a", "b", "c", "d", "e", "f"}) {
    ASSERT_TRUE(cluster.raft(1).propose(to_bytes(value)).ok());
  }
  cluster.persist(1);
  cluster.deliver_all();
  ASSERT_EQ(cluster.raft(1).log().committed(), 7u);
  ASSERT_EQ(cluster.raft(3).log().last_index(), 1u);  // only the no-op
  ASSERT_TRUE(cluster.compact(1, 6).ok());
  ASSERT_EQ(cluster.storage(1).first_index(), 7u);
}

Message install_snapshot(NodeId from, NodeId to, Term term, Index index, Term snapshot_term) {
  return Message{.type = MessageType::install_snapshot,
                 .from = from,
                 .to = to,
                 .term = term,
                 .snapshot = Snapshot{.metadata = {.index = index,
                                                   .term = snapshot_term,
                                                   .conf_state = {.voters = {1, 2, 3}}},
                                      .data = to_bytes("state")}};
}

TEST(Snapshot, ALaggingFollowerIsCaughtUpBySnapshotAfterTheLeaderCompacted) {
  Cluster cluster({1, 2, 3});
  lag_follower_3_behind_a_compacted_leader(cluster);

  // Follower 3 comes back. The leader's next heartbeat finds it behind; the
  // entries it needs (1..6) are gone, so a snapshot goes out instead.
  cluster.heal();
  cluster.tick(1);
  cluster.deliver_all();
  EXPECT_EQ(snapshots_sent(cluster, 1, 3), 1u);

  // Follower 3 (which had applied the no-op) loaded the snapshot, then
  // applied only what came after it.
  const std::vector<std::string> expected{"entry 1", "snapshot 6", "entry 7"};
  EXPECT_EQ(cluster.apply_log(3), expected);
  EXPECT_EQ(cluster.storage(3).first_index(), 7u);
  EXPECT_EQ(cluster.raft(3).log().committed(), 7u);
  EXPECT_EQ(cluster.raft(3).log().last_index(), 7u);
  const Progress& progress = cluster.raft(1).tracker().progress(3);
  EXPECT_EQ(progress.state(), ProgressState::replicate);
  EXPECT_EQ(progress.match(), 7u);
  EXPECT_EQ(cluster.violation(), "");
}

TEST(Snapshot, TheAckResumesReplicationRightAfterTheSnapshot) {
  Cluster cluster({1, 2, 3});
  lag_follower_3_behind_a_compacted_leader(cluster);
  cluster.heal();
  cluster.tick(1);
  // Deliver until the snapshot is on its way, but not yet delivered.
  ASSERT_TRUE(cluster.deliver_until([&] { return snapshots_sent(cluster, 1, 3) == 1; }));
  const Progress& progress = cluster.raft(1).tracker().progress(3);
  ASSERT_EQ(progress.state(), ProgressState::snapshot);
  EXPECT_EQ(progress.pending_snapshot(), 6u);

  // While the snapshot travels, new entries do not go to follower 3.
  ASSERT_TRUE(cluster.raft(1).propose(to_bytes("during")).ok());
  cluster.persist(1);
  const auto appends_to_3 = [&] {
    return std::count_if(cluster.network().begin(), cluster.network().end(), [](const Message& m) {
      return m.type == MessageType::append && m.to == 3;
    });
  };
  EXPECT_EQ(appends_to_3(), 0);

  // Its acknowledgment (index 6) switches follower 3 to replicate at 7 and
  // the leader streams 7 and 8 at once.
  cluster.deliver_all();
  EXPECT_EQ(progress.state(), ProgressState::replicate);
  EXPECT_EQ(progress.match(), 8u);
  cluster.tick(1);
  cluster.deliver_all();
  EXPECT_EQ(cluster.raft(3).log().committed(), 8u);
  const std::vector<std::string> expected{"entry 1", "snapshot 6", "entry 7", "entry 8"};
  EXPECT_EQ(cluster.apply_log(3), expected);
  EXPECT_EQ(cluster.violation(), "");
}

TEST(Snapshot, AFailedSnapshotGoesBackToProbingAndIsSentAgain) {
  Cluster cluster({1, 2, 3});
  lag_follower_3_behind_a_compacted_leader(cluster);
  cluster.heal();
  cluster.tick(1);
  ASSERT_TRUE(cluster.deliver_until([&] { return snapshots_sent(cluster, 1, 3) == 1; }));

  // The runtime lost the snapshot and says so.
  std::erase_if(cluster.network(),
                [](const Message& m) { return m.type == MessageType::install_snapshot; });
  Raft& leader = cluster.raft(1);
  leader.report_snapshot(3, /*ok=*/false);
  const Progress& progress = leader.tracker().progress(3);
  EXPECT_EQ(progress.state(), ProgressState::probe);
  EXPECT_EQ(progress.next(), progress.match() + 1);
  cluster.persist(1);
  EXPECT_EQ(snapshots_sent(cluster, 1, 3), 1u) << "no resend before the follower is heard again";

  // The next heartbeat reply shows follower 3 alive: the probe finds the
  // entries compacted and a fresh snapshot goes out, which succeeds.
  cluster.tick(1);
  cluster.deliver_all();
  EXPECT_EQ(snapshots_sent(cluster, 1, 3), 2u);
  EXPECT_EQ(progress.state(), ProgressState::replicate);
  EXPECT_EQ(cluster.raft(3).log().committed(), 7u);
}

TEST(Snapshot, ASuccessReportWaitsForTheFollowersAckBeforeSendingMore) {
  Cluster cluster({1, 2, 3});
  lag_follower_3_behind_a_compacted_leader(cluster);
  cluster.heal();
  cluster.tick(1);
  ASSERT_TRUE(cluster.deliver_until([&] { return snapshots_sent(cluster, 1, 3) == 1; }));

  cluster.raft(1).report_snapshot(3, /*ok=*/true);
  const Progress& progress = cluster.raft(1).tracker().progress(3);
  EXPECT_EQ(progress.state(), ProgressState::probe);
  EXPECT_EQ(progress.next(), 7u) << "probing resumes after the delivered snapshot";
  EXPECT_TRUE(progress.paused());
  cluster.deliver_all();
  EXPECT_EQ(progress.state(), ProgressState::replicate);
  EXPECT_EQ(progress.match(), 7u);
  EXPECT_EQ(cluster.violation(), "");
}

TEST(Snapshot, ALeaderRetriesWhenItsSnapshotIsTemporarilyUnavailable) {
  Cluster cluster({1, 2, 3});
  lag_follower_3_behind_a_compacted_leader(cluster);
  cluster.storage(1).set_snapshot_unavailable(true);
  cluster.heal();
  cluster.tick(1);
  cluster.deliver_all();
  EXPECT_EQ(snapshots_sent(cluster, 1, 3), 0u);
  EXPECT_NE(cluster.raft(1).tracker().progress(3).state(), ProgressState::snapshot);

  cluster.storage(1).set_snapshot_unavailable(false);
  cluster.tick(1);
  cluster.deliver_all();
  EXPECT_EQ(snapshots_sent(cluster, 1, 3), 1u);
  EXPECT_EQ(cluster.raft(3).log().committed(), 7u);
}

TEST(Snapshot, AFollowerThatAlreadyHoldsTheSnapshotsEntriesOnlyAdvancesItsCommit) {
  Cluster cluster({1, 2, 3});
  // Follower 2 holds entries 1..5 of term 1, none known committed.
  cluster.preload(2, {1, 1, 1, 1, 1}, 1);
  Raft& follower = cluster.raft(2);

  // A snapshot at 3 (term 1): entry 3 is already here, so is everything
  // before it. Only the commit index moves; the log and entry 5 stay.
  ASSERT_TRUE(follower.step(install_snapshot(1, 2, 1, 3, 1)).ok());
  Ready ready = follower.ready();
  EXPECT_FALSE(ready.snapshot.has_value());
  ASSERT_EQ(ready.committed_entries.size(), 3u);
  ASSERT_EQ(ready.messages_after_persist.size(), 1u);
  EXPECT_EQ(ready.messages_after_persist[0].type, MessageType::append_response);
  EXPECT_EQ(ready.messages_after_persist[0].index, 3u);
  follower.advance(ready);
  EXPECT_EQ(follower.log().committed(), 3u);
  EXPECT_EQ(follower.log().last_index(), 5u);
  EXPECT_EQ(follower.log().first_index(), 1u);
}

TEST(Snapshot, AFollowerWithAConflictingLogDropsItAndHandsTheSnapshotToItsDriver) {
  Cluster cluster({1, 2, 3});
  // Follower 2's entries 2..4 are of term 1; the leader's snapshot at 3 is of
  // term 2, so those entries were never committed and must go.
  cluster.preload(2, {1, 1, 1, 1}, 2);
  Raft& follower = cluster.raft(2);
  ASSERT_TRUE(follower.step(install_snapshot(1, 2, 2, 3, 2)).ok());

  Ready ready = follower.ready();
  ASSERT_TRUE(ready.snapshot.has_value());
  EXPECT_EQ(ready.snapshot->metadata.index, 3u);
  // The state machine loads the snapshot before any later entry, and the
  // ack waits until the snapshot is durable.
  EXPECT_TRUE(ready.committed_entries.empty());
  EXPECT_TRUE(ready.messages.empty());
  ASSERT_EQ(ready.messages_after_persist.size(), 1u);
  EXPECT_EQ(ready.messages_after_persist[0].index, 3u);
  ASSERT_TRUE(ready.hard_state.has_value());
  EXPECT_EQ(ready.hard_state->commit, 3u);
  EXPECT_EQ(follower.log().last_index(), 3u);
  EXPECT_EQ(follower.log().first_index(), 4u);
  EXPECT_EQ(follower.log().term(3), Term{2});
  EXPECT_EQ(follower.log().term(2), std::nullopt);

  ASSERT_TRUE(cluster.storage(2).apply_snapshot(*ready.snapshot).ok());
  follower.advance(ready);
  EXPECT_EQ(follower.log().applied(), 3u);
  EXPECT_FALSE(follower.has_ready());
}

TEST(Snapshot, AStaleOrDuplicateSnapshotIsIgnored) {
  Cluster cluster({1, 2, 3});
  lag_follower_3_behind_a_compacted_leader(cluster);
  cluster.heal();
  cluster.tick(1);
  cluster.deliver_all();
  ASSERT_EQ(cluster.raft(3).log().committed(), 7u);

  // The network duplicates the old snapshot (index 6), and an older one
  // (index 4) turns up: follower 3 committed past both.
  Raft& follower = cluster.raft(3);
  const Term term = cluster.raft(1).term();
  for (Index index : {Index{6}, Index{4}}) {
    ASSERT_TRUE(follower.step(install_snapshot(1, 3, term, index, term)).ok());
    cluster.persist(3);
    ASSERT_FALSE(cluster.network().empty());
    EXPECT_EQ(cluster.network().back().type, MessageType::append_response);
    EXPECT_EQ(cluster.network().back().index, 7u) << "it answers with its commit index";
  }
  const std::vector<std::string> expected{"entry 1", "snapshot 6", "entry 7"};
  EXPECT_EQ(cluster.apply_log(3), expected);
  EXPECT_EQ(follower.log().last_index(), 7u);
  cluster.deliver_all();
  EXPECT_EQ(cluster.raft(1).tracker().progress(3).state(), ProgressState::replicate);
  EXPECT_EQ(cluster.violation(), "");
}

TEST(Snapshot, ANodeRestartsFromItsSnapshotAndTheEntriesAfterIt) {
  Cluster cluster({1, 2, 3});
  ASSERT_EQ(cluster.elect(1), Role::leader);
  for (int i = 0; i < 7; ++i) ASSERT_TRUE(cluster.raft(1).propose(to_bytes("v")).ok());
  cluster.persist(1);
  cluster.deliver_all();
  cluster.tick(1);
  cluster.deliver_all();
  ASSERT_EQ(cluster.raft(2).log().committed(), 8u);
  ASSERT_TRUE(cluster.compact(2, 5).ok());

  cluster.crash(2);
  cluster.restart(2);
  Raft& restarted = cluster.raft(2);
  EXPECT_EQ(restarted.log().first_index(), 6u);
  EXPECT_GE(restarted.log().applied(), 5u);
  EXPECT_EQ(restarted.log().committed(), 8u);
  cluster.persist(2);
  const std::vector<std::string> expected{"snapshot 5", "entry 6", "entry 7", "entry 8"};
  EXPECT_EQ(cluster.apply_log(2), expected);

  // It goes on as a member: more entries reach it.
  ASSERT_TRUE(cluster.raft(1).propose(to_bytes("after")).ok());
  cluster.persist(1);
  cluster.deliver_all();
  EXPECT_EQ(restarted.log().committed(), 9u);
  EXPECT_EQ(cluster.apply_log(2).back(), "entry 9");
  EXPECT_EQ(cluster.violation(), "");
}

TEST(Snapshot, ANodeRestoredFromASnapshotTakesItsVotersFromTheSnapshot) {
  MemoryStorage storage;
  Snapshot snapshot;
  snapshot.metadata.index = 5;
  snapshot.metadata.term = 2;
  snapshot.metadata.conf_state.voters = {1, 2, 3};
  snapshot.metadata.conf_state.learners = {4};
  ASSERT_TRUE(storage.apply_snapshot(snapshot).ok());
  storage.set_hard_state(HardState{.term = 2, .vote = kNoNode, .commit = 5});
  // The node was first configured alone; the snapshot knows better.
  Raft raft(testing::make_config(1, {1}), storage, Random(7));
  EXPECT_EQ(raft.tracker().voters(), (std::vector<NodeId>{1, 2, 3}));
  EXPECT_EQ(raft.log().applied(), 5u);
  EXPECT_EQ(raft.log().committed(), 5u);
  EXPECT_EQ(raft.log().last_index(), 5u);
  EXPECT_EQ(raft.log().last_term(), 2u);
  // With three voters, one tick-out is not enough to lead.
  for (int i = 0; i < 40 && raft.role() == Role::follower; ++i) raft.tick();
  EXPECT_NE(raft.role(), Role::leader);
}

TEST(Snapshot, MalformedInstallSnapshotsAreRefusedAndLeaveTheNodeUntouched) {
  Cluster cluster({1, 2, 3});
  ASSERT_EQ(cluster.elect(1), Role::leader);
  cluster.tick(1);
  cluster.deliver_all();
  Raft& follower = cluster.raft(2);
  const Term term = follower.term();
  const Index commit = follower.log().committed();
  const Index last = follower.log().last_index();

  // A map rather than a vector of pairs: GCC 12 -O3 reports a false
  // array-bounds warning on growing the latter here.
  std::map<std::string, Message> malformed;
  malformed.emplace("snapshot index 0", install_snapshot(1, 2, term, 0, term));
  malformed.emplace("snapshot term 0", install_snapshot(1, 2, term, 5, 0));
  malformed.emplace("snapshot term beyond the sender's",
                         install_snapshot(1, 2, term, 5, term + 1));
  Message no_snapshot = install_snapshot(1, 2, term, 5, term);
  no_snapshot.snapshot = Snapshot{};
  malformed.emplace("no snapshot", no_snapshot);
  Message no_voters = install_snapshot(1, 2, term, 5, term);
  no_voters.snapshot.metadata.conf_state.voters.clear();
  malformed.emplace("no voters", no_voters);
  Message voter_zero = install_snapshot(1, 2, term, 5, term);
  voter_zero.snapshot.metadata.conf_state.voters.push_back(kNoNode);
  malformed.emplace("voter 0", voter_zero);
  Message snapshot_in_append = install_snapshot(1, 2, term, 5, term);
  snapshot_in_append.type = MessageType::append;
  malformed.emplace("a snapshot in an append", snapshot_in_append);
  Message unsorted = install_snapshot(1, 2, term, 5, term);
  unsorted.snapshot.metadata.conf_state.voters = {3, 1, 2};
  malformed.emplace("voters out of order", unsorted);
  Message learner_voter = install_snapshot(1, 2, term, 5, term);
  learner_voter.snapshot.metadata.conf_state.learners = {2};
  malformed.emplace("a learner that is also a voter", learner_voter);
  // A sender outside our configuration may be a leader we have not heard of
  // yet (membership change), so only impossible senders are refused.
  malformed.emplace("from ourselves", install_snapshot(2, 2, term, 5, term));
  malformed.emplace("from node 0", install_snapshot(kNoNode, 2, term, 5, term));

  for (const auto& [what, message] : malformed) {
    const Status status = follower.step(message);
    EXPECT_EQ(status.code(), StatusCode::invalid_argument) << what;
  }
  // The leader of this term gets one from a peer claiming the same term.
  EXPECT_EQ(cluster.raft(1).step(install_snapshot(2, 1, term, 5, term)).code(),
            StatusCode::invalid_argument);
  EXPECT_EQ(cluster.raft(1).role(), Role::leader);

  EXPECT_EQ(follower.term(), term);
  EXPECT_EQ(follower.log().committed(), commit);
  EXPECT_EQ(follower.log().last_index(), last);
  EXPECT_FALSE(follower.log().unstable_snapshot().has_value());
}

TEST(Snapshot, ASnapshotFromAnOldTermIsIgnoredAndItsSenderToldTheNewTerm) {
  Cluster cluster({1, 2, 3});
  // Follower 2 has moved on to term 3.
  cluster.preload(2, {1, 1}, 3);
  Raft& follower = cluster.raft(2);

  // A deposed leader of term 2 still sends a snapshot far ahead.
  ASSERT_TRUE(follower.step(install_snapshot(1, 2, 2, 50, 2)).ok());
  cluster.persist(2);
  EXPECT_EQ(follower.log().last_index(), 2u);
  EXPECT_EQ(follower.log().committed(), 0u);
  EXPECT_FALSE(follower.log().unstable_snapshot().has_value());
  ASSERT_EQ(cluster.network().size(), 1u);
  const Message& reply = cluster.network().back();
  EXPECT_EQ(reply.to, 1u);
  EXPECT_EQ(reply.term, 3u) << "so the old leader steps down";
}

TEST(SnapshotStorage, CompactionAndSnapshotErrorsAreStatusValues) {
  MemoryStorage storage;
  storage.append(testing::entries_with_terms({1, 1, 2, 2, 3}));

  // Nothing may be dropped that no snapshot covers.
  EXPECT_EQ(storage.compact(3).reason(), "NOT_IN_SNAPSHOT");
  EXPECT_EQ(storage.create_snapshot(9, {.voters = {1}}, {}).code(), StatusCode::out_of_range);
  ASSERT_TRUE(storage.create_snapshot(3, {.voters = {1}}, to_bytes("s3")).ok());
  EXPECT_EQ(storage.create_snapshot(3, {.voters = {1}}, {}).reason(), "SNAPSHOT_OUT_OF_DATE");
  EXPECT_EQ(storage.create_snapshot(2, {.voters = {1}}, {}).reason(), "SNAPSHOT_OUT_OF_DATE");
  ASSERT_EQ(storage.snapshot()->metadata.term, 2u);
  EXPECT_EQ(storage.compact(4).reason(), "NOT_IN_SNAPSHOT");

  ASSERT_TRUE(storage.compact(3).ok());
  EXPECT_EQ(storage.first_index(), 4u);
  EXPECT_EQ(storage.last_index(), 5u);
  EXPECT_EQ(*storage.term(3), 2u) << "the snapshot's term answers at first_index() - 1";
  EXPECT_EQ(storage.term(2).status().reason(), "COMPACTED");
  EXPECT_EQ(storage.entries(2, 5, 1 << 20).status().reason(), "COMPACTED");
  ASSERT_TRUE(storage.entries(4, 6, 1 << 20).ok());
  EXPECT_EQ(storage.entries(4, 6, 1 << 20)->front().index, 4u);
  EXPECT_EQ(storage.compact(3).reason(), "COMPACTED");
  EXPECT_EQ(storage.compact(2).reason(), "COMPACTED");
  EXPECT_EQ(storage.compact(9).code(), StatusCode::out_of_range);

  // Compacting a prefix of the snapshot first, the rest later, works too.
  ASSERT_TRUE(storage.create_snapshot(5, {.voters = {1}}, to_bytes("s5")).ok());
  ASSERT_TRUE(storage.compact(4).ok());
  ASSERT_TRUE(storage.compact(5).ok());
  EXPECT_EQ(storage.first_index(), 6u);
  EXPECT_EQ(storage.last_index(), 5u);
  EXPECT_EQ(*storage.term(5), 3u);

  // A received snapshot replaces the log; an older one or an empty one is refused.
  EXPECT_EQ(storage.apply_snapshot(Snapshot{}).code(), StatusCode::invalid_argument);
  EXPECT_EQ(storage.create_snapshot(5, {}, {}).code(), StatusCode::invalid_argument);
  EXPECT_EQ(storage.apply_snapshot(Snapshot{.metadata = {.index = 12, .term = 4}}).code(),
            StatusCode::invalid_argument)
      << "no voters";
  const ConfState voters{.voters = {1}};
  EXPECT_EQ(
      storage.apply_snapshot(Snapshot{.metadata = {.index = 4, .term = 2, .conf_state = voters}})
          .reason(),
      "SNAPSHOT_OUT_OF_DATE");
  ASSERT_TRUE(
      storage.apply_snapshot(Snapshot{.metadata = {.index = 10, .term = 4, .conf_state = voters}})
          .ok());
  EXPECT_EQ(storage.first_index(), 11u);
  EXPECT_EQ(storage.last_index(), 10u);
  EXPECT_EQ(*storage.term(10), 4u);
  storage.append(std::vector<Entry>{Entry{.term = 4, .index = 11}});
  EXPECT_EQ(storage.last_index(), 11u);

  storage.set_snapshot_unavailable(true);
  EXPECT_EQ(storage.snapshot().status().code(), StatusCode::unavailable);
}

TEST(SnapshotLog, ALogThatStartsAfterASnapshotAnswersTermsAndSlices) {
  MemoryStorage storage;
  ASSERT_TRUE(storage
                  .apply_snapshot(Snapshot{
                      .metadata = {.index = 5, .term = 2, .conf_state = {.voters = {1, 2, 3}}}})
                  .ok());
  storage.append(std::vector<Entry>{Entry{.term = 2, .index = 6}, Entry{.term = 3, .index = 7}});
  storage.set_hard_state(HardState{.term = 3, .vote = kNoNode, .commit = 6});
  RaftLog log(storage, /*applied=*/0);
  EXPECT_EQ(log.applied(), 5u) << "the snapshot is applied state";
  EXPECT_EQ(log.committed(), 6u);
  EXPECT_EQ(log.first_index(), 6u);
  EXPECT_EQ(log.term(5), Term{2});
  EXPECT_EQ(log.term(4), std::nullopt);
  EXPECT_EQ(log.find_conflict_by_term(7, 1), 5u) << "backtracking stops at the snapshot";
  EXPECT_EQ(log.slice(6, 8, 10, 1 << 20).size(), 2u);
  EXPECT_EQ(log.committed_entries_after(log.applied(), 1 << 20).size(), 1u);
  EXPECT_TRUE(log.is_up_to_date(7, 3));
  EXPECT_FALSE(log.is_up_to_date(5, 2));
}

// Why `id` has not caught up with `leader`: the state a reader needs to
// replay the failing seed in their head.
std::string describe_lag(Cluster& cluster, NodeId leader, NodeId id) {
  const Raft& l = cluster.raft(leader);
  const Raft& f = cluster.raft(id);
  const Progress& p = l.tracker().progress(id);
  std::string text = "node " + std::to_string(id) + " lags leader " + std::to_string(leader);
  text += ": leader commit " + std::to_string(l.log().committed()) + ", log [" +
          std::to_string(l.log().first_index()) + ", " + std::to_string(l.log().last_index()) + "]";
  text += "; progress " + std::string(progress_state_name(p.state())) + " match " +
          std::to_string(p.match()) + " next " + std::to_string(p.next()) + " pending snapshot " +
          std::to_string(p.pending_snapshot());
  text += "; follower " + std::string(role_name(f.role())) + " term " + std::to_string(f.term()) +
          " commit " + std::to_string(f.log().committed()) + " applied " +
          std::to_string(cluster.applied_index(id));
  return text;
}

// Random schedules with compaction: nodes compact at random applied indexes
// while messages are lost, reordered, partitioned and nodes crash. Safety
// (the harness checks what loaded snapshots hold too) after every step;
// after healing, every node catches up with the leader's commit, most of
// them by snapshot.
std::string run_schedule_with_compaction(std::uint64_t seed, std::size_t& snapshots) {
  Random random(seed);
  const std::vector<NodeId> ids{1, 2, 3};
  Cluster cluster(ids, [](Config& c) { c.max_entries_per_message = 2; }, seed);
  std::set<NodeId> down;
  for (int step = 0; step < 300 && cluster.violation().empty(); ++step) {
    const NodeId node = ids[random.uniform(ids.size())];
    switch (random.uniform(12)) {
      case 0:
      case 1:
        for (NodeId id : ids) {
          if (!down.contains(id)) cluster.tick(id);
        }
        break;
      case 2:
      case 3:
      case 4:
        for (int i = 0; i < 4; ++i) cluster.deliver_one();
        break;
      case 5:
        cluster.lose_one();
        break;
      case 6:
        if (cluster.network().size() >= 2) std::swap(cluster.network()[0], cluster.network()[1]);
        break;
      case 7:
      case 8:
        for (NodeId id : ids) {
          if (!down.contains(id) && cluster.raft(id).role() == Role::leader) {
            (void)cluster.raft(id).propose(to_bytes("v" + std::to_string(step)));
            cluster.persist(id);
          }
        }
        break;
      case 9:
        if (cluster.applied_index(node) >= cluster.storage(node).first_index()) {
          const Index low = cluster.storage(node).first_index();
          const Index index = low + random.uniform(cluster.applied_index(node) - low + 1);
          if (!cluster.compact(node, index).ok()) return "compaction refused";
        }
        break;
      case 10:
        if (down.contains(node)) {
          down.erase(node);
          cluster.restart(node);
        } else if (down.empty()) {
          down.insert(node);
          cluster.crash(node);
        }
        break;
      default:
        if (random.bernoulli(0.5)) {
          cluster.isolate(node);
        } else {
          cluster.heal();
        }
        break;
    }
  }
  if (!cluster.violation().empty()) return cluster.violation();
  cluster.heal();
  for (NodeId id : down) cluster.restart(id);
  NodeId leader = kNoNode;
  for (int round = 0; round < 300; ++round) {
    for (NodeId id : ids) cluster.tick(id);
    cluster.deliver_all();
    for (NodeId id : ids) {
      if (cluster.raft(id).role() == Role::leader) leader = id;
    }
    if (leader == kNoNode) continue;
    const Index commit = cluster.raft(leader).log().committed();
    bool caught_up = commit > 0;
    for (NodeId id : ids) caught_up = caught_up && cluster.applied_index(id) == commit;
    if (caught_up) break;
  }
  if (leader == kNoNode) return "no leader after healing";
  for (NodeId id : ids) {
    if (cluster.applied_index(id) != cluster.raft(leader).log().committed()) {
      return describe_lag(cluster, leader, id);
    }
  }
  for (const Message& m : cluster.history()) {
    if (m.type == MessageType::install_snapshot) ++snapshots;
  }
  return cluster.violation();
}

TEST(SnapshotRandomSchedule, StaysSafeAndCatchesEveryoneUpWhileNodesCompact) {
  std::size_t snapshots = 0;
  for (std::uint64_t seed = 1; seed <= 1000; ++seed) {
    EXPECT_EQ(run_schedule_with_compaction(seed, snapshots), "") << "seed " << seed;
  }
  // The schedules exercise the snapshot path, not only plain appends.
  EXPECT_GT(snapshots, 50u);
}

}  // namespace
}  // namespace faultline::raft

namespace faultline::raft {
namespace {

TEST(SnapshotProgress, ASnapshotPausesAFollowerUntilItsOutcomeIsKnown) {
  Progress progress(/*next=*/3, /*max_inflight_messages=*/4, /*max_inflight_bytes=*/1 << 20);
  ASSERT_TRUE(progress.maybe_update(2));
  progress.become_snapshot(10);
  EXPECT_EQ(progress.state(), ProgressState::snapshot);
  EXPECT_TRUE(progress.paused());
  EXPECT_FALSE(progress.maybe_decrease_to(2, 1)) << "old rejections say nothing new";

  // Delivered: probing resumes after the snapshot.
  progress.become_probe();
  EXPECT_EQ(progress.next(), 11u);
  EXPECT_EQ(progress.pending_snapshot(), 0u);

  // Failed: probing resumes after what is known to match.
  progress.become_snapshot(10);
  progress.snapshot_failed();
  progress.become_probe();
  EXPECT_EQ(progress.next(), 3u);
}

TEST(SnapshotUnstableLog, AReceivedSnapshotWaitsWithTheEntriesAfterIt) {
  UnstableLog unstable(/*offset=*/4);
  unstable.truncate_and_append(std::vector<Entry>{Entry{.term = 1, .index = 4}});
  unstable.restore(Snapshot{.metadata = {.index = 9, .term = 2}});
  EXPECT_TRUE(unstable.entries().empty()) << "the old tail is gone";
  EXPECT_EQ(unstable.first_index(), Index{10});
  EXPECT_EQ(unstable.last_index(), Index{9});
  EXPECT_EQ(unstable.term(9), Term{2});
  EXPECT_EQ(unstable.term(4), std::nullopt);

  unstable.truncate_and_append(std::vector<Entry>{Entry{.term = 2, .index = 10}});
  EXPECT_EQ(unstable.last_index(), Index{10});
  // A stale durability report (the old tail) changes nothing.
  unstable.stable_to(4, 1);
  unstable.stable_snapshot_to(8);
  EXPECT_TRUE(unstable.snapshot().has_value());
  unstable.stable_snapshot_to(9);
  EXPECT_FALSE(unstable.snapshot().has_value());
  unstable.stable_to(10, 2);
  EXPECT_TRUE(unstable.entries().empty());
  EXPECT_EQ(unstable.offset(), 11u);
}

}  // namespace
}  // namespace faultline::raft
