#include "faultline/raft/read_index_queue.hpp"

#include <algorithm>

#include "faultline/core/assert.hpp"

namespace faultline::raft {

bool ReadIndexQueue::contains(const Bytes& context) const {
  return std::any_of(pending_.begin(), pending_.end(),
                     [&](const PendingRead& read) { return read.context == context; });
}

const Bytes* ReadIndexQueue::newest_context() const {
  return pending_.empty() ? nullptr : &pending_.back().context;
}

void ReadIndexQueue::add(Bytes context, Index read_index, NodeId self) {
  FAULTLINE_ASSERT(!contains(context), "ReadIndex contexts are unique");
  FAULTLINE_ASSERT(pending_.empty() || pending_.back().read_index <= read_index,
                   "read indexes never decrease");
  pending_.push_back({std::move(context), read_index, VoteMap{{self, true}}});
}

std::optional<VoteMap> ReadIndexQueue::record_ack(const Bytes& context, NodeId from) {
  for (PendingRead& read : pending_) {
    if (read.context == context) {
      read.acks.emplace(from, true);
      return read.acks;
    }
  }
  return std::nullopt;
}

std::vector<ReadState> ReadIndexQueue::release_through(const Bytes& context) {
  std::vector<ReadState> released;
  if (!contains(context)) return released;
  while (!pending_.empty()) {
    PendingRead read = std::move(pending_.front());
    pending_.pop_front();
    const bool last = read.context == context;
    released.push_back({read.read_index, std::move(read.context)});
    if (last) break;
  }
  return released;
}

}  // namespace faultline::raft
