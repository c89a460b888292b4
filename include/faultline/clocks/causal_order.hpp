// CausalOrder: how two events (or two versions) relate in time.
//
// Logical clocks give a partial order. compare(a, b) on a vector clock,
// version vector or dotted version vector answers with one of four values:
// a happened before b, after b, a and b are the same history, or neither
// saw the other (concurrent: a conflict a store must keep or resolve).
//
//   if (compare(mine, theirs) == CausalOrder::concurrent) keep_both();
//
// Thread-safety: plain values and pure functions.
#pragma once

#include <cstdint>
#include <ostream>
#include <string_view>

namespace faultline::clocks {

enum class CausalOrder : std::uint8_t { before, after, equal, concurrent };

// "before", "after", "equal", "concurrent".
[[nodiscard]] std::string_view causal_order_name(CausalOrder order) noexcept;

// before <-> after; equal and concurrent are their own mirror.
[[nodiscard]] constexpr CausalOrder mirror(CausalOrder order) noexcept {
  if (order == CausalOrder::before) return CausalOrder::after;
  if (order == CausalOrder::after) return CausalOrder::before;
  return order;
}

std::ostream& operator<<(std::ostream& out, CausalOrder order);

}  // namespace faultline::clocks
