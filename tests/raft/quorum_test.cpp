#include "faultline/raft/quorum.hpp"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>

namespace faultline::raft {
namespace {

TEST(MajorityConfig, CommittedIndexIsTheQuorumSizedLargestMatch) {
  const MajorityConfig config({1, 2, 3});
  EXPECT_EQ(config.committed_index({{1, 7}, {2, 5}, {3, 4}}), 5u);
  EXPECT_EQ(config.committed_index({{1, 7}}), 0u);  // missing voters count as 0
  const MajorityConfig five({1, 2, 3, 4, 5});
  EXPECT_EQ(five.committed_index({{1, 9}, {2, 9}, {3, 3}, {4, 8}, {5, 1}}), 8u);
}

TEST(MajorityConfig, VoteResultWinsLosesOrWaits) {
  const MajorityConfig config({1, 2, 3});
  EXPECT_EQ(config.vote_result({{1, true}}), VoteResult::pending);
  EXPECT_EQ(config.vote_result({{1, true}, {2, true}}), VoteResult::won);
  EXPECT_EQ(config.vote_result({{1, true}, {2, false}}), VoteResult::pending);
  EXPECT_EQ(config.vote_result({{1, false}, {2, false}}), VoteResult::lost);
  // Votes from non-members do not count.
  EXPECT_EQ(config.vote_result({{1, true}, {9, true}}), VoteResult::pending);
}

TEST(MajorityConfig, EmptyConfigConstrainsNothing) {
  const MajorityConfig empty;
  EXPECT_EQ(empty.committed_index({}), kUnconstrainedIndex);
  EXPECT_EQ(empty.vote_result({}), VoteResult::won);
}

TEST(JointConfig, NeedsBothMajorities) {
  const JointConfig joint(MajorityConfig({1, 2, 3}), MajorityConfig({3, 4, 5}));
  EXPECT_TRUE(joint.joint());
  EXPECT_EQ(joint.voters(), (std::vector<NodeId>{1, 2, 3, 4, 5}));
  // Old majority {1,2} at 9, new majority {4,5} only at 2.
  EXPECT_EQ(joint.committed_index({{1, 9}, {2, 9}, {3, 1}, {4, 2}, {5, 2}}), 2u);
  EXPECT_EQ(joint.vote_result({{1, true}, {2, true}}), VoteResult::pending);
  EXPECT_EQ(joint.vote_result({{1, true}, {2, true}, {4, true}, {5, true}}), VoteResult::won);
  EXPECT_EQ(joint.vote_result({{1, true}, {2, true}, {4, false}, {5, false}}), VoteResult::lost);
}

TEST(JointConfig, WithoutOutgoingHalfIsTheIncomingMajority) {
  const JointConfig plain(MajorityConfig({1, 2, 3}));
  EXPECT_FALSE(plain.joint());
  EXPECT_EQ(plain.committed_index({{1, 7}, {2, 5}, {3, 4}}), 5u);
  EXPECT_EQ(plain.vote_result({{1, true}, {3, true}}), VoteResult::won);
}

// The committed index is the largest i such that a majority has match >= i.
RC_GTEST_PROP(MajorityConfigProperty, CommittedIndexMatchesDefinition,
              (const std::vector<std::uint8_t>& raw_matches)) {
  RC_PRE(!raw_matches.empty() && raw_matches.size() <= 9);
  std::vector<NodeId> voters;
  MatchMap matches;
  for (std::size_t i = 0; i < raw_matches.size(); ++i) {
    voters.push_back(i + 1);
    matches[i + 1] = raw_matches[i];
  }
  const MajorityConfig config(voters);
  const Index committed = config.committed_index(matches);
  auto replicated_on = [&](Index index) {
    return static_cast<std::size_t>(std::count_if(
        matches.begin(), matches.end(), [&](const auto& m) { return m.second >= index; }));
  };
  RC_ASSERT(replicated_on(committed) >= config.quorum_size());
  RC_ASSERT(replicated_on(committed + 1) < config.quorum_size());
}

}  // namespace
}  // namespace faultline::raft
