// ProgressTracker across configuration changes: who keeps progress, and that
// learners never count toward commitment, elections or CheckQuorum.
#include <gtest/gtest.h>

#include "faultline/raft/tracker.hpp"

namespace faultline::raft {
namespace {

ProgressTracker three_voters() {
  ProgressTracker tracker(JointConfig(MajorityConfig({1, 2, 3})), FlowControlLimits{});
  tracker.reset_progress(/*last_index=*/10);
  return tracker;
}

TEST(TrackerMembership, MembersThatStayKeepTheirProgressNewOnesProbeDepartedOnesAreForgotten) {
  ProgressTracker tracker = three_voters();
  ASSERT_TRUE(tracker.progress(2).maybe_update(8));
  tracker.apply_conf_state(ConfState{.voters = {1, 2}, .learners = {4}}, /*last_index=*/12);
  EXPECT_EQ(tracker.members(), (std::vector<NodeId>{1, 2, 4}));
  EXPECT_EQ(tracker.voters(), (std::vector<NodeId>{1, 2}));
  EXPECT_EQ(tracker.progress(2).match(), 8u);
  EXPECT_EQ(tracker.progress(4).match(), 0u);
  EXPECT_EQ(tracker.progress(4).next(), 13u);
  EXPECT_EQ(tracker.progress(4).state(), ProgressState::probe);
  EXPECT_FALSE(tracker.has_progress(3));
  EXPECT_TRUE(tracker.is_learner(4));
  EXPECT_FALSE(tracker.is_voter(4));
  EXPECT_EQ(tracker.conf_state(), (ConfState{.voters = {1, 2}, .learners = {4}}));
}

TEST(TrackerMembership, LearnersNeverCountTowardCommitVotesOrCheckQuorum) {
  ProgressTracker tracker = three_voters();
  tracker.apply_conf_state(ConfState{.voters = {1, 2, 3}, .learners = {4, 5}}, 10);
  // Only voter 1 and the two learners hold index 9: not a majority of voters.
  ASSERT_TRUE(tracker.progress(1).maybe_update(9));
  ASSERT_TRUE(tracker.progress(4).maybe_update(9));
  ASSERT_TRUE(tracker.progress(5).maybe_update(9));
  EXPECT_EQ(tracker.committed_index(), 0u);
  ASSERT_TRUE(tracker.progress(2).maybe_update(9));
  EXPECT_EQ(tracker.committed_index(), 9u);

  tracker.reset_votes();
  tracker.record_vote(1, true);
  tracker.record_vote(4, true);
  tracker.record_vote(5, true);
  EXPECT_EQ(tracker.tally_votes(), VoteResult::pending);

  tracker.reset_recent_active(/*self=*/1);
  tracker.progress(4).set_recent_active(true);
  tracker.progress(5).set_recent_active(true);
  EXPECT_FALSE(tracker.quorum_recently_active(1));
}

TEST(TrackerMembership, AJointConfigurationNeedsAMajorityOfEachHalf) {
  ProgressTracker tracker = three_voters();
  tracker.apply_conf_state(ConfState{.voters = {1, 4, 5}, .voters_outgoing = {1, 2, 3}}, 10);
  EXPECT_EQ(tracker.voters(), (std::vector<NodeId>{1, 2, 3, 4, 5}));
  ASSERT_TRUE(tracker.progress(1).maybe_update(9));
  ASSERT_TRUE(tracker.progress(4).maybe_update(9));
  ASSERT_TRUE(tracker.progress(5).maybe_update(9));
  EXPECT_EQ(tracker.committed_index(), 0u);  // the old half has only 1
  ASSERT_TRUE(tracker.progress(2).maybe_update(9));
  EXPECT_EQ(tracker.committed_index(), 9u);
  // Members just added count as recently active for the current window (they
  // had no chance to answer yet), so adding voters does not make CheckQuorum
  // depose a healthy leader; the old half still needs its own majority.
  EXPECT_TRUE(tracker.progress(4).recent_active());
  EXPECT_TRUE(tracker.progress(5).recent_active());
  EXPECT_FALSE(tracker.quorum_recently_active(1));
  tracker.progress(2).set_recent_active(true);
  EXPECT_TRUE(tracker.quorum_recently_active(1));
}

}  // namespace
}  // namespace faultline::raft
