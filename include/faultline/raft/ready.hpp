// Ready: everything the Raft core asks its driver to do, and the order to do
// it in (the etcd Ready/Advance contract, made explicit).
//
// The driver loop:
//
//   while (raft.has_ready()) {
//     Ready ready = raft.ready();
//     send(ready.messages);                      // 1. may go before persisting
//     if (ready.snapshot) storage.apply_snapshot(*ready.snapshot);  // 2. the snapshot first,
//     storage.append(ready.entries);             //    then entries, then
//     if (ready.hard_state) storage.set_hard_state(*ready.hard_state);  //  hard state; fsync
//     send(ready.messages_after_persist);        // 3. only after 2 is durable
//     if (ready.snapshot) load(ready.snapshot->data);  // 4. only after 2 is durable:
//     apply(ready.committed_entries);            //    the snapshot, then entries
//     serve(ready.read_states);                  // once applied up to each index
//     raft.advance(ready);                       // 5. tell the core it is done
//   }
//
// Why two message lists: a leader may send appends before its own entries are
// durable (thesis §10.2.1: it counts itself toward a quorum only once they
// are), but a vote, a vote response, an append acknowledgment or any reply
// states something about durable state ("I voted for you in term 5", "I hold
// entries up to 9"), so it must wait until that state is on disk; a crash in
// between would otherwise let a node vote twice in a term or lose acked
// entries. See docs/raft.md.
//
// A snapshot (installed from the leader) replaces the log: persist it before
// the entries of the same Ready, which continue after its index, and before
// any messages_after_persist (its acknowledgment says "I hold everything up to
// the snapshot's index"). Load its data into the state machine before
// applying any later committed entry; a Ready that carries a snapshot carries
// no committed entries.
//
// Thread-safety: a plain value.
#pragma once

#include <optional>
#include <vector>

#include "faultline/raft/message.hpp"
#include "faultline/raft/read_index_queue.hpp"
#include "faultline/raft/snapshot.hpp"
#include "faultline/raft/types.hpp"

namespace faultline::raft {

// Volatile state, reported when it changes (for logs, metrics, routing).
struct SoftState {
  NodeId leader = kNoNode;
  Role role = Role::follower;
  friend bool operator==(const SoftState&, const SoftState&) = default;
};

struct Ready {
  std::optional<SoftState> soft_state;   // set when leader or role changed
  std::optional<HardState> hard_state;   // set when it must be persisted
  std::optional<Snapshot> snapshot;      // persist first, load before applying entries
  std::vector<Entry> entries;            // append to storage, replacing any suffix from front().index
  std::vector<Message> messages;         // may be sent before persisting
  std::vector<Message> messages_after_persist;  // send only after entries and hard state are durable
  std::vector<Entry> committed_entries;  // apply in order, after persisting
  std::vector<ReadState> read_states;    // answer once applied >= index

  [[nodiscard]] bool empty() const noexcept {
    return !soft_state && !hard_state && !snapshot && entries.empty() && messages.empty() &&
           messages_after_persist.empty() && committed_entries.empty() && read_states.empty();
  }
};

// Whether a message may leave before the sender's Ready is persisted: only a
// leader's outbound replication traffic and a pre-vote request (which changes
// no durable state). Everything else waits.
[[nodiscard]] bool may_send_before_persist(MessageType type) noexcept;

}  // namespace faultline::raft
