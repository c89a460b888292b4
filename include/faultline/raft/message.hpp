// Message: the one envelope every Raft RPC and reply travels in.
//
// The core emits Message values in a Ready (ready.hpp) and takes them back in
// Raft::step(). One flat struct, as in etcd's raftpb.Message, keeps the wire
// format (protobuf, later) and the simulator's network simple; each field's
// meaning per type is documented below.
//
//   Message m{.type = MessageType::append, .from = 1, .to = 2, .term = 5,
//             .log_term = 4, .index = 9, .entries = {...}, .commit = 8};
//
// Thread-safety: a plain value.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "faultline/raft/snapshot.hpp"
#include "faultline/raft/types.hpp"

namespace faultline::raft {

enum class MessageType : std::uint8_t {
  vote,                // RequestVote (§5.2): index/log_term = candidate's last entry
  vote_response,       // reject = vote refused
  pre_vote,            // thesis §9.6: term = the term the sender would campaign in
  pre_vote_response,   // term = the term asked about when granted; our term when refused
  append,              // AppendEntries (§5.3): index/log_term = the entry preceding `entries`
  append_response,     // success: index = last matching index; reject: index = the rejected
                       // prev index, reject_hint_{index,term} = the conflict hint
  heartbeat,           // an empty AppendEntries without the consistency check; commit is
                       // capped at the follower's match; context = a ReadIndex round (§6.4)
  heartbeat_response,  // context echoed
  timeout_now,         // leadership transfer (thesis §3.10): campaign now, skipping PreVote
  install_snapshot,    // thesis §5: `snapshot` replaces the follower's log up to its index;
                       // answered by an append_response (index = the snapshot's index, or
                       // the follower's commit when the snapshot was stale)
};

[[nodiscard]] std::string_view message_type_name(MessageType type) noexcept;

struct Message {
  MessageType type = MessageType::heartbeat;
  NodeId from = kNoNode;
  NodeId to = kNoNode;
  Term term = 0;       // the sender's term (see pre_vote for the exception)
  Term log_term = 0;   // the term of the entry at `index`
  Index index = 0;
  std::vector<Entry> entries{};  // append only; contiguous, starting at index + 1
  Index commit = 0;            // the leader's commit index (append, heartbeat)
  bool reject = false;
  // vote: the campaign answers a timeout_now (thesis §3.10), so voters set
  // their leader lease aside for it.
  bool leader_transfer = false;
  // Fast backtracking (paper §5.3, the optimization after figure 7): on a
  // rejected append the follower names the largest index <= the rejected one
  // whose term <= the leader's log_term there, and that entry's term, so the
  // leader skips a whole conflicting term per round trip.
  Index reject_hint_index = 0;
  Term reject_hint_term = 0;
  Bytes context{};  // ReadIndex round id carried by heartbeats and echoed back
  // install_snapshot only; empty elsewhere. A plain value rather than an
  // optional: GCC 12 warns (maybe-uninitialized) on optional members of
  // designated-initialized messages under the sanitizers.
  Snapshot snapshot{};
  // heartbeat: the leader's lease clock (its ticks) when sent; echoed in the
  // heartbeat_response, so the leader knows how fresh an ack is (lease reads).
  std::uint64_t lease_tick = 0;

  friend bool operator==(const Message&, const Message&) = default;
};

}  // namespace faultline::raft
