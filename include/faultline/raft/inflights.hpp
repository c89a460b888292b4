// Inflights: the bounded window of append messages sent to one follower and
// not yet acknowledged.
//
// Use it (through Progress) to pipeline AppendEntries (thesis §10.2.1): the
// leader keeps sending while the window has room and stops when it is full
// in messages or in bytes, so a slow follower never makes the leader buffer
// without bound.
//
//   Inflights window(/*max_messages=*/2, /*max_bytes=*/1 << 20);
//   window.add(/*last_index=*/5, /*bytes=*/300);
//   window.free_up_to(5);   // the follower acknowledged index 5
//
// Thread-safety: not synchronized; owned by the single-threaded core.
#pragma once

#include <cstddef>
#include <deque>

#include "faultline/raft/types.hpp"

namespace faultline::raft {

class Inflights {
 public:
  // Preconditions: max_messages >= 1, max_bytes >= 1.
  Inflights(std::size_t max_messages, std::size_t max_bytes);

  // Records one message whose last entry is last_index. Precondition:
  // !full(), and last_index is larger than every index already in flight
  // (messages are sent in log order).
  void add(Index last_index, std::size_t bytes);
  // Frees every message whose last index is <= index (a cumulative ack).
  void free_up_to(Index index);
  // Frees the oldest message (used when a heartbeat reply shows the follower
  // is alive but the ack may have been lost).
  void free_first();
  void reset();

  // Full when max_messages are in flight or max_bytes are reached.
  [[nodiscard]] bool full() const noexcept;
  [[nodiscard]] std::size_t count() const noexcept { return window_.size(); }
  [[nodiscard]] std::size_t bytes() const noexcept { return bytes_; }
  [[nodiscard]] std::size_t max_messages() const noexcept { return max_messages_; }

 private:
  struct InFlight {
    Index last_index;
    std::size_t bytes;
  };
  std::size_t max_messages_;
  std::size_t max_bytes_;
  std::deque<InFlight> window_;  // invariant: size() <= max_messages_, last_index increasing
  std::size_t bytes_ = 0;        // invariant: the sum of window_'s bytes
};

}  // namespace faultline::raft
