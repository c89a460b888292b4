// UnstableLog: the tail of the log the core has accepted but the driver has
// not yet persisted.
//
// Entries arrive here when a leader appends a proposal or a follower accepts
// an append; they leave through Ready::entries and are dropped from here when
// advance() reports them durable (stable_to). Until then they are visible to
// the log (terms, slices for sending) but never count as durable: a leader
// counts its own match only up to what is stable.
//
// A snapshot received from the leader waits here too (restore): it replaces
// the whole log, the unstable entries that follow continue after its index,
// and it leaves through Ready::snapshot, persisted before those entries.
//
//   UnstableLog unstable(/*offset=*/8);          // storage holds 1..7
//   unstable.truncate_and_append(new_entries);   // 8..10, not yet durable
//   unstable.stable_to(10, /*term=*/3);          // the driver persisted them
//
// Thread-safety: not synchronized; owned by the single-threaded core.
#pragma once

#include <optional>
#include <span>
#include <vector>

#include "faultline/raft/snapshot.hpp"
#include "faultline/raft/types.hpp"

namespace faultline::raft {

class UnstableLog {
 public:
  // offset: the index the first unstable entry will have (stable last + 1).
  explicit UnstableLog(Index offset) : offset_(offset) {}

  [[nodiscard]] Index offset() const noexcept { return offset_; }
  [[nodiscard]] const std::vector<Entry>& entries() const noexcept { return entries_; }
  // The snapshot waiting to be persisted, if any.
  [[nodiscard]] const std::optional<Snapshot>& snapshot() const noexcept { return snapshot_; }
  // The pending snapshot's index + 1, when one is pending.
  [[nodiscard]] std::optional<Index> first_index() const noexcept {
    if (!snapshot_) return std::nullopt;
    return snapshot_->metadata.index + 1;
  }
  // The last unstable entry's index, else the pending snapshot's index.
  // Inline, as the two lookups below: the core asks on every input.
  [[nodiscard]] std::optional<Index> last_index() const noexcept {
    if (!entries_.empty()) return entries_.back().index;
    if (snapshot_) return snapshot_->metadata.index;
    return std::nullopt;
  }
  // The term at index when the entry is unstable or is the pending
  // snapshot's last entry; nullopt otherwise.
  [[nodiscard]] std::optional<Term> term(Index index) const noexcept {
    if (snapshot_ && index == snapshot_->metadata.index) return snapshot_->metadata.term;
    if (index < offset_ || index - offset_ >= entries_.size()) return std::nullopt;
    return entries_[index - offset_].term;
  }

  // Appends entries, replacing any unstable suffix from entries.front().index.
  // When that index is below offset() the stable log is being overwritten:
  // the caller has checked it is above the commit index, and the offset
  // moves back so the replacement gets persisted.
  void truncate_and_append(std::span<const Entry> entries);
  // Entries up to (index, term) are durable; drops them if the entry at
  // index still has that term (a newer leader may have replaced it since).
  void stable_to(Index index, Term term);

  // Replaces the whole log by `snapshot`: unstable entries are dropped and
  // the log continues at its index + 1.
  void restore(Snapshot snapshot);
  // The snapshot at `index` is durable; drops it if it is still the pending
  // one (a newer one may have arrived since the Ready was taken).
  void stable_snapshot_to(Index index);

 private:
  Index offset_;
  std::optional<Snapshot> snapshot_;  // invariant: when set, offset_ == its index + 1
  std::vector<Entry> entries_;  // invariant: entries_[i].index == offset_ + i
};

}  // namespace faultline::raft
