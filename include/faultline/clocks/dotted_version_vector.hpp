// DottedVersionVector: one write's identity plus what its writer had seen.
//
// A version vector per value cannot tell two concurrent writes coordinated
// by the same server apart, so a store that uses them either loses one
// (last writer wins) or keeps false conflicts ("sibling explosion"). A
// dotted version vector (Preguiça, Baquero et al., 2010) stamps each write
// with a dot, the pair (server, n) naming exactly this event, and keeps the
// client's causal context beside it. Write a is obsoleted by write b when
// b's context or dot covers a's dot; writes neither covers are concurrent
// siblings that a store keeps (sibling_set.hpp does that bookkeeping).
//
// Use it for values in a replicated key-value store; for ordering events
// between processes, a VectorClock or VersionVector is enough.
//
//   DottedVersionVector w1{{server, 1}, {}};           // first write
//   DottedVersionVector w2{{server, 2}, {}};           // a blind concurrent write
//   compare(w1, w2) == CausalOrder::concurrent         // both kept
//
// Thread-safety: a value type; one object is not synchronized.
#pragma once

#include <compare>
#include <cstdint>

#include "faultline/clocks/causal_order.hpp"
#include "faultline/clocks/version_vector.hpp"

namespace faultline::clocks {

// One event: the n-th write coordinated by `node`. counter >= 1.
struct Dot {
  NodeId node = 0;
  std::uint64_t counter = 0;

  friend constexpr auto operator<=>(const Dot&, const Dot&) = default;
};

struct DottedVersionVector {
  Dot dot;
  VersionVector context;  // what the writer had seen; need not contain dot

  // Whether this write's history includes `event`.
  [[nodiscard]] bool covers(const Dot& event) const noexcept;
  // context plus the dot: the version vector a reader gets back as context.
  [[nodiscard]] VersionVector history() const;

  friend bool operator==(const DottedVersionVector&, const DottedVersionVector&) = default;
};

// before: b's history covers a's dot and not the reverse; equal: same dot
// (one event, hence one history); concurrent: neither covers the other.
[[nodiscard]] CausalOrder compare(const DottedVersionVector& a,
                                  const DottedVersionVector& b) noexcept;

// b has seen a: a can be discarded once b is stored.
[[nodiscard]] bool obsoletes(const DottedVersionVector& b, const DottedVersionVector& a) noexcept;

}  // namespace faultline::clocks
