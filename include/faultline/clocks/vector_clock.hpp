// VectorClock: causality among a fixed set of nodes.
//
// Node i keeps one counter per node; entry j is how many of node j's events
// it has seen (Fidge, Mattern 1988). A local event increments its own entry;
// a received message merges (entry-wise max) and then increments. Unlike a
// Lamport stamp, two vector clocks tell whether one event happened before
// the other or whether they were concurrent.
//
// Use it when the membership is fixed and known (a simulation, a static
// cluster of n nodes): the clock is a dense array indexed by node position,
// the cheapest form to compare. For a changing membership with arbitrary
// node ids, use VersionVector (version_vector.hpp).
//
//   VectorClock a(3), b(3);
//   a.increment(0);                    // node 0 does something
//   b.merge(a); b.increment(1);        // node 1 receives it
//   compare(a, b) == CausalOrder::before
//
// Thread-safety: a value type; one object is not synchronized.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "faultline/clocks/causal_order.hpp"

namespace faultline::clocks {

class VectorClock {
 public:
  // Bounds what a decoder will allocate for a peer's clock.
  static constexpr std::size_t kNodeCountMax = 4096;

  // node_count zeros. Precondition: node_count <= kNodeCountMax.
  explicit VectorClock(std::size_t node_count = 0);
  // Precondition: counters.size() <= kNodeCountMax.
  explicit VectorClock(std::vector<std::uint64_t> counters);

  // Entry `node_index` + 1; returns the new value. Precondition:
  // node_index < node_count() and the entry is below UINT64_MAX.
  std::uint64_t increment(std::size_t node_index) noexcept;

  // Entry-wise max. Precondition: same node_count() (a fixed set of nodes).
  void merge(const VectorClock& other) noexcept;

  // Precondition: node_index < node_count().
  [[nodiscard]] std::uint64_t counter(std::size_t node_index) const noexcept;
  [[nodiscard]] std::size_t node_count() const noexcept { return counters_.size(); }
  [[nodiscard]] std::span<const std::uint64_t> counters() const noexcept { return counters_; }

  friend bool operator==(const VectorClock&, const VectorClock&) = default;

 private:
  std::vector<std::uint64_t> counters_;
};

// Precondition: a.node_count() == b.node_count().
[[nodiscard]] CausalOrder compare(const VectorClock& a, const VectorClock& b) noexcept;
// compare(a, b) == before: every entry <=, at least one <.
[[nodiscard]] bool happened_before(const VectorClock& a, const VectorClock& b) noexcept;
[[nodiscard]] VectorClock merged(VectorClock a, const VectorClock& b) noexcept;

}  // namespace faultline::clocks
