#include "faultline/clocks/lamport_clock.hpp"

#include <algorithm>
#include <string>

#include "faultline/core/assert.hpp"

namespace faultline::clocks {

LamportClock::LamportClock(NodeId node, std::uint64_t counter_start) noexcept
    : node_(node), counter_(counter_start) {
  FAULTLINE_ASSERT(counter_start <= kRemoteCounterMax, "Lamport counter starts in range");
}

LamportTimestamp LamportClock::tick() noexcept {
  // One fetch_add: the cheapest lock-free step there is. 2^64 local events
  // cannot happen; the assertion documents the bound rather than guards it.
  const std::uint64_t counter = counter_.fetch_add(1, std::memory_order_acq_rel) + 1;
  FAULTLINE_ASSERT(counter != 0, "Lamport counter wrapped");
  return {counter, node_};
}

Result<LamportTimestamp> LamportClock::update(LamportTimestamp remote) {
  if (remote.counter > kRemoteCounterMax) {
    return Status::out_of_range("remote Lamport counter " + std::to_string(remote.counter) +
                                " leaves no room to advance")
        .with_reason("LAMPORT_COUNTER_EXHAUSTED");
  }
  std::uint64_t current = counter_.load(std::memory_order_acquire);
  std::uint64_t next = 0;
  do {
    next = std::max(current, remote.counter) + 1;
  } while (!counter_.compare_exchange_weak(current, next, std::memory_order_acq_rel));
  FAULTLINE_ASSERT(next > remote.counter, "a received stamp orders after the one it received");
  return LamportTimestamp{next, node_};
}

LamportTimestamp LamportClock::last() const noexcept {
  return {counter_.load(std::memory_order_acquire), node_};
}

}  // namespace faultline::clocks
