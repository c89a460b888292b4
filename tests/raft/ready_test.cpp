// The Ready contract: what may leave before persisting and what must wait.
#include "faultline/raft/ready.hpp"

#include <gtest/gtest.h>

#include "raft/cluster.hpp"

namespace faultline::raft {
namespace {

using testing::Cluster;

TEST(Ready, OnlyLeaderReplicationAndPreVoteRequestsMayLeaveBeforePersisting) {
  EXPECT_TRUE(may_send_before_persist(MessageType::append));
  EXPECT_TRUE(may_send_before_persist(MessageType::heartbeat));
  EXPECT_TRUE(may_send_before_persist(MessageType::pre_vote));
  EXPECT_FALSE(may_send_before_persist(MessageType::vote));
  EXPECT_FALSE(may_send_before_persist(MessageType::vote_response));
  EXPECT_FALSE(may_send_before_persist(MessageType::pre_vote_response));
  EXPECT_FALSE(may_send_before_persist(MessageType::append_response));
  EXPECT_FALSE(may_send_before_persist(MessageType::heartbeat_response));
}

TEST(Ready, AVoteResponseIsSentOnlyAfterTheVoteIsPersisted) {
  Cluster cluster({1, 2, 3}, testing::plain_raft);
  cluster.tick_until_campaign(1);
  ASSERT_EQ(cluster.raft(1).role(), Role::candidate);
  const Message request = cluster.network().front();
  ASSERT_EQ(request.type, MessageType::vote);
  ASSERT_EQ(request.to, 2u);

  Raft& voter = cluster.raft(2);
  ASSERT_TRUE(voter.step(request).ok());
  const Ready ready = voter.ready();
  // The new term and the vote are to be persisted ...
  ASSERT_TRUE(ready.hard_state.has_value());
  EXPECT_EQ(ready.hard_state->term, 1u);
  EXPECT_EQ(ready.hard_state->vote, 1u);
  // ... and the grant waits for that: nothing may leave before it is durable.
  EXPECT_TRUE(ready.messages.empty());
  ASSERT_EQ(ready.messages_after_persist.size(), 1u);
  EXPECT_EQ(ready.messages_after_persist[0].type, MessageType::vote_response);
  EXPECT_FALSE(ready.messages_after_persist[0].reject);
  cluster.storage(2).set_hard_state(*ready.hard_state);
  voter.advance(ready);
}

TEST(Ready, ACandidatesVoteRequestsWaitForItsOwnVoteToBePersisted) {
  MemoryStorage storage;
  Config config = testing::make_config(1, {1, 2, 3});
  testing::plain_raft(config);
  Raft raft(config, storage, Random(3));
  while (raft.role() != Role::candidate) raft.tick();
  const Ready ready = raft.ready();
  ASSERT_TRUE(ready.hard_state.has_value());
  EXPECT_EQ(ready.hard_state->vote, 1u);
  EXPECT_TRUE(ready.messages.empty());
  EXPECT_EQ(ready.messages_after_persist.size(), 2u);
  raft.advance(ready);
}

TEST(Ready, ARestartedNodeKeepsItsPersistedVote) {
  Cluster cluster({1, 2, 3}, testing::plain_raft);
  ASSERT_EQ(cluster.elect(1), Role::leader);
  cluster.crash(2);
  cluster.restart(2);
  EXPECT_EQ(cluster.raft(2).term(), 1u);
  EXPECT_EQ(cluster.raft(2).vote(), 1u);
  // Asked again in the same term by someone else, it refuses.
  Message rival{.type = MessageType::vote, .from = 3, .to = 2, .term = 1,
                .log_term = 1, .index = 9};
  ASSERT_TRUE(cluster.raft(2).step(rival).ok());
  const Ready ready = cluster.raft(2).ready();
  ASSERT_EQ(ready.messages_after_persist.size(), 1u);
  EXPECT_TRUE(ready.messages_after_persist[0].reject);
  cluster.raft(2).advance(ready);
}

TEST(Ready, HasReadyIsFalseOnceEverythingIsAdvanced) {
  Cluster cluster({1, 2, 3});
  ASSERT_EQ(cluster.elect(1), Role::leader);
  cluster.persist_all();
  for (NodeId id : {1, 2, 3}) EXPECT_FALSE(cluster.raft(id).has_ready()) << id;
}

}  // namespace
}  // namespace faultline::raft
