// ReadIndexQueue: the leader's pending ReadIndex rounds (thesis §6.4).
//
// A linearizable read without a log write: the leader records its commit
// index as the read index, then confirms it is still leader by a heartbeat
// round that a quorum acknowledges. Requests are answered in arrival order:
// when a quorum acknowledges a round, that round and every earlier one are
// released (an ack of a later heartbeat proves leadership at every earlier
// point too).
//
//   queue.add(context, /*read_index=*/12, /*self=*/1);
//   queue.record_ack(context, 2);   // a heartbeat reply echoing context
//   auto released = queue.release_through(context);
//
// Thread-safety: not synchronized; owned by the single-threaded core.
#pragma once

#include <deque>
#include <map>
#include <optional>
#include <vector>

#include "faultline/raft/quorum.hpp"
#include "faultline/raft/types.hpp"

namespace faultline::raft {

// A read the application may serve once its state machine applied `index`.
struct ReadState {
  Index index = 0;
  Bytes context{};
  friend bool operator==(const ReadState&, const ReadState&) = default;
};

class ReadIndexQueue {
 public:
  [[nodiscard]] bool contains(const Bytes& context) const;
  [[nodiscard]] std::size_t size() const noexcept { return pending_.size(); }
  [[nodiscard]] bool empty() const noexcept { return pending_.empty(); }
  // The newest round's context: heartbeats carry it so a lost round retries.
  [[nodiscard]] const Bytes* newest_context() const;

  // Precondition: !contains(context).
  void add(Bytes context, Index read_index, NodeId self);
  // Records that `from` acknowledged the round; returns its acks, or nullopt
  // for an unknown (already released or stale) context.
  std::optional<VoteMap> record_ack(const Bytes& context, NodeId from);
  // Removes and returns the round with `context` and every earlier one.
  std::vector<ReadState> release_through(const Bytes& context);
  void clear() { pending_.clear(); }

 private:
  struct PendingRead {
    Bytes context;
    Index read_index;
    VoteMap acks;
  };
  std::deque<PendingRead> pending_;  // arrival order
};

}  // namespace faultline::raft
