#include "faultline/core/assert.hpp"
#include "faultline/raft/conf_changer.hpp"
#include "faultline/raft/storage.hpp"

namespace faultline::raft {

Result<Term> MemoryStorage::term(Index index) const {
  if (index < compacted_index_) {
    return Status::out_of_range("index compacted into the snapshot").with_reason("COMPACTED");
  }
  if (index == compacted_index_) return compacted_term_;
  if (index > last_index()) return Status::out_of_range("index beyond the stored log");
  return entries_[index - compacted_index_ - 1].term;
}

Result<std::vector<Entry>> MemoryStorage::entries(Index low, Index high,
                                                  std::size_t max_bytes) const {
  if (low < first_index()) {
    return Status::out_of_range("entries compacted into the snapshot").with_reason("COMPACTED");
  }
  if (high > last_index() + 1 || low > high) {
    return Status::out_of_range("entries outside the stored log");
  }
  std::vector<Entry> out;
  std::size_t bytes = 0;
  for (Index index = low; index < high; ++index) {
    const Entry& entry = entries_[index - compacted_index_ - 1];
    bytes += entry_size_bytes(entry);
    if (!out.empty() && bytes > max_bytes) break;
    out.push_back(entry);
  }
  return out;
}

Result<Snapshot> MemoryStorage::snapshot() const {
  if (snapshot_unavailable_) {
    return Status::unavailable("snapshot is being written").with_reason("SNAPSHOT_UNAVAILABLE");
  }
  return snapshot_;
}

void MemoryStorage::append(std::span<const Entry> entries) {
  if (entries.empty()) return;
  const Index first = entries.front().index;
  FAULTLINE_ASSERT(first >= first_index() && first <= last_index() + 1,
                   "append leaves a gap in storage or rewrites compacted entries");
  entries_.resize(first - first_index());
  for (const Entry& entry : entries) {
    FAULTLINE_ASSERT(entry.index == last_index() + 1, "stored entries are contiguous");
    entries_.push_back(entry);
  }
}

Status MemoryStorage::create_snapshot(Index index, ConfState conf_state, Bytes data) {
  if (conf_state.voters.empty()) return Status::invalid_argument("a snapshot names its voters");
  // The core installs it as its configuration on restart.
  if (!is_valid_conf_state(conf_state)) {
    return Status::invalid_argument("a snapshot's configuration is malformed");
  }
  if (index <= snapshot_.metadata.index) {
    return Status::failed_precondition("a snapshot at or beyond this index is already held")
        .with_reason("SNAPSHOT_OUT_OF_DATE");
  }
  if (index > last_index()) return Status::out_of_range("snapshot index beyond the stored log");
  Result<Term> term = this->term(index);
  FAULTLINE_ASSERT(term.ok(), "an index between the snapshot and the last entry has a term");
  snapshot_ = Snapshot{
      .metadata = {.index = index, .term = *term, .conf_state = std::move(conf_state)},
      .data = std::move(data)};
  return Status();
}

Status MemoryStorage::compact(Index index) {
  if (index <= compacted_index_) {
    return Status::failed_precondition("already compacted up to this index")
        .with_reason("COMPACTED");
  }
  if (index > last_index()) return Status::out_of_range("compaction beyond the stored log");
  if (index > snapshot_.metadata.index) {
    // Dropping entries no snapshot covers would leave a lagging follower with
    // nothing to catch up from.
    return Status::failed_precondition("compaction beyond the snapshot index")
        .with_reason("NOT_IN_SNAPSHOT");
  }
  Result<Term> term = this->term(index);
  FAULTLINE_ASSERT(term.ok(), "a stored index has a term");
  const auto dropped = static_cast<std::ptrdiff_t>(index - compacted_index_);
  entries_.erase(entries_.begin(), entries_.begin() + dropped);
  compacted_index_ = index;
  compacted_term_ = *term;
  return Status();
}

Status MemoryStorage::apply_snapshot(Snapshot snapshot) {
  if (snapshot.empty()) return Status::invalid_argument("apply an empty snapshot");
  if (snapshot.metadata.conf_state.voters.empty()) {
    return Status::invalid_argument("a snapshot names its voters");
  }
  if (!is_valid_conf_state(snapshot.metadata.conf_state)) {
    return Status::invalid_argument("a snapshot's configuration is malformed");
  }
  if (snapshot.metadata.index <= snapshot_.metadata.index) {
    return Status::failed_precondition("the snapshot held is as new or newer")
        .with_reason("SNAPSHOT_OUT_OF_DATE");
  }
  // The core installs a snapshot only when the log does not already hold
  // its last entry, so nothing after it can be kept.
  entries_.clear();
  compacted_index_ = snapshot.metadata.index;
  compacted_term_ = snapshot.metadata.term;
  snapshot_ = std::move(snapshot);
  return Status();
}

}  // namespace faultline::raft
