// Raft's vocabulary: node ids, terms, log indexes, entries and the hard state.
//
// Use these types everywhere the Raft core (faultline::raft) talks to its
// driver: the application persists Entry and HardState values, ships Message
// values (message.hpp) and applies committed Entry values.
//
//   Entry entry{.term = 3, .index = 7, .type = EntryType::normal, .data = to_bytes("put x 1")};
//   HardState state{.term = 3, .vote = 2, .commit = 6};
//
// Thread-safety: plain values; distinct objects may be used from distinct
// threads, one object is not synchronized.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace faultline::raft {

// A cluster member's id. 0 is reserved for "no node" (no vote, no leader).
using NodeId = std::uint64_t;
inline constexpr NodeId kNoNode = 0;

// A term number (Raft paper §5.1): a logical clock; every node's current term
// only grows.
using Term = std::uint64_t;

// A log position, starting at 1. Index 0 is the empty log's sentinel whose
// term is 0, so "the entry before the first" always has a term.
using Index = std::uint64_t;

// Opaque application bytes.
using Bytes = std::vector<std::byte>;

[[nodiscard]] Bytes to_bytes(std::string_view text);
[[nodiscard]] std::string_view as_string_view(const Bytes& bytes) noexcept;

enum class EntryType : std::uint8_t {
  normal,         // an application command
  config_change,  // a membership change: data is an encoded ConfChange (conf_change.hpp)
  noop,           // the entry a new leader appends to commit its term (§8, thesis §6.4)
};

// One log entry. Invariant (log matching, paper §5.3): two logs holding an
// entry with the same index and term are identical up to that index.
struct Entry {
  Term term = 0;
  Index index = 0;
  EntryType type = EntryType::normal;
  Bytes data{};

  friend bool operator==(const Entry&, const Entry&) = default;
};

// The bytes an entry accounts for in batching and flow-control limits: its
// payload plus a fixed header.
[[nodiscard]] std::size_t entry_size_bytes(const Entry& entry) noexcept;

// The state that must be durable before a node answers anyone (paper
// figure 2, "persistent state on all servers"). Invariants: term never
// decreases; vote changes at most once per term; commit never decreases.
struct HardState {
  Term term = 0;
  NodeId vote = kNoNode;
  Index commit = 0;

  friend bool operator==(const HardState&, const HardState&) = default;
};

// A node's role (paper §5.2, PreVote thesis §9.6).
enum class Role : std::uint8_t { follower, pre_candidate, candidate, leader };

[[nodiscard]] std::string_view role_name(Role role) noexcept;

}  // namespace faultline::raft
