// VersionVector: causality among a changing set of nodes, sparse.
//
// A map from node id to the number of events (writes) from that node this
// version has seen; nodes absent from the map count as zero. Compare and
// merge work as for a vector clock, but the set of nodes is open: any
// 64-bit id (or a name through node_id_from_name) can appear, and retired
// nodes can be forgotten. Entries live in a vector sorted by node id, so
// compare and merge are one linear walk and a few entries fit a cache line.
//
// Each entry also records when it last changed (wall-clock milliseconds,
// optional), so that a vector which grew too large can be pruned by age and
// count, as Riak prunes its vclocks. Pruning forgets history: a pruned
// vector can compare "before" or "concurrent" with a version it in fact
// descends from. Bound the vector with that trade-off in mind, and prefer
// forget() of nodes known to be retired.
//
//   VersionVector mine, theirs;
//   mine.increment(node_id_from_name("kv-1"));      // a write on kv-1
//   theirs.increment(node_id_from_name("kv-2"));    // another on kv-2
//   compare(mine, theirs) == CausalOrder::concurrent  // keep both
//   mine.merge(theirs);                               // now after both
//
// Thread-safety: a value type; one object is not synchronized.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "faultline/clocks/causal_order.hpp"
#include "faultline/clocks/node_id.hpp"

namespace faultline::clocks {

// Calendar milliseconds; the epoch (zero) means "not recorded".
using WallMillis = std::chrono::sys_time<std::chrono::milliseconds>;

struct VersionEntry {
  NodeId node = 0;
  std::uint64_t counter = 0;  // >= 1: an entry at zero is simply absent
  WallMillis touched{};       // when counter last grew; epoch if unknown

  friend bool operator==(const VersionEntry&, const VersionEntry&) = default;
};

struct PruneConfig {
  std::size_t entries_max = 64;                          // keep at most this many
  std::chrono::milliseconds age_max = std::chrono::hours(24 * 7);  // drop older entries
};

class VersionVector {
 public:
  // Bounds what a decoder will allocate for a peer's vector.
  static constexpr std::size_t kEntriesMax = 4096;

  VersionVector() = default;
  // Builds from entries in any order. Preconditions: distinct nodes,
  // counters >= 1, at most kEntriesMax entries.
  explicit VersionVector(std::vector<VersionEntry> entries);

  // The node's counter + 1 (adding the node at 1); returns the new value.
  // `touched` stamps the entry for pruning by age.
  std::uint64_t increment(NodeId node, WallMillis touched = {});

  // Entry-wise max of counters (and of touched times). Allocates only when
  // `other` names nodes this vector lacks.
  void merge(const VersionVector& other);

  // Drops a retired node's entry; returns whether it was there.
  bool forget(NodeId node) noexcept;

  // Drops entries touched before now - age_max (entries never stamped are
  // kept), then the least recently touched until at most entries_max
  // remain. Returns how many were dropped. See the header note: this
  // forgets history on purpose.
  std::size_t prune(const PruneConfig& config, WallMillis now);

  [[nodiscard]] std::uint64_t counter(NodeId node) const noexcept;
  [[nodiscard]] std::size_t size() const noexcept { return entries_.size(); }
  [[nodiscard]] bool empty() const noexcept { return entries_.empty(); }
  // Sorted by node id, counters >= 1.
  [[nodiscard]] std::span<const VersionEntry> entries() const noexcept { return entries_; }

  // Value equality, touched times included. For "same causal history" ask
  // compare(a, b) == CausalOrder::equal, which looks at counters only.
  friend bool operator==(const VersionVector&, const VersionVector&) = default;

 private:
  void check_invariants() const noexcept;
  std::vector<VersionEntry> entries_;
};

[[nodiscard]] CausalOrder compare(const VersionVector& a, const VersionVector& b) noexcept;
// compare(a, b) == before.
[[nodiscard]] bool happened_before(const VersionVector& a, const VersionVector& b) noexcept;
// a has seen everything b has: compare(a, b) is after or equal.
[[nodiscard]] bool descends(const VersionVector& a, const VersionVector& b) noexcept;
[[nodiscard]] VersionVector merged(VersionVector a, const VersionVector& b);

}  // namespace faultline::clocks
