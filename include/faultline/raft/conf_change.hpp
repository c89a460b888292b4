// ConfChange: a request to change a cluster's membership, and its bytes in a
// config-change log entry.
//
// What it is: a batch of single changes (add or remove a voter, add or remove
// a learner, promote a learner to voter) that Raft::propose_conf_change()
// appends to the log as one EntryType::config_change entry. A batch that
// changes the voters by at most one node is applied directly (a "simple"
// change, thesis §4.1); anything larger goes through joint consensus (thesis
// §4.3): the cluster first moves to a joint configuration (old and new voters
// both needed for every decision), then the leader proposes an empty
// ConfChange that leaves it. conf_changer.hpp holds the rules.
//
// When to use it: to grow, shrink or reshape a running cluster. Add a new
// node as a learner first, let it catch up, then promote it, so the cluster
// never waits on a voter with an empty log.
//
//   ConfChange grow{.changes = {{ConfChangeType::add_learner, 4}}};
//   Bytes data = encode_conf_change(grow);
//   Result<ConfChange> back = decode_conf_change(data);   // invalid_argument on bad bytes
//
// The encoding is compact and versioned: a version byte, a transition byte, a
// LEB128 count, then per change a type byte and a LEB128 node id; no trailing
// bytes. Decoding is bounded (kMaxConfChanges) and never trusts a length.
//
// Thread-safety: plain values and pure functions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "faultline/core/result.hpp"
#include "faultline/raft/types.hpp"

namespace faultline::raft {

enum class ConfChangeType : std::uint8_t {
  add_voter,        // a new node joins as a voter (prefer add_learner + promote_learner)
  remove_voter,     // a voter leaves the cluster (may be the leader itself)
  add_learner,      // a new node joins without a vote and catches up
  remove_learner,   // a learner leaves the cluster
  promote_learner,  // a learner becomes a voter
};

[[nodiscard]] std::string_view conf_change_type_name(ConfChangeType type) noexcept;

// How a batch is carried out.
enum class ConfChangeTransition : std::uint8_t {
  // A simple change when the voters change by at most one node, otherwise a
  // joint change that the leader leaves automatically.
  automatic,
  // Always through a joint configuration, left automatically.
  joint,
};

struct ConfChangeSingle {
  ConfChangeType type = ConfChangeType::add_voter;
  NodeId node = kNoNode;
  friend bool operator==(const ConfChangeSingle&, const ConfChangeSingle&) = default;
};

// No changes at all means "leave the joint configuration".
struct ConfChange {
  std::vector<ConfChangeSingle> changes{};
  ConfChangeTransition transition = ConfChangeTransition::automatic;

  [[nodiscard]] bool leaves_joint() const noexcept { return changes.empty(); }
  friend bool operator==(const ConfChange&, const ConfChange&) = default;
};

// The most single changes one ConfChange may carry (bounds what a decoder
// allocates for a peer's bytes).
inline constexpr std::size_t kMaxConfChanges = 64;

[[nodiscard]] Bytes encode_conf_change(const ConfChange& change);
// invalid_argument for anything encode_conf_change() could not have produced:
// wrong version, unknown type or transition, node id 0 or over 64 bits, a
// padded (non-minimal) varint, more than kMaxConfChanges, truncated or
// trailing bytes.
[[nodiscard]] Result<ConfChange> decode_conf_change(const Bytes& data);

}  // namespace faultline::raft
