#include "faultline/raft/progress.hpp"

#include <gtest/gtest.h>

#include "faultline/raft/inflights.hpp"
#include "faultline/raft/tracker.hpp"

namespace faultline::raft {
namespace {

TEST(Inflights, FullByMessagesOrBytesAndFreedByCumulativeAcks) {
  Inflights window(3, 1000);
  window.add(5, 100);
  window.add(8, 100);
  EXPECT_FALSE(window.full());
  window.add(9, 100);
  EXPECT_TRUE(window.full());
  window.free_up_to(8);
  EXPECT_EQ(window.count(), 1u);
  EXPECT_EQ(window.bytes(), 100u);
  EXPECT_FALSE(window.full());

  Inflights by_bytes(10, 250);
  by_bytes.add(1, 200);
  EXPECT_FALSE(by_bytes.full());
  by_bytes.add(2, 60);
  EXPECT_TRUE(by_bytes.full());
}

TEST(Progress, ProbeSendsOneAppendThenWaits) {
  Progress progress(/*next=*/6, 4, 1 << 20);
  EXPECT_EQ(progress.state(), ProgressState::probe);
  EXPECT_FALSE(progress.paused());
  progress.sent_entries(8, 100);
  EXPECT_TRUE(progress.paused());
  EXPECT_EQ(progress.next(), 6u);  // probe does not advance optimistically
  EXPECT_TRUE(progress.maybe_update(8));
  EXPECT_FALSE(progress.paused());
  EXPECT_EQ(progress.match(), 8u);
  EXPECT_EQ(progress.next(), 9u);
}

TEST(Progress, ReplicatePipelinesUntilTheWindowIsFull) {
  Progress progress(1, /*max_inflight_messages=*/2, 1 << 20);
  progress.become_replicate();
  progress.sent_entries(3, 10);
  EXPECT_EQ(progress.next(), 4u);
  progress.sent_entries(5, 10);
  EXPECT_TRUE(progress.paused());
  EXPECT_TRUE(progress.maybe_update(3));
  EXPECT_FALSE(progress.paused());
  progress.heard_heartbeat_response();
  EXPECT_EQ(progress.inflights().count(), 1u);
}

TEST(Progress, RejectionsMoveNextBackButNeverBelowMatch) {
  Progress progress(11, 4, 1 << 20);
  EXPECT_FALSE(progress.maybe_decrease_to(/*rejected=*/7, 3));  // not our outstanding probe
  EXPECT_TRUE(progress.maybe_decrease_to(/*rejected=*/10, /*match_hint=*/4));
  EXPECT_EQ(progress.next(), 5u);

  Progress replicating(1, 4, 1 << 20);
  ASSERT_TRUE(replicating.maybe_update(6));
  replicating.become_replicate();
  replicating.sent_entries(9, 10);
  EXPECT_FALSE(replicating.maybe_decrease_to(5, 0));  // stale: 5 <= match
  EXPECT_TRUE(replicating.maybe_decrease_to(8, 0));
  EXPECT_EQ(replicating.next(), 7u);
}

TEST(ProgressTracker, CommitsWhatAQuorumHoldsAndTalliesVotesOnce) {
  ProgressTracker tracker(JointConfig(MajorityConfig({1, 2, 3})), FlowControlLimits{4, 1 << 20});
  tracker.reset_progress(/*last_index=*/9);
  EXPECT_EQ(tracker.progress(2).next(), 10u);
  EXPECT_EQ(tracker.committed_index(), 0u);
  (void)tracker.progress(1).maybe_update(9);
  (void)tracker.progress(3).maybe_update(7);
  EXPECT_EQ(tracker.committed_index(), 7u);

  tracker.record_vote(1, true);
  tracker.record_vote(2, false);
  tracker.record_vote(2, true);  // a second answer does not count
  EXPECT_EQ(tracker.tally_votes(), VoteResult::pending);
  tracker.record_vote(3, true);
  EXPECT_EQ(tracker.tally_votes(), VoteResult::won);
}

TEST(ProgressTracker, QuorumRecentlyActiveCountsTheLeaderItself) {
  ProgressTracker tracker(JointConfig(MajorityConfig({1, 2, 3})), FlowControlLimits{4, 1 << 20});
  tracker.reset_recent_active(/*self=*/1);
  EXPECT_FALSE(tracker.quorum_recently_active(1));
  tracker.progress(3).set_recent_active(true);
  EXPECT_TRUE(tracker.quorum_recently_active(1));
  tracker.reset_recent_active(1);
  EXPECT_FALSE(tracker.quorum_recently_active(1));
}

}  // namespace
}  // namespace faultline::raft
