// LamportClock: a counter that orders events consistently with causality.
//
// Lamport (1978): each node ticks its counter on a local event and, on
// receiving a message, jumps to max(local, remote) + 1. If event a caused
// event b then ts(a) < ts(b); the converse does not hold, so two stamps
// never tell you that events were concurrent (use a vector clock for that).
// Tie-breaking equal counters by node id turns the stamps into a total
// order every node agrees on: what a replicated log or a last-writer-wins
// register needs.
//
// Use it when you need a cheap total order consistent with causality and
// can live without detecting concurrency; use the HLC (hlc.hpp) when the
// stamps should also read as times.
//
//   LamportClock clock(/*node=*/3);
//   LamportTimestamp sent = clock.tick();           // stamp an outgoing message
//   auto received = clock.update(remote_stamp);     // on receive
//
// Thread-safety: lock-free; every member is safe from any thread.
#pragma once

#include <atomic>
#include <compare>
#include <cstdint>

#include "faultline/clocks/node_id.hpp"
#include "faultline/core/result.hpp"

namespace faultline::clocks {

struct LamportTimestamp {
  std::uint64_t counter = 0;
  NodeId node = 0;

  // Counter first, node id breaks ties: a total order.
  friend constexpr auto operator<=>(const LamportTimestamp&, const LamportTimestamp&) = default;
};

class LamportClock {
 public:
  // Remote stamps above this are refused: an honest cluster needs 292 years
  // at a billion events a second to get here, and refusing them leaves 2^63
  // local ticks before the counter could wrap, so a hostile peer cannot
  // push a clock to its end.
  static constexpr std::uint64_t kRemoteCounterMax = std::uint64_t{1} << 63;

  // Precondition: counter_start <= kRemoteCounterMax.
  explicit LamportClock(NodeId node, std::uint64_t counter_start = 0) noexcept;

  // A local event: counter + 1.
  [[nodiscard]] LamportTimestamp tick() noexcept;

  // A received event: max(local, remote) + 1. out_of_range (reason
  // "LAMPORT_COUNTER_EXHAUSTED") when remote.counter > kRemoteCounterMax,
  // which only a corrupt or hostile peer sends; the clock is then unchanged.
  [[nodiscard]] Result<LamportTimestamp> update(LamportTimestamp remote);

  // The last stamp issued (counter 0 before any), without ticking.
  [[nodiscard]] LamportTimestamp last() const noexcept;
  [[nodiscard]] NodeId node() const noexcept { return node_; }

 private:
  const NodeId node_;
  // Invariant: never decreases.
  std::atomic<std::uint64_t> counter_;
};

}  // namespace faultline::clocks
