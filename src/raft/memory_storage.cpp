#include "faultline/core/assert.hpp"
#include "faultline/raft/storage.hpp"

namespace faultline::raft {

Result<Term> MemoryStorage::term(Index index) const {
  if (index == 0) return Term{0};
  if (index > last_index()) return Status::out_of_range("index beyond the stored log");
  return entries_[index - 1].term;
}

Result<std::vector<Entry>> MemoryStorage::entries(Index low, Index high,
                                                  std::size_t max_bytes) const {
  if (low < first_index() || high > last_index() + 1 || low > high) {
    return Status::out_of_range("entries outside the stored log");
  }
  std::vector<Entry> out;
  std::size_t bytes = 0;
  for (Index index = low; index < high; ++index) {
    const Entry& entry = entries_[index - 1];
    bytes += entry_size_bytes(entry);
    if (!out.empty() && bytes > max_bytes) break;
    out.push_back(entry);
  }
  return out;
}

void MemoryStorage::append(std::span<const Entry> entries) {
  if (entries.empty()) return;
  const Index first = entries.front().index;
  FAULTLINE_ASSERT(first >= 1 && first <= last_index() + 1, "append leaves a gap in storage");
  entries_.resize(first - 1);
  for (const Entry& entry : entries) {
    FAULTLINE_ASSERT(entry.index == entries_.size() + 1, "stored entries are contiguous");
    entries_.push_back(entry);
  }
}

}  // namespace faultline::raft
