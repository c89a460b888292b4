// UnstableLog: the tail of the log the core has accepted but the driver has
// not yet persisted.
//
// Entries arrive here when a leader appends a proposal or a follower accepts
// an append; they leave through Ready::entries and are dropped from here when
// advance() reports them durable (stable_to). Until then they are visible to
// the log (terms, slices for sending) but never count as durable: a leader
// counts its own match only up to what is stable.
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

#include "faultline/raft/types.hpp"

namespace faultline::raft {

class UnstableLog {
 public:
  // offset: the index the first unstable entry will have (stable last + 1).
  explicit UnstableLog(Index offset) : offset_(offset) {}

  [[nodiscard]] Index offset() const noexcept { return offset_; }
  [[nodiscard]] const std::vector<Entry>& entries() const noexcept { return entries_; }
  [[nodiscard]] std::optional<Index> last_index() const;
  // The term at index when the entry is unstable; nullopt otherwise.
  [[nodiscard]] std::optional<Term> term(Index index) const;

  // Appends entries, replacing any unstable suffix from entries.front().index.
  // When that index is below offset() the stable log is being overwritten:
  // the caller has checked it is above the commit index, and the offset
  // moves back so the replacement gets persisted.
  void truncate_and_append(std::span<const Entry> entries);
  // Entries up to (index, term) are durable; drops them if the entry at
  // index still has that term (a newer leader may have replaced it since).
  void stable_to(Index index, Term term);

 private:
  Index offset_;
  std::vector<Entry> entries_;  // invariant: entries_[i].index == offset_ + i
};

}  // namespace faultline::raft
