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
  InvariantSnapshot after = before;
  after.commit_term = 2;  // as captured from the log
  EXPECT_DEATH(check_transition_invariants(before, after, f.log), "committed entries never change");
}

TEST(InvariantsDeathTest, AnOldCommittedEntryChangingTermAssertsWhenCommitMoves) {
  // Commit moved on, so the old commit's term is looked up in the log.
  InvariantsFixture f;
  InvariantSnapshot before = f.base;
  before.commit = 2;
  before.commit_term = 2;  // the log now holds term 1 there
  InvariantSnapshot after = before;
  after.commit = 3;
  after.commit_term = 2;
  EXPECT_DEATH(check_transition_invariants(before, after, f.log), "committed entries never change");
}

TEST(InvariantsDeathTest, ALeaderTruncatingItsLogAsserts) {
  InvariantsFixture f;
  InvariantSnapshot before = f.base;
  before.last_index = 5;
  EXPECT_DEATH(check_transition_invariants(before, f.base, f.log), "never truncates");
}

TEST(InvariantsDeathTest, ALeaderOverwritingItsLastEntryAsserts) {
  InvariantsFixture f;
  InvariantSnapshot before = f.base;
  before.last_term = 1;  // the log now holds term 2 at the same last index
  EXPECT_DEATH(check_transition_invariants(before, f.base, f.log), "never overwrites");
}

TEST(InvariantsDeathTest, ALeaderOverwritingAnEarlierEntryAsserts) {
  // Its log grew, so the old last index's term is looked up in the log.
  InvariantsFixture f;
  InvariantSnapshot before = f.base;
  before.last_index = 2;
  before.last_term = 2;  // the log now holds term 1 there
  EXPECT_DEATH(check_transition_invariants(before, f.base, f.log), "never overwrites");
}

// The core's own checks reuse term lookups while its log is unchanged;
// they still see a committed entry that changed under it (here the driver
// rewrites it in storage between two inputs) once an input touches the log.
TEST(InvariantsDeathTest, TheCoreCatchesACommittedEntryRewrittenInStorage) {
  auto run = [] {
    MemoryStorage storage;
    storage.append(testing::entries_with_terms({1, 1, 2}));
    storage.set_hard_state(HardState{.term = 2, .vote = 2, .commit = 3});
    Raft raft(testing::make_config(1, {1, 2, 3}), storage, Random(1));
    const Message heartbeat{.type = MessageType::heartbeat, .from = 2, .to = 1, .term = 2,
                            .commit = 3};
    if (!raft.step(heartbeat).ok()) return;  // an input that leaves the log alone
    storage.append(std::vector<Entry>{Entry{3, 3, EntryType::normal, {}}});  // was term 2
    const Message append{.type = MessageType::append, .from = 2, .to = 1, .term = 3,
                         .log_term = 3, .index = 3,
                         .entries = {Entry{3, 4, EntryType::normal, {}}}, .commit = 3};
    (void)raft.step(append);
  };
  EXPECT_DEATH(run(), "committed entries never change");
}

TEST(Invariants, TheCoreAcceptsACommittedEntryPersistedUnchanged) {
  // The control for the test above: the same inputs, storage rewritten with
  // the entry it already held.
  MemoryStorage storage;
  storage.append(testing::entries_with_terms({1, 1, 2}));
  storage.set_hard_state(HardState{.term = 2, .vote = 2, .commit = 3});
  Raft raft(testing::make_config(1, {1, 2, 3}), storage, Random(1));
  const Message heartbeat{.type = MessageType::heartbeat, .from = 2, .to = 1, .term = 2,
                          .commit = 3};
  ASSERT_TRUE(raft.step(heartbeat).ok());
  storage.append(std::vector<Entry>{Entry{2, 3, EntryType::normal, {}}});
  const Message append{.type = MessageType::append, .from = 2, .to = 1, .term = 3,
                       .log_term = 2, .index = 3,
                       .entries = {Entry{3, 4, EntryType::normal, {}}}, .commit = 3};
  ASSERT_TRUE(raft.step(append).ok());
  EXPECT_EQ(raft.log().last_index(), 4u);
  EXPECT_EQ(raft.log().committed(), 3u);
}

TEST(InvariantsDeathTest, CommitBeyondTheLogAsserts) {
  InvariantSnapshot state;
  state.commit = 4;
  state.last_index = 3;
  EXPECT_DEATH(check_state_invariants(state), "commit index <= last log index");
}

}  // namespace
}  // namespace faultline::raft
