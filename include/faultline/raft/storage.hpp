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
// Errors: a failing Storage read means the node cannot go on safely; the
// core asserts rather than guessing (as etcd panics). Compaction (snapshots)
// is not built yet: first_index() stays 1 in MemoryStorage.
//
// Thread-safety: the core calls it from its one thread; MemoryStorage is not
// synchronized.
#pragma once

#include <cstddef>
#include <span>
#include <vector>

#include "faultline/core/result.hpp"
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
  // The term at index, for index in [first_index() - 1, last_index()];
  // out_of_range outside it.
  [[nodiscard]] virtual Result<Term> term(Index index) const = 0;
  // Entries in [low, high), stopping once max_bytes is exceeded but always
  // returning at least one entry. Precondition: first_index() <= low <= high
  // <= last_index() + 1.
  [[nodiscard]] virtual Result<std::vector<Entry>> entries(Index low, Index high,
                                                           std::size_t max_bytes) const = 0;
};

class MemoryStorage final : public Storage {
 public:
  MemoryStorage() = default;

  [[nodiscard]] HardState hard_state() const override { return hard_state_; }
  [[nodiscard]] Index first_index() const override { return 1; }
  [[nodiscard]] Index last_index() const override { return entries_.size(); }
  [[nodiscard]] Result<Term> term(Index index) const override;
  [[nodiscard]] Result<std::vector<Entry>> entries(Index low, Index high,
                                                   std::size_t max_bytes) const override;

  void set_hard_state(const HardState& state) { hard_state_ = state; }
  // Appends entries, first truncating any stored suffix they replace.
  // Precondition: contiguous, and entries.front().index <= last_index() + 1.
  void append(std::span<const Entry> entries);
  [[nodiscard]] const std::vector<Entry>& all_entries() const noexcept { return entries_; }

 private:
  HardState hard_state_;
  std::vector<Entry> entries_;  // invariant: entries_[i].index == i + 1
};

}  // namespace faultline::raft
