// ReadIndex (thesis §6.4): linearizable reads without a log write.
#include <gtest/gtest.h>

#include "raft/cluster.hpp"

namespace faultline::raft {
namespace {

using testing::Cluster;

TEST(ReadIndex, NotAnsweredBeforeTheLeaderCommitsAnEntryOfItsTerm) {
  Cluster cluster({1, 2, 3});
  cluster.tick_until_campaign(1);
  Raft& leader = cluster.raft(1);
  ASSERT_TRUE(cluster.deliver_until([&] { return leader.role() == Role::leader; }));
  // Its no-op is not committed yet: it cannot know the commit index.
  ASSERT_EQ(leader.log().committed(), 0u);
  ASSERT_TRUE(leader.read_index(to_bytes("read-1")).ok());
  cluster.persist(1);
  EXPECT_TRUE(cluster.read_states(1).empty());
  EXPECT_EQ(leader.pending_read_count(), 1u);

  // The no-op commits; only then does the heartbeat round start and finish.
  cluster.deliver_all();
  ASSERT_GE(leader.log().committed(), 1u);
  ASSERT_EQ(cluster.read_states(1).size(), 1u);
  EXPECT_EQ(cluster.read_states(1)[0].index, 1u);
  EXPECT_EQ(as_string_view(cluster.read_states(1)[0].context), "read-1");
}

TEST(ReadIndex, ConfirmedOnlyByAHeartbeatQuorum) {
  Cluster cluster({1, 2, 3});
  ASSERT_EQ(cluster.elect(1), Role::leader);
  Raft& leader = cluster.raft(1);
  ASSERT_TRUE(leader.propose(to_bytes("x=1")).ok());
  cluster.persist(1);
  cluster.deliver_all();
  const Index commit = leader.log().committed();
  ASSERT_EQ(commit, 2u);

  // Cut off from everyone, the leader cannot confirm it still leads.
  cluster.isolate(1);
  ASSERT_TRUE(leader.read_index(to_bytes("r")).ok());
  cluster.persist(1);
  cluster.deliver_all();
  EXPECT_TRUE(cluster.read_states(1).empty());

  // With one follower back, the round (retried by heartbeats) completes.
  cluster.heal();
  cluster.cut(1, 3);
  cluster.tick(1);
  cluster.deliver_all();
  ASSERT_EQ(cluster.read_states(1).size(), 1u);
  EXPECT_EQ(cluster.read_states(1)[0].index, commit);
}

TEST(ReadIndex, ALaterRoundReleasesEarlierOnesInOrder) {
  Cluster cluster({1, 2, 3});
  ASSERT_EQ(cluster.elect(1), Role::leader);
  cluster.tick(1);
  cluster.deliver_all();
  Raft& leader = cluster.raft(1);
  ASSERT_TRUE(leader.read_index(to_bytes("a")).ok());
  ASSERT_TRUE(leader.read_index(to_bytes("b")).ok());
  EXPECT_EQ(leader.read_index(to_bytes("b")).code(), StatusCode::already_exists);
  cluster.persist(1);
  cluster.deliver_all();
  ASSERT_EQ(cluster.read_states(1).size(), 2u);
  EXPECT_EQ(as_string_view(cluster.read_states(1)[0].context), "a");
  EXPECT_EQ(as_string_view(cluster.read_states(1)[1].context), "b");
}

TEST(ReadIndex, FollowersRefuseAndASingleNodeAnswersAtOnce) {
  Cluster cluster({1, 2, 3});
  ASSERT_EQ(cluster.elect(1), Role::leader);
  EXPECT_EQ(cluster.raft(2).read_index(to_bytes("r")).code(), StatusCode::unavailable);

  Cluster single({1});
  single.tick_until_campaign(1);
  ASSERT_EQ(single.raft(1).role(), Role::leader);
  ASSERT_TRUE(single.raft(1).read_index(to_bytes("r")).ok());
  single.persist(1);
  ASSERT_EQ(single.read_states(1).size(), 1u);
  EXPECT_EQ(single.read_states(1)[0].index, 1u);
}

}  // namespace
}  // namespace faultline::raft
