#include "faultline/raft/inflights.hpp"

#include "faultline/core/assert.hpp"

namespace faultline::raft {

Inflights::Inflights(std::size_t max_messages, std::size_t max_bytes)
    : max_messages_(max_messages), max_bytes_(max_bytes) {
  FAULTLINE_ASSERT(max_messages >= 1, "the inflight window holds at least one message");
  FAULTLINE_ASSERT(max_bytes >= 1, "the inflight window holds at least one byte");
}

void Inflights::add(Index last_index, std::size_t bytes) {
  FAULTLINE_ASSERT(!full(), "add to a full inflight window");
  FAULTLINE_ASSERT(window_.empty() || window_.back().last_index < last_index,
                   "inflight appends are sent in log order");
  window_.push_back({last_index, bytes});
  bytes_ += bytes;
}

void Inflights::free_up_to(Index index) {
  while (!window_.empty() && window_.front().last_index <= index) free_first();
}

void Inflights::free_first() {
  if (window_.empty()) return;
  FAULTLINE_ASSERT(bytes_ >= window_.front().bytes, "inflight byte count underflow");
  bytes_ -= window_.front().bytes;
  window_.pop_front();
}

void Inflights::reset() {
  window_.clear();
  bytes_ = 0;
}

bool Inflights::full() const noexcept {
  return window_.size() >= max_messages_ || bytes_ >= max_bytes_;
}

}  // namespace faultline::raft
