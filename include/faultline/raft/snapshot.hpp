// Snapshot: the application's state machine at one log index, and the log
// position and membership it stands for.
//
// What it is: what log compaction (thesis §5) leaves in place of the entries
// up to metadata.index. The application makes one after applying that index
// (MemoryStorage::create_snapshot), the storage then drops the covered
// entries (compact), and a leader sends it to a follower that needs an entry
// no longer held (MessageType::install_snapshot). A follower that installs
// one hands it to its driver in Ready::snapshot: persist it, then load `data`
// into the state machine before applying any later entry.
//
//   Snapshot snapshot{.metadata = {.index = 9, .term = 3, .conf_state = {.voters = {1, 2, 3}}},
//                     .data = serialize(state_machine)};
//
// `data` is opaque to the core. The runtime may ship it in chunks; the core
// sees one message with the whole value.
//
// Thread-safety: a plain value.
#pragma once

#include "faultline/raft/conf_state.hpp"
#include "faultline/raft/types.hpp"

namespace faultline::raft {

struct SnapshotMetadata {
  // The last entry the snapshot covers, and its term: the log continues at
  // index + 1, and term answers the consistency check at index (§5.3).
  Index index = 0;
  Term term = 0;
  // The membership as of index: a node restored from the snapshot takes its
  // voters from here.
  ConfState conf_state{};

  friend bool operator==(const SnapshotMetadata&, const SnapshotMetadata&) = default;
};

struct Snapshot {
  SnapshotMetadata metadata{};
  Bytes data{};

  // An empty snapshot (index 0) is what a storage that never compacted holds.
  [[nodiscard]] bool empty() const noexcept { return metadata.index == 0; }

  friend bool operator==(const Snapshot&, const Snapshot&) = default;
};

}  // namespace faultline::raft
