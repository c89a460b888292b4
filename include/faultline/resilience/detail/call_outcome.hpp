// What a circuit breaker's sliding windows store per call, and what they
// report: internal to the breaker.
//
// A call's outcome is packed into one byte so a count-based window can keep
// it in one atomic slot: bit 0 says the slot holds a call at all, bit 1 that
// the call failed, bit 2 that it was slow. Zero is an empty slot.
//
// Thread-safety: constants and a value type.
#pragma once

#include <cstdint>

namespace faultline::resilience::detail {

using CallOutcome = std::uint8_t;

inline constexpr CallOutcome kOutcomeEmpty = 0;
inline constexpr CallOutcome kOutcomeRecorded = 1;
inline constexpr CallOutcome kOutcomeFailedBit = 2;
inline constexpr CallOutcome kOutcomeSlowBit = 4;

[[nodiscard]] constexpr CallOutcome make_outcome(bool failed, bool slow) noexcept {
  return static_cast<CallOutcome>(kOutcomeRecorded | (failed ? kOutcomeFailedBit : 0) |
                                  (slow ? kOutcomeSlowBit : 0));
}
[[nodiscard]] constexpr bool outcome_failed(CallOutcome outcome) noexcept {
  return (outcome & kOutcomeFailedBit) != 0;
}
[[nodiscard]] constexpr bool outcome_slow(CallOutcome outcome) noexcept {
  return (outcome & kOutcomeSlowBit) != 0;
}

// Totals over the calls a window holds. Invariant: failed_calls <= calls and
// slow_calls <= calls.
struct WindowSnapshot {
  std::uint64_t calls = 0;
  std::uint64_t failed_calls = 0;
  std::uint64_t slow_calls = 0;

  friend bool operator==(const WindowSnapshot&, const WindowSnapshot&) = default;
};

}  // namespace faultline::resilience::detail
