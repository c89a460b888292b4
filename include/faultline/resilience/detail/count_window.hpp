// CountWindow: the last N call outcomes, lock-free; internal to the breaker.
//
// A ring of N one-byte atomic slots and a head counter. Recording takes a
// position with fetch_add on the head, swaps the outcome into that slot and
// gets back the outcome it evicts; the aggregate counters move only when the
// two differ, which in steady state (mostly successes replacing successes)
// is rare. In that steady state the slot already holds the outcome, so the
// swap is skipped: recording a success costs one fetch_add and one load, no
// lock and no allocation, and the only cache line every call writes is the
// head's.
//
// Why the counters stay exact under any interleaving: every change to a
// slot is an atomic exchange whose (evicted, stored) pair is applied to the
// counters as a delta, and clear() empties slots through the same exchange.
// A skipped swap is an exchange of a value with itself: no change, delta 0.
// Whatever the order, once writers are quiet the counters equal a recount
// of the slots (recount() checks it). A reader racing with writers may see
// the three counters at slightly different moments; snapshot() reads the
// failures before the calls (a stale call count against fresh failures
// would overstate the rate) and clamps so the WindowSnapshot invariants
// hold anyway.
//
//   CountWindow window(100);
//   window.record(make_outcome(/*failed=*/true, /*slow=*/false));
//   WindowSnapshot totals = window.snapshot();
//
// Thread-safety: every member is safe from any thread, concurrently.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>

#include "faultline/resilience/detail/call_outcome.hpp"

namespace faultline::resilience::detail {

// position % divisor without a division instruction (a 64-bit divide costs
// more than the rest of a breaker's hot path). With magic = ceil(2^128 / d),
// the low 128 bits of magic * position, times d, shifted right by 128, is
// exactly position mod d for every 64-bit position: the "direct remainder"
// of Lemire, Kaser and Kurz (2019).
class FastModulus {
 public:
  explicit FastModulus(std::uint64_t divisor) noexcept
      : divisor_(divisor), magic_(~static_cast<Uint128>(0) / divisor + 1) {}

  [[nodiscard]] std::uint64_t remainder(std::uint64_t position) const noexcept {
    const Uint128 fraction = magic_ * position;
    const auto fraction_high = static_cast<std::uint64_t>(fraction >> 64);
    const auto fraction_low = static_cast<std::uint64_t>(fraction);
    // (fraction * d) >> 128, without the 192-bit product: the low half's
    // carry is all that reaches the top.
    const Uint128 carry = (static_cast<Uint128>(fraction_low) * divisor_) >> 64;
    return static_cast<std::uint64_t>((static_cast<Uint128>(fraction_high) * divisor_ + carry) >> 64);
  }

 private:
  using Uint128 = unsigned __int128;
  std::uint64_t divisor_;
  Uint128 magic_;
};

class CountWindow {
 public:
  // Precondition: size_calls >= 1.
  explicit CountWindow(std::uint32_t size_calls);
  CountWindow(const CountWindow&) = delete;
  CountWindow& operator=(const CountWindow&) = delete;

  // Precondition: outcome is not kOutcomeEmpty.
  void record(CallOutcome outcome) noexcept {
    // Release: whoever sees this record in records_total() also sees the
    // caller's own counters bumped before record() (free on x86).
    const std::uint64_t position = head_.fetch_add(1, std::memory_order_release);
    std::atomic<CallOutcome>& slot = slots_[modulus_.remainder(position)];
    // Steady state: the slot already holds this outcome (a success evicting
    // a success). Swapping it in would change nothing but would write a
    // cache line every thread shares, so the load stands for the exchange
    // (one that took effect at the moment of the load).
    if (slot.load(std::memory_order_relaxed) == outcome) [[likely]] return;
    const CallOutcome evicted = slot.exchange(outcome, std::memory_order_relaxed);
    if (evicted != outcome) [[unlikely]] apply_change(evicted, outcome);
  }

  // The counters: O(1), possibly a moment stale under concurrent writers.
  [[nodiscard]] WindowSnapshot snapshot() const noexcept;
  // A walk over every slot: O(N). Equals snapshot() whenever writers are quiet.
  [[nodiscard]] WindowSnapshot recount() const noexcept;
  // Empties every slot; concurrent records land in the fresh window.
  void clear() noexcept;
  // Every outcome ever recorded; never decreases, not even on clear(). A
  // failure's or slow call's own counter, if the caller keeps one, must be
  // bumped before record() (see CircuitBreaker::metrics).
  [[nodiscard]] std::uint64_t records_total() const noexcept {
    return head_.load(std::memory_order_acquire);
  }

  [[nodiscard]] std::uint32_t size_calls() const noexcept { return size_calls_; }

 private:
  void apply_change(CallOutcome evicted, CallOutcome stored) noexcept;

  const std::uint32_t size_calls_;
  const FastModulus modulus_;
  const std::unique_ptr<std::atomic<CallOutcome>[]> slots_;
  // Separate cache lines: every writer bumps head_, while the counters
  // change only when an outcome differs from the one it evicts. head_ also
  // counts every record ever made (records_total()): only its remainder
  // picks a slot, so clear() leaves it alone.
  alignas(64) std::atomic<std::uint64_t> head_{0};
  // Signed: a delta may land before the one it cancels, briefly below zero.
  alignas(64) std::atomic<std::int64_t> calls_{0};
  std::atomic<std::int64_t> failed_calls_{0};
  std::atomic<std::int64_t> slow_calls_{0};
};

}  // namespace faultline::resilience::detail
