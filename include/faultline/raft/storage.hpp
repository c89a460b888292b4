// Storage: the application's durable log, as the Raft core reads it.
//
// The core never writes storage. The driver persists each Ready's hard state
// and entries (ready.hpp) into its storage, then calls Raft::advance(); the
// core reads stable entries back through this interface. MemoryStorage is
// the in-memory implementation for tests and the simulator (where a crash
// keeps exactly what was written to it).
//
//   MemoryStorage storage;
//   storage.append(ready.entries);
//   if (ready.hard_state) storage.set_hard_state(*ready.hard_state);
//
// Compaction (thesis §5): after applying up to some index the application
// records a snapshot there and drops the entries it covers:
//
//   storage.create_snapshot(applied, conf_state, serialize(state_machine));
//   storage.compact(applied);        // first_index() == applied + 1
//
// A follower that receives a snapshot from its leader persists it with
// apply_snapshot(ready.snapshot), which replaces the whole log. Afterwards
// first_index() - 1 is the snapshot's index and term() still answers there.
//
// Errors: the application's calls return a Status for a bad request
// (out_of_range beyond the log; failed_precondition with reason COMPACTED or
// SNAPSHOT_OUT_OF_DATE for an index already compacted or a snapshot older
// than the one held). A failing read the core relies on means the node
// cannot go on safely; the core asserts rather than guessing (as etcd
// panics), except that snapshot() may answer unavailable (a snapshot is
// being written): the leader then tries again at the next heartbeat.
//
// Thread-safety: the core calls it from its one thread; MemoryStorage is not
// synchronized.
#pragma once

#include <cstddef>
#include <span>
#include <vector>

#include "faultline/core/result.hpp"
#include "faultline/raft/snapshot.hpp"
#include "faultline/raft/types.hpp"

namespace faultline::raft {

class Storage {
 public:
  virtual ~Storage() = default;

  // The hard state last persisted (zero for a new node).
  [[nodiscard]] virtual HardState hard_state() const = 0;
  // The first index still held (after compaction, the snapshot index + 1).
  [[nodiscard]] virtual Index first_index() const = 0;
  // The last durable index; first_index() - 1 when empty.
  [[nodiscard]] virtual Index last_index() const = 0;
  // The term at index, for index in [first_index() - 1, last_index()] (at
  // first_index() - 1, the snapshot's term); out_of_range outside it.
  [[nodiscard]] virtual Result<Term> term(Index index) const = 0;
  // Entries in [low, high), stopping once max_bytes is exceeded but always
  // returning at least one entry. Precondition: first_index() <= low <= high
  // <= last_index() + 1.
  [[nodiscard]] virtual Result<std::vector<Entry>> entries(Index low, Index high,
                                                           std::size_t max_bytes) const = 0;
  // The latest snapshot (empty() when none was taken). unavailable when it
  // cannot be produced right now; the core retries later.
  [[nodiscard]] virtual Result<Snapshot> snapshot() const = 0;
};

class MemoryStorage final : public Storage {
 public:
  MemoryStorage() = default;

  [[nodiscard]] HardState hard_state() const override { return hard_state_; }
  [[nodiscard]] Index first_index() const override { return compacted_index_ + 1; }
  [[nodiscard]] Index last_index() const override { return compacted_index_ + entries_.size(); }
  [[nodiscard]] Result<Term> term(Index index) const override;
  [[nodiscard]] Result<std::vector<Entry>> entries(Index low, Index high,
                                                   std::size_t max_bytes) const override;
  [[nodiscard]] Result<Snapshot> snapshot() const override;

  void set_hard_state(const HardState& state) { hard_state_ = state; }
  // Appends entries, first truncating any stored suffix they replace.
  // Precondition: contiguous, and entries.front().index in
  // [first_index(), last_index() + 1].
  void append(std::span<const Entry> entries);
  // The stored entries, first_index() onwards.
  [[nodiscard]] const std::vector<Entry>& all_entries() const noexcept { return entries_; }

  // Records a snapshot of the state machine as of `index` (which the
  // application has applied; only entries at or below the commit index may
  // be covered). invalid_argument when conf_state names no voters (a node
  // restarting from it would not know its cluster); out_of_range beyond
  // last_index(); failed_precondition
  // (SNAPSHOT_OUT_OF_DATE) at or below the snapshot already held. Keeps the
  // entries: compact() drops them.
  [[nodiscard]] Status create_snapshot(Index index, ConfState conf_state, Bytes data);
  // Drops the entries up to and including `index`, which the snapshot must
  // cover: afterwards first_index() == index + 1. failed_precondition
  // (COMPACTED) when already compacted that far, (NOT_IN_SNAPSHOT) beyond the
  // snapshot's index; out_of_range beyond last_index().
  [[nodiscard]] Status compact(Index index);
  // Persists a snapshot received from the leader (Ready::snapshot): the
  // whole log is replaced by it. invalid_argument for an empty snapshot or
  // one that names no voters;
  // failed_precondition (SNAPSHOT_OUT_OF_DATE) when not newer than the
  // snapshot held.
  [[nodiscard]] Status apply_snapshot(Snapshot snapshot);

  // Test hook for the retry path: while set, snapshot() answers unavailable,
  // as a storage still writing its snapshot would.
  void set_snapshot_unavailable(bool unavailable) { snapshot_unavailable_ = unavailable; }

 private:
  HardState hard_state_;
  Snapshot snapshot_;
  // The last dropped entry and its term (0, 0 before any compaction).
  // Invariant: compacted_index_ <= snapshot_.metadata.index.
  Index compacted_index_ = 0;
  Term compacted_term_ = 0;
  std::vector<Entry> entries_;  // invariant: entries_[i].index == compacted_index_ + 1 + i
  bool snapshot_unavailable_ = false;
};

}  // namespace faultline::raft
