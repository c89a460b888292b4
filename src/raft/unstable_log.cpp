#include "faultline/raft/unstable_log.hpp"

#include "faultline/core/assert.hpp"

namespace faultline::raft {

void UnstableLog::truncate_and_append(std::span<const Entry> entries) {
  if (entries.empty()) return;
  const Index first = entries.front().index;
  if (first <= offset_) {
    // A pending snapshot is never overwritten: the log checks entries go
    // above the commit index, which a restored snapshot set to its index.
    FAULTLINE_ASSERT(!snapshot_ || first > snapshot_->metadata.index,
                     "entries overwrite a pending snapshot");
    // Replaces everything unstable, and possibly a stable suffix too.
    offset_ = first;
    entries_.clear();
  } else {
    FAULTLINE_ASSERT(first <= offset_ + entries_.size(), "unstable append leaves a gap");
    entries_.resize(first - offset_);
  }
  for (const Entry& entry : entries) {
    FAULTLINE_ASSERT(entry.index == offset_ + entries_.size(), "unstable entries are contiguous");
    entries_.push_back(entry);
  }
}

void UnstableLog::stable_to(Index index, Term term) {
  const std::optional<Term> held = this->term(index);
  if (!held || *held != term) return;  // replaced since the Ready was taken
  const std::size_t durable = index - offset_ + 1;
  entries_.erase(entries_.begin(), entries_.begin() + static_cast<std::ptrdiff_t>(durable));
  offset_ = index + 1;
  // Entries after a snapshot are persisted after it, so it is durable too.
  snapshot_.reset();
}

void UnstableLog::restore(Snapshot snapshot) {
  offset_ = snapshot.metadata.index + 1;
  entries_.clear();
  snapshot_ = std::move(snapshot);
}

void UnstableLog::stable_snapshot_to(Index index) {
  if (snapshot_ && snapshot_->metadata.index == index) snapshot_.reset();
}

}  // namespace faultline::raft
