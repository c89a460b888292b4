// Log replication as stories: the paper's figures 7 and 8 step by step,
// batching, pipelining, and what a follower refuses.
#include <gtest/gtest.h>

#include "raft/cluster.hpp"

namespace faultline::raft {
namespace {

using testing::Cluster;

int rejections_from(const Cluster& cluster, NodeId follower) {
  int count = 0;
  for (const Message& m : cluster.history()) {
    if (m.type == MessageType::append_response && m.from == follower && m.reject) ++count;
  }
  return count;
}

std::vector<Term> log_terms(Cluster& cluster, NodeId id) {
  std::vector<Term> terms;
  for (Index i = 1; i <= cluster.raft(id).log().last_index(); ++i) {
    terms.push_back(cluster.raft(id).log().term_or_zero(i));
  }
  return terms;
}

// Figure 7: a leader for term 8 and six followers (a)-(f) whose logs are
// missing entries, have extra uncommitted entries, or both. With the
// follower's term hint each one finds the match point after at most one
// rejection; one entry per round trip would take up to seven for (f).
TEST(Replication, Figure7DivergentFollowersCatchUpInOneRejection) {
  Cluster cluster({1, 2, 3, 4, 5, 6, 7});
  const std::vector<Term> leader = {1, 1, 1, 4, 4, 5, 5, 6, 6, 6};
  cluster.preload(1, leader, 7);
  cluster.preload(2, {1, 1, 1, 4, 4, 5, 5, 6, 6}, 7);              // (a) missing one
  cluster.preload(3, {1, 1, 1, 4}, 7);                             // (b) missing many
  cluster.preload(4, {1, 1, 1, 4, 4, 5, 5, 6, 6, 6, 6}, 7);        // (c) one extra
  cluster.preload(5, {1, 1, 1, 4, 4, 5, 5, 6, 6, 6, 7, 7}, 7);     // (d) extra of term 7
  cluster.preload(6, {1, 1, 1, 4, 4, 4, 4}, 7);                    // (e) missing and extra
  cluster.preload(7, {1, 1, 1, 2, 2, 2, 3, 3, 3, 3, 3}, 7);        // (f) many extra
  ASSERT_EQ(cluster.elect(1), Role::leader);  // (a), (b), (e), (f) vote for it
  ASSERT_EQ(cluster.raft(1).term(), 8u);

  std::vector<Term> expected = leader;
  expected.push_back(8);  // the leader's no-op
  const std::map<NodeId, int> expected_rejections = {{2, 1}, {3, 1}, {4, 0},
                                                     {5, 0}, {6, 1}, {7, 1}};
  for (const auto& [follower, rejections] : expected_rejections) {
    EXPECT_EQ(log_terms(cluster, follower), expected) << "follower " << follower;
    EXPECT_EQ(rejections_from(cluster, follower), rejections) << "follower " << follower;
  }
  EXPECT_EQ(cluster.raft(1).log().committed(), 11u);
  EXPECT_EQ(cluster.violation(), "");
}

// Figure 8: S1 leads term 4 and replicates its term-2 entry (index 2) to a
// majority. That entry must not count as committed by its replicas: S5
// (holding a term-3 entry at index 2) could still be elected and replace it.
// It commits only together with the leader's own term-4 entry.
TEST(Replication, Figure8APreviousTermEntryIsNotCommittedByCountingReplicas) {
  Cluster cluster({1, 2, 3, 4, 5}, [](Config& c) {
    testing::plain_raft(c);
    c.max_entries_per_message = 1;
  });
  cluster.preload(1, {1, 2}, 3);
  cluster.preload(2, {1}, 3);
  cluster.preload(3, {1}, 3);
  cluster.preload(4, {1}, 3);
  cluster.preload(5, {1, 3}, 3);
  cluster.isolate(4);
  cluster.isolate(5);
  cluster.tick_until_campaign(1);
  Raft& s1 = cluster.raft(1);
  ASSERT_TRUE(cluster.deliver_until([&] {
    return s1.role() == Role::leader && s1.tracker().progress(2).match() >= 2 &&
           s1.tracker().progress(3).match() >= 2;
  }));
  ASSERT_EQ(s1.term(), 4u);
  // Index 2 (term 2) is durable on S1, S2 and S3 — a majority of five.
  for (NodeId id : {1, 2, 3}) ASSERT_EQ(cluster.storage(id).term(2).value(), 2u) << id;
  // ... while the term-4 no-op at index 3 is durable on S1 alone.
  EXPECT_EQ(cluster.storage(1).last_index(), 3u);
  EXPECT_EQ(cluster.storage(2).last_index(), 2u);
  EXPECT_EQ(cluster.storage(3).last_index(), 2u);
  EXPECT_EQ(s1.log().committed(), 0u);

  // Once S1's own term-4 entry reaches a majority, both commit.
  cluster.deliver_all();
  EXPECT_EQ(s1.log().committed(), 3u);
  EXPECT_EQ(cluster.raft(1).log().term(3), 4u);
  EXPECT_EQ(cluster.violation(), "");
}

TEST(Replication, AFollowerRefusesANonContiguousBatch) {
  Cluster cluster({1, 2, 3});
  ASSERT_EQ(cluster.elect(1), Role::leader);
  Raft& follower = cluster.raft(2);
  const Index last = follower.log().last_index();
  const Term term = follower.term();
  Message gap{.type = MessageType::append, .from = 1, .to = 2, .term = term,
              .log_term = term, .index = last,
              .entries = {Entry{term, last + 1, EntryType::normal, to_bytes("a")},
                          Entry{term, last + 3, EntryType::normal, to_bytes("b")}},
              .commit = 0};
  const Status status = follower.step(gap);
  EXPECT_EQ(status.code(), StatusCode::invalid_argument);
  EXPECT_EQ(follower.log().last_index(), last);
  EXPECT_FALSE(follower.has_ready());

  Message wrong_start = gap;
  wrong_start.entries = {Entry{term, last + 2, EntryType::normal, {}}};
  EXPECT_EQ(follower.step(wrong_start).code(), StatusCode::invalid_argument);

  Message future_term = gap;
  future_term.entries = {Entry{term + 1, last + 1, EntryType::normal, {}}};
  EXPECT_EQ(follower.step(future_term).code(), StatusCode::invalid_argument);

  Message contiguous = gap;
  contiguous.entries[1].index = last + 2;
  EXPECT_TRUE(follower.step(contiguous).ok());
  EXPECT_EQ(follower.log().last_index(), last + 2);
}

TEST(Replication, ProposalsAreBatchedIntoOneAppendAndOnePersist) {
  Cluster cluster({1, 2, 3});
  ASSERT_EQ(cluster.elect(1), Role::leader);
  std::vector<Bytes> batch;
  for (int i = 0; i < 10; ++i) batch.push_back(to_bytes("put k" + std::to_string(i)));
  ASSERT_TRUE(cluster.raft(1).propose_batch(std::move(batch)).ok());
  Ready ready = cluster.raft(1).ready();
  EXPECT_EQ(ready.entries.size(), 10u);  // one persist
  ASSERT_EQ(ready.messages.size(), 2u);  // one append per follower
  for (const Message& m : ready.messages) {
    EXPECT_EQ(m.type, MessageType::append);
    EXPECT_EQ(m.entries.size(), 10u);
  }
  cluster.storage(1).append(ready.entries);
  cluster.raft(1).advance(ready);
}

TEST(Replication, PipeliningKeepsAtMostTheInflightWindowInFlight) {
  Cluster cluster({1, 2, 3}, [](Config& c) {
    c.max_inflight_messages = 3;
    c.max_entries_per_message = 1;
  });
  ASSERT_EQ(cluster.elect(1), Role::leader);
  Raft& leader = cluster.raft(1);
  ASSERT_EQ(leader.tracker().progress(2).state(), ProgressState::replicate);
  for (int i = 0; i < 8; ++i) ASSERT_TRUE(leader.propose(to_bytes("v")).ok());
  cluster.persist(1);
  int appends_to_2 = 0;
  for (const Message& m : cluster.network()) {
    if (m.type == MessageType::append && m.to == 2) ++appends_to_2;
  }
  EXPECT_EQ(appends_to_2, 3);  // the window, not one per proposal
  EXPECT_TRUE(leader.tracker().progress(2).paused());
  // Acks open the window again; every entry gets there, never more than 3 at once.
  const bool all_replicated = cluster.deliver_until([&] {
    EXPECT_LE(leader.tracker().progress(2).inflights().count(), 3u);
    return leader.tracker().progress(2).match() == leader.log().last_index();
  });
  EXPECT_TRUE(all_replicated);
}

TEST(Replication, TheLeaderBoundsUncommittedProposals) {
  Cluster cluster({1, 2, 3}, [](Config& c) { c.max_uncommitted_bytes = 100; });
  ASSERT_EQ(cluster.elect(1), Role::leader);
  cluster.isolate(2);
  cluster.isolate(3);
  ASSERT_TRUE(cluster.raft(1).propose(Bytes(60)).ok());
  const Status refused = cluster.raft(1).propose(Bytes(60));
  EXPECT_EQ(refused.code(), StatusCode::resource_exhausted);
  EXPECT_EQ(refused.reason(), "UNCOMMITTED_LIMIT");
  EXPECT_EQ(cluster.raft(2).propose(Bytes(1)).code(), StatusCode::unavailable);
}

TEST(Replication, FollowersAcknowledgeOnlyAfterPersisting) {
  Cluster cluster({1, 2, 3});
  ASSERT_EQ(cluster.elect(1), Role::leader);
  ASSERT_TRUE(cluster.raft(1).propose(to_bytes("x")).ok());
  Ready leader_ready = cluster.raft(1).ready();
  // The leader may send its append before persisting the entry it carries.
  ASSERT_EQ(leader_ready.messages.size(), 2u);
  EXPECT_EQ(leader_ready.messages[0].entries, leader_ready.entries);
  ASSERT_TRUE(cluster.raft(2).step(leader_ready.messages[0]).ok());
  cluster.storage(1).append(leader_ready.entries);
  cluster.raft(1).advance(leader_ready);
  const Ready follower_ready = cluster.raft(2).ready();
  EXPECT_EQ(follower_ready.entries.size(), 1u);
  EXPECT_TRUE(follower_ready.messages.empty());
  ASSERT_EQ(follower_ready.messages_after_persist.size(), 1u);
  EXPECT_EQ(follower_ready.messages_after_persist[0].type, MessageType::append_response);
  cluster.storage(2).append(follower_ready.entries);
  cluster.raft(2).advance(follower_ready);
}

}  // namespace
}  // namespace faultline::raft
