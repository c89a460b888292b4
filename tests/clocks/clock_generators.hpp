// RapidCheck generators for the clocks' property tests. Node ids come from
// a small range so that random vectors share nodes often, which is where
// compare and merge have something to decide.
#pragma once

#include <rapidcheck.h>

#include <map>
#include <vector>

#include "faultline/clocks/dotted_version_vector.hpp"
#include "faultline/clocks/vector_clock.hpp"
#include "faultline/clocks/version_vector.hpp"

namespace faultline::clocks::testing {

inline VersionVector random_version_vector() {
  // One slot per node of eight; a zero counter leaves the node out.
  const auto counters = *rc::gen::container<std::vector<std::uint64_t>>(
      8, rc::gen::inRange<std::uint64_t>(0, 4));
  std::vector<VersionEntry> entries;
  for (NodeId node = 0; node < counters.size(); ++node) {
    if (counters[node] == 0) continue;
    const auto touched_ms = *rc::gen::inRange<std::int64_t>(0, 1'000'000);
    entries.push_back({node, counters[node], WallMillis(std::chrono::milliseconds(touched_ms))});
  }
  return VersionVector(std::move(entries));
}

// Any 64-bit ids and counters: for encodings, where extremes matter.
inline VersionVector random_wide_version_vector() {
  const auto counters = *rc::gen::container<std::map<NodeId, std::uint64_t>>(
      rc::gen::arbitrary<NodeId>(), rc::gen::inRange<std::uint64_t>(1, UINT64_MAX));
  std::vector<VersionEntry> entries;
  for (auto [node, counter] : counters) {
    const auto touched_ms = *rc::gen::inRange<std::int64_t>(0, INT64_MAX);
    entries.push_back({node, counter, WallMillis(std::chrono::milliseconds(touched_ms))});
  }
  return VersionVector(std::move(entries));
}

inline VectorClock random_vector_clock(std::size_t node_count) {
  return VectorClock(*rc::gen::container<std::vector<std::uint64_t>>(
      node_count, rc::gen::inRange<std::uint64_t>(0, 4)));
}

}  // namespace faultline::clocks::testing
