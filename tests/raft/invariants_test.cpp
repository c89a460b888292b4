// The core's own invariant checks fire on broken transitions.
#include "faultline/raft/invariants.hpp"

#include <gtest/gtest.h>

#include "raft/cluster.hpp"

namespace faultline::raft {
namespace {

struct InvariantsFixture {
  MemoryStorage storage;
  RaftLog log;
  InvariantSnapshot base;
  InvariantsFixture() : log((storage.append(testing::entries_with_terms({1, 1, 2})), storage), 0) {
    base = InvariantSnapshot{.self = 1, .term = 2, .vote = 1, .leader = 1, .role = Role::leader,
                             .commit = 0, .commit_term = 0, .applied = 0, .last_index = 3,
                             .last_term = 2};
  }
};

TEST(Invariants, AHealthyTransitionPasses) {
  InvariantsFixture f;
  check_state_invariants(f.base);
  InvariantSnapshot after = f.base;
  after.term = 3;
  after.vote = 2;
  after.role = Role::follower;
  after.leader = 2;
  check_transition_invariants(f.base, after, f.log);
}

TEST(InvariantsDeathTest, TermGoingBackwardsAsserts) {
  InvariantsFixture f;
  InvariantSnapshot after = f.base;
  after.term = 1;
  EXPECT_DEATH(check_transition_invariants(f.base, after, f.log), "term never decreases");
}

TEST(InvariantsDeathTest, ASecondVoteInOneTermAsserts) {
  InvariantsFixture f;
  InvariantSnapshot after = f.base;
  after.vote = 3;
  EXPECT_DEATH(check_transition_invariants(f.base, after, f.log), "one vote per term");
}

TEST(InvariantsDeathTest, CommitGoingBackwardsAsserts) {
  InvariantsFixture f;
  InvariantSnapshot before = f.base;
  before.commit = 2;
  before.commit_term = 1;
  InvariantSnapshot after = before;
  after.commit = 1;
  EXPECT_DEATH(check_transition_invariants(before, after, f.log), "commit index never decreases");
}

TEST(InvariantsDeathTest, ACommittedEntryChangingTermAsserts) {
  InvariantsFixture f;
  InvariantSnapshot before = f.base;
  before.commit = 3;
  before.commit_term = 1;  // the log now holds term 2 there
  EXPECT_DEATH(check_transition_invariants(before, before, f.log), "committed entries never change");
}

TEST(InvariantsDeathTest, ALeaderTruncatingItsLogAsserts) {
  InvariantsFixture f;
  InvariantSnapshot before = f.base;
  before.last_index = 5;
  EXPECT_DEATH(check_transition_invariants(before, f.base, f.log), "never truncates");
}

TEST(InvariantsDeathTest, CommitBeyondTheLogAsserts) {
  InvariantSnapshot state;
  state.commit = 4;
  state.last_index = 3;
  EXPECT_DEATH(check_state_invariants(state), "commit index <= last log index");
}

}  // namespace
}  // namespace faultline::raft
