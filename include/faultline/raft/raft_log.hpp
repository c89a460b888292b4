// RaftLog: the whole log as the core sees it — the durable prefix in the
// application's Storage, the unstable tail in memory, and the commit and
// apply positions.
//
// It implements the log rules of paper §5.3 (the consistency check, find the
// first conflict, truncate an uncommitted conflicting suffix), the election
// restriction of §5.4.1 (is_up_to_date), and the fast backtracking hint
// (find_conflict_by_term). It knows nothing of roles or messages.
//
//   RaftLog log(storage);
//   log.append(entries);                         // leader: its own proposals
//   log.maybe_append(prev_index, prev_term, leader_commit, entries);   // follower
//
// After compaction the log starts at first_index() > 1: entries up to
// first_index() - 1 live only in a snapshot, and term(first_index() - 1) is
// the snapshot's term. A snapshot received from the leader (restore) waits in
// the unstable part until the driver persists it.
//
// Invariants (asserted): applied <= committed <= last_index(); committed
// never decreases; an entry at or below committed is never replaced (a
// restored snapshot covers only entries the leader committed).
//
// Thread-safety: not synchronized; owned by the single-threaded core.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "faultline/raft/storage.hpp"
#include "faultline/raft/unstable_log.hpp"

namespace faultline::raft {

class RaftLog {
 public:
  // Starts with committed = storage's hard state commit and applied = `applied`
  // (what the application's state machine already holds), both at least the
  // stored snapshot's index: on restart the application loads its state
  // machine from storage.snapshot() before applying later entries.
  RaftLog(const Storage& storage, Index applied);

  [[nodiscard]] Index first_index() const {
    if (auto first = unstable_.first_index()) return *first;
    return storage_->first_index();
  }
  // The unstable tail ends the log; when empty it starts right after the
  // stable part (or after the pending snapshot, which sets its offset).
  [[nodiscard]] Index last_index() const noexcept {
    return unstable_.offset() + unstable_.entries().size() - 1;
  }
  [[nodiscard]] Term last_term() const { return term_or_zero(last_index()); }
  // The highest index known durable: everything below the unstable tail
  // (nothing while a received snapshot is not yet persisted).
  [[nodiscard]] Index stable_last_index() const noexcept {
    return unstable_.snapshot() ? 0 : unstable_.offset() - 1;
  }
  // The term at index, for index in [first_index() - 1, last_index()].
  [[nodiscard]] std::optional<Term> term(Index index) const;
  // term(index), or 0 outside the log (0 never matches a real entry's term).
  [[nodiscard]] Term term_or_zero(Index index) const { return term(index).value_or(0); }
  [[nodiscard]] bool match_term(Index index, Term term) const;

  // §5.4.1: a candidate's log is at least as up-to-date as ours when its last
  // term is larger, or equal with an index at least as large.
  [[nodiscard]] bool is_up_to_date(Index candidate_last_index, Term candidate_last_term) const;
  // The index of the first entry whose term differs from ours (or that we do
  // not have); 0 when every entry is already in the log.
  [[nodiscard]] Index find_conflict(std::span<const Entry> entries) const;
  // The largest index <= index whose term <= term (0 if none): the fast
  // backtracking hint. Iterative, bounded by index - first_index(). An index
  // at or below first_index() - 1 comes back unchanged (its term may be
  // compacted away; a leader then sends a snapshot).
  [[nodiscard]] Index find_conflict_by_term(Index index, Term term) const;

  // Follower side of AppendEntries (§5.3): if our entry at prev_index has
  // prev_term, append the new entries (truncating a conflicting suffix),
  // advance commit to min(leader_commit, last new index) and return the
  // last new index; otherwise nullopt. Asserts a committed entry is never
  // replaced.
  std::optional<Index> maybe_append(Index prev_index, Term prev_term, Index leader_commit,
                                    std::span<const Entry> entries);
  // Appends entries after a possible truncation; returns the new last index.
  // Precondition: contiguous, first index in (committed, last_index() + 1].
  Index append(std::span<const Entry> entries);

  // Entries in [low, high), at most max_entries and about max_bytes (always at
  // least one when low < high).
  [[nodiscard]] std::vector<Entry> slice(Index low, Index high, std::size_t max_entries,
                                         std::size_t max_bytes) const;
  [[nodiscard]] const std::vector<Entry>& unstable_entries() const noexcept {
    return unstable_.entries();
  }
  void stable_to(Index index, Term term) {
    ++version_;
    unstable_.stable_to(index, term);
  }

  // The received snapshot not yet persisted, if any.
  [[nodiscard]] const std::optional<Snapshot>& unstable_snapshot() const noexcept {
    return unstable_.snapshot();
  }
  // The snapshot to send a follower: the pending one, else storage's. Storage
  // errors (unavailable) are passed on.
  [[nodiscard]] Result<Snapshot> snapshot() const;
  // Replaces the log by a snapshot from the leader; committed moves to its
  // index. Precondition: snapshot index > committed().
  void restore(Snapshot snapshot);
  // The driver persisted the snapshot at index and loaded it into the state
  // machine: applied moves up to it.
  void snapshot_applied(Index index);

  // Changes whenever the log does (any of the mutators below ran): equal
  // versions mean the same entries, terms, commit and applied index, so the
  // core's invariant checks look terms up again only after a change.
  [[nodiscard]] std::uint64_t version() const noexcept { return version_; }

  [[nodiscard]] Index committed() const noexcept { return committed_; }
  [[nodiscard]] Index applied() const noexcept { return applied_; }
  // Precondition: committed() <= index <= last_index().
  void commit_to(Index index);
  // Precondition: applied() <= index <= committed().
  void applied_to(Index index);
  // Committed entries after `after`, up to max_bytes (at least one if any);
  // none while a received snapshot is pending (it is applied first).
  [[nodiscard]] std::vector<Entry> committed_entries_after(Index after, std::size_t max_bytes) const;

 private:
  const Storage* storage_;
  UnstableLog unstable_;
  Index committed_;
  Index applied_;
  std::uint64_t version_ = 0;
};

}  // namespace faultline::raft
