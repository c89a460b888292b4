#include "faultline/resilience/detail/count_window.hpp"

#include <algorithm>

#include "faultline/core/assert.hpp"

namespace faultline::resilience::detail {
namespace {

std::uint64_t clamp_count(std::int64_t value, std::uint64_t limit) noexcept {
  if (value <= 0) return 0;
  return std::min(static_cast<std::uint64_t>(value), limit);
}

int delta_of(bool before, bool after) noexcept {
  return static_cast<int>(after) - static_cast<int>(before);
}

}  // namespace

CountWindow::CountWindow(std::uint32_t size_calls)
    : size_calls_(size_calls),
      modulus_(size_calls == 0 ? 1 : size_calls),
      slots_(std::make_unique<std::atomic<CallOutcome>[]>(size_calls)) {
  FAULTLINE_ASSERT(size_calls >= 1, "a count window needs at least one slot");
}

void CountWindow::apply_change(CallOutcome evicted, CallOutcome stored) noexcept {
  const int calls = delta_of(evicted != kOutcomeEmpty, stored != kOutcomeEmpty);
  const int failed = delta_of(outcome_failed(evicted), outcome_failed(stored));
  const int slow = delta_of(outcome_slow(evicted), outcome_slow(stored));
  if (calls != 0) calls_.fetch_add(calls, std::memory_order_relaxed);
  if (failed != 0) failed_calls_.fetch_add(failed, std::memory_order_relaxed);
  if (slow != 0) slow_calls_.fetch_add(slow, std::memory_order_relaxed);
}

WindowSnapshot CountWindow::snapshot() const noexcept {
  // Failures and slow calls before the calls: while the window fills, a
  // reader preempted between the loads would otherwise set fresh failures
  // against a stale call count and see a rate that never was (and trip).
  const std::int64_t failed = failed_calls_.load(std::memory_order_acquire);
  const std::int64_t slow = slow_calls_.load(std::memory_order_acquire);
  WindowSnapshot totals;
  totals.calls = clamp_count(calls_.load(std::memory_order_acquire), size_calls_);
  totals.failed_calls = clamp_count(failed, totals.calls);
  totals.slow_calls = clamp_count(slow, totals.calls);
  return totals;
}

WindowSnapshot CountWindow::recount() const noexcept {
  WindowSnapshot totals;
  for (std::uint32_t i = 0; i < size_calls_; ++i) {
    const CallOutcome outcome = slots_[i].load(std::memory_order_relaxed);
    if (outcome == kOutcomeEmpty) continue;
    ++totals.calls;
    totals.failed_calls += outcome_failed(outcome) ? 1 : 0;
    totals.slow_calls += outcome_slow(outcome) ? 1 : 0;
  }
  FAULTLINE_ASSERT(totals.calls <= size_calls_, "a window holds at most its size");
  return totals;
}

void CountWindow::clear() noexcept {
  // Through exchange, like a writer, so a record racing with the clear
  // keeps the counters consistent with the slots (see the header).
  for (std::uint32_t i = 0; i < size_calls_; ++i) {
    const CallOutcome evicted = slots_[i].exchange(kOutcomeEmpty, std::memory_order_relaxed);
    if (evicted != kOutcomeEmpty) apply_change(evicted, kOutcomeEmpty);
  }
}

}  // namespace faultline::resilience::detail
