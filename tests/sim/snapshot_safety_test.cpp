// The safety monitor across snapshots and compaction: a snapshot must end at
// the entry applied at its index; compacted disks are compared at the right
// offsets; a leader whose log starts after a snapshot is not blamed for the
// entries the snapshot holds, but still for a committed entry it lacks.
#include <gtest/gtest.h>

#include <vector>

#include "faultline/raft/raft_log.hpp"
#include "faultline/sim/safety_monitor.hpp"

namespace faultline::sim {
namespace {

raft::Entry entry(raft::Index index, raft::Term term, const char* data) {
  return raft::Entry{.term = term, .index = index, .data = raft::to_bytes(data)};
}

// Five entries of term 1, "a" .. "e", applied by node 1.
SafetyMonitor monitor_with_five_applied() {
  SafetyMonitor monitor;
  const char* data[] = {"a", "b", "c", "d", "e"};
  for (raft::Index i = 1; i <= 5; ++i) {
    EXPECT_TRUE(monitor.observe_applied(1, entry(i, 1, data[i - 1])).ok());
  }
  return monitor;
}

// A disk holding entries 1..last of term 1 ("a", "b", ...), compacted
// through `compacted` behind a snapshot there.
raft::MemoryStorage disk(raft::Index last, raft::Index compacted) {
  raft::MemoryStorage storage;
  std::vector<raft::Entry> entries;
  for (raft::Index i = 1; i <= last; ++i) {
    const char text[2] = {static_cast<char>('a' + i - 1), '\0'};
    entries.push_back(entry(i, 1, text));
  }
  storage.append(entries);
  storage.set_hard_state({.term = 1, .vote = 1, .commit = last});
  if (compacted > 0) {
    const Status created =
        storage.create_snapshot(compacted, {.voters = {1, 2, 3}}, raft::to_bytes("s"));
    EXPECT_TRUE(created.ok());
    EXPECT_TRUE(storage.compact(compacted).ok());
  }
  return storage;
}

TEST(SnapshotSafety, ASnapshotEndingAtTheAppliedEntryIsAccepted) {
  const SafetyMonitor monitor = monitor_with_five_applied();
  EXPECT_TRUE(monitor.observe_snapshot(2, 3, 1).ok());
  EXPECT_TRUE(monitor.observe_snapshot(2, 5, 1).ok());
}

TEST(SnapshotSafety, ASnapshotOfAnotherTermAtAnAppliedIndexIsAViolation) {
  const SafetyMonitor monitor = monitor_with_five_applied();
  const Status status = monitor.observe_snapshot(2, 4, 2);
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.message().find("state machine safety violated: node 2"), std::string::npos);
  EXPECT_NE(status.message().find("index 4, term 2"), std::string::npos);
}

TEST(SnapshotSafety, ASnapshotBeyondEveryAppliedIndexIsAViolation) {
  const SafetyMonitor monitor = monitor_with_five_applied();
  const Status status = monitor.observe_snapshot(3, 6, 1);
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.message().find("beyond any index a node applied"), std::string::npos);
}

TEST(SnapshotSafety, LogMatchingComparesACompactedDiskAtTheRightIndex) {
  raft::MemoryStorage node1 = disk(6, 3);  // holds 4..6 ("d", "e", "f")
  raft::MemoryStorage node2 = disk(4, 0);
  const std::vector<const raft::MemoryStorage*> disks = {&node1, &node2};
  const SafetyMonitor monitor;
  // Node 2 persists the same entry 5 node 1 holds: fine, although node 1's
  // entries start at index 4.
  const raft::Entry same = entry(5, 1, "e");
  node2.append(std::vector<raft::Entry>{same});
  EXPECT_TRUE(monitor.observe_persisted(2, std::vector<raft::Entry>{same}, disks).ok());
  // The same index and term with other data: caught at the offset.
  const raft::Entry other = entry(6, 1, "zz");
  node2.append(std::vector<raft::Entry>{other});
  const Status status = monitor.observe_persisted(2, std::vector<raft::Entry>{other}, disks);
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.message().find("log matching violated: nodes 2 and 1"), std::string::npos);
}

TEST(SnapshotSafety, ALeaderIsNotBlamedForEntriesItsSnapshotHolds) {
  SafetyMonitor monitor = monitor_with_five_applied();
  const raft::MemoryStorage compacted = disk(5, 4);  // log: 5 only, snapshot at 4
  EXPECT_TRUE(monitor.observe_leader(2, 2, raft::RaftLog(compacted, 4)).ok());
  // A leader whose log (behind its snapshot at 3) ends before index 5.
  SafetyMonitor second = monitor_with_five_applied();
  const raft::MemoryStorage short_log = disk(4, 3);
  const Status status = second.observe_leader(3, 2, raft::RaftLog(short_log, 3));
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.message().find("leader completeness violated: node 3"), std::string::npos);
}

}  // namespace
}  // namespace faultline::sim
