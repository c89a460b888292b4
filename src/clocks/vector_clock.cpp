#include "faultline/clocks/vector_clock.hpp"

#include <algorithm>
#include <utility>

#include "faultline/core/assert.hpp"

namespace faultline::clocks {

VectorClock::VectorClock(std::size_t node_count) : counters_(node_count, 0) {
  FAULTLINE_ASSERT(node_count <= kNodeCountMax, "vector clock node count within bound");
}

VectorClock::VectorClock(std::vector<std::uint64_t> counters) : counters_(std::move(counters)) {
  FAULTLINE_ASSERT(counters_.size() <= kNodeCountMax, "vector clock node count within bound");
}

std::uint64_t VectorClock::increment(std::size_t node_index) noexcept {
  FAULTLINE_ASSERT(node_index < counters_.size(), "vector clock index names a node of the set");
  FAULTLINE_ASSERT(counters_[node_index] < UINT64_MAX, "vector clock entry would wrap");
  return ++counters_[node_index];
}

void VectorClock::merge(const VectorClock& other) noexcept {
  FAULTLINE_ASSERT(other.counters_.size() == counters_.size(),
                   "vector clocks of one fixed node set have one size");
  for (std::size_t i = 0; i < counters_.size(); ++i) {
    counters_[i] = std::max(counters_[i], other.counters_[i]);
  }
}

std::uint64_t VectorClock::counter(std::size_t node_index) const noexcept {
  FAULTLINE_ASSERT(node_index < counters_.size(), "vector clock index names a node of the set");
  return counters_[node_index];
}

CausalOrder compare(const VectorClock& a, const VectorClock& b) noexcept {
  FAULTLINE_ASSERT(a.node_count() == b.node_count(), "compared vector clocks have one size");
  const auto left = a.counters();
  const auto right = b.counters();
  bool left_ahead = false;
  bool right_ahead = false;
  // No early exit on "concurrent": a branch per entry costs more than the
  // few entries a cluster has.
  for (std::size_t i = 0; i < left.size(); ++i) {
    left_ahead |= left[i] > right[i];
    right_ahead |= right[i] > left[i];
  }
  if (left_ahead && right_ahead) return CausalOrder::concurrent;
  if (left_ahead) return CausalOrder::after;
  if (right_ahead) return CausalOrder::before;
  return CausalOrder::equal;
}

bool happened_before(const VectorClock& a, const VectorClock& b) noexcept {
  return compare(a, b) == CausalOrder::before;
}

VectorClock merged(VectorClock a, const VectorClock& b) noexcept {
  a.merge(b);
  return a;
}

}  // namespace faultline::clocks
