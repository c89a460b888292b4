#include "faultline/clocks/dotted_version_vector.hpp"

#include "faultline/core/assert.hpp"

namespace faultline::clocks {

bool DottedVersionVector::covers(const Dot& event) const noexcept {
  return event == dot || context.counter(event.node) >= event.counter;
}

VersionVector DottedVersionVector::history() const {
  FAULTLINE_ASSERT(dot.counter >= 1, "a dot names an event, counted from 1");
  VersionVector result = context;
  // Raise the dot's entry to the dot; a dot with a gap below it is still
  // reported as covering the gap, the usual compaction of a DVV into a VV.
  if (result.counter(dot.node) < dot.counter) {
    result.merge(VersionVector({VersionEntry{dot.node, dot.counter, {}}}));
  }
  return result;
}

bool obsoletes(const DottedVersionVector& b, const DottedVersionVector& a) noexcept {
  return a.dot != b.dot && b.covers(a.dot);
}

CausalOrder compare(const DottedVersionVector& a, const DottedVersionVector& b) noexcept {
  if (a.dot == b.dot) return CausalOrder::equal;
  const bool a_sees_b = a.covers(b.dot);
  const bool b_sees_a = b.covers(a.dot);
  if (a_sees_b && b_sees_a) {
    // Each claims to have seen the other: impossible for honest writes
    // (a write cannot have seen a later one); treat as concurrent so that
    // neither is discarded.
    return CausalOrder::concurrent;
  }
  if (b_sees_a) return CausalOrder::before;
  if (a_sees_b) return CausalOrder::after;
  return CausalOrder::concurrent;
}

}  // namespace faultline::clocks
