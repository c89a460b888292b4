#include "faultline/raft/raft_log.hpp"

#include <gtest/gtest.h>

#include "raft/cluster.hpp"

namespace faultline::raft {
namespace {

using testing::entries_with_terms;

Entry entry(Term term, Index index) { return Entry{term, index, EntryType::normal, {}}; }

TEST(RaftLog, StableAndUnstableFormOneLog) {
  MemoryStorage storage;
  storage.append(entries_with_terms({1, 1, 2}));
  RaftLog log(storage, 0);
  EXPECT_EQ(log.last_index(), 3u);
  EXPECT_EQ(log.stable_last_index(), 3u);
  EXPECT_EQ(log.append(std::vector{entry(3, 4), entry(3, 5)}), 5u);
  EXPECT_EQ(log.stable_last_index(), 3u);
  EXPECT_EQ(log.term(5), 3u);
  EXPECT_EQ(log.term(0), 0u);
  EXPECT_FALSE(log.term(6).has_value());
  EXPECT_EQ(log.slice(2, 6, 10, 1 << 20).size(), 4u);
  EXPECT_EQ(log.slice(2, 6, 2, 1 << 20).size(), 2u);  // entry limit
  log.stable_to(5, 3);
  EXPECT_EQ(log.stable_last_index(), 5u);
  EXPECT_TRUE(log.unstable_entries().empty());
}

TEST(RaftLog, UpToDateComparesLastTermThenLength) {
  MemoryStorage storage;
  storage.append(entries_with_terms({1, 2, 2}));
  const RaftLog log(storage, 0);
  EXPECT_TRUE(log.is_up_to_date(1, 3));   // higher last term wins, shorter or not
  EXPECT_TRUE(log.is_up_to_date(3, 2));   // same term, as long
  EXPECT_FALSE(log.is_up_to_date(2, 2));  // same term, shorter
  EXPECT_FALSE(log.is_up_to_date(9, 1));  // lower last term loses, longer or not
}

TEST(RaftLog, MaybeAppendTruncatesOnlyAConflictingSuffix) {
  MemoryStorage storage;
  storage.append(entries_with_terms({1, 1, 2, 2}));
  RaftLog log(storage, 0);
  // Consistency check fails: no entry (4, term 3).
  EXPECT_FALSE(log.maybe_append(4, 3, 0, std::vector{entry(3, 5)}).has_value());
  // Entries already present: nothing changes (a duplicate append).
  EXPECT_EQ(log.maybe_append(1, 1, 0, std::vector{entry(1, 2), entry(2, 3)}), 3u);
  EXPECT_EQ(log.last_index(), 4u);
  // A conflict at 3 replaces 3 and 4.
  EXPECT_EQ(log.maybe_append(2, 1, 3, std::vector{entry(3, 3)}), 3u);
  EXPECT_EQ(log.last_index(), 3u);
  EXPECT_EQ(log.term(3), 3u);
  EXPECT_EQ(log.committed(), 3u);  // min(leader commit, last new index)
  EXPECT_EQ(log.stable_last_index(), 2u);  // the replacement must be persisted
}

TEST(RaftLog, FindConflictByTermSkipsWholeTerms) {
  MemoryStorage storage;
  // Figure 7's follower (f): 1 1 1 2 2 2 3 3 3 3 3.
  storage.append(entries_with_terms({1, 1, 1, 2, 2, 2, 3, 3, 3, 3, 3}));
  const RaftLog log(storage, 0);
  EXPECT_EQ(log.find_conflict_by_term(10, 6), 10u);  // term 3 <= 6
  EXPECT_EQ(log.find_conflict_by_term(10, 2), 6u);
  EXPECT_EQ(log.find_conflict_by_term(10, 1), 3u);
  EXPECT_EQ(log.find_conflict_by_term(10, 0), 0u);
  EXPECT_EQ(log.find_conflict_by_term(99, 9), 11u);  // capped at the last index
}

TEST(RaftLog, CommittedEntriesAreHandedOutInOrderUpToAByteLimit) {
  MemoryStorage storage;
  storage.append(entries_with_terms({1, 1, 1}));
  storage.set_hard_state(HardState{1, 1, 3});
  RaftLog log(storage, 1);
  EXPECT_EQ(log.committed_entries_after(1, 1 << 20).size(), 2u);
  EXPECT_EQ(log.committed_entries_after(1, 1).size(), 1u);  // at least one
  log.applied_to(3);
  EXPECT_TRUE(log.committed_entries_after(3, 1 << 20).empty());
}

TEST(RaftLogDeathTest, ReplacingACommittedEntryAsserts) {
  MemoryStorage storage;
  storage.append(entries_with_terms({1, 1, 1}));
  storage.set_hard_state(HardState{1, 1, 2});
  RaftLog log(storage, 0);
  EXPECT_DEATH((void)log.maybe_append(1, 1, 2, std::vector{entry(2, 2)}),
               "committed entry would be replaced");
}

}  // namespace
}  // namespace faultline::raft
