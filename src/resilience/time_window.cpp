#include "faultline/resilience/detail/time_window.hpp"

#include <algorithm>

#include "faultline/core/assert.hpp"

namespace faultline::resilience::detail {
namespace {

std::uint64_t clamp_count(std::int64_t value, std::uint64_t limit) noexcept {
  if (value <= 0) return 0;
  return std::min(static_cast<std::uint64_t>(value), limit);
}

}  // namespace

TimeWindow::TimeWindow(std::uint32_t size_seconds)
    : size_seconds_(size_seconds),
      modulus_(size_seconds == 0 ? 1 : size_seconds),
      buckets_(std::make_unique<Bucket[]>(size_seconds == 0 ? 1 : size_seconds)) {
  FAULTLINE_ASSERT(size_seconds >= 1, "a time window needs at least one bucket");
  FAULTLINE_ASSERT(size_seconds < kNoIndex, "a bucket index must fit in the cursor");
}

void TimeWindow::add_failed_or_slow(Bucket& bucket, CallOutcome outcome) noexcept {
  FAULTLINE_ASSERT(outcome != kOutcomeEmpty, "recorded an empty outcome");
  if (outcome_failed(outcome)) {
    bucket.failed_calls.fetch_add(1, std::memory_order_relaxed);
    failed_calls_.fetch_add(1, std::memory_order_relaxed);
  }
  if (outcome_slow(outcome)) {
    bucket.slow_calls.fetch_add(1, std::memory_order_relaxed);
    slow_calls_.fetch_add(1, std::memory_order_relaxed);
  }
}

void TimeWindow::record_outside_newest(std::int64_t epoch_second, CallOutcome outcome) {
  const std::int64_t cursor = cursor_.load(std::memory_order_acquire);
  if (!is_empty(cursor) && epoch_second < second_of(cursor)) {
    // Late (its thread stalled between the clock read and here): still
    // lock-free while its bucket holds its second.
    Bucket& bucket = buckets_[index_for(epoch_second)];
    if (bucket.epoch_second.load(std::memory_order_acquire) == epoch_second) {
      add(bucket, outcome);
      return;
    }
  }
  record_locked(epoch_second, outcome);
}

void TimeWindow::record_locked(std::int64_t epoch_second, CallOutcome outcome) {
  FAULTLINE_ASSERT(outcome != kOutcomeEmpty, "recorded an empty outcome");
  std::lock_guard lock(advance_mutex_);
  const std::int64_t cursor = cursor_.load(std::memory_order_relaxed);
  if (is_empty(cursor) || epoch_second > second_of(cursor)) {
    advance_locked(epoch_second);
  } else if (epoch_second <= second_of(cursor) - static_cast<std::int64_t>(size_seconds_)) {
    // A reading from before the window has nothing left to count in:
    // recorded, and evicted at once (in this order, so a reader in between
    // sees one call too many, which can only lower a rate).
    records_total_.fetch_add(1, std::memory_order_release);
    evicted_calls_.fetch_add(1, std::memory_order_release);
    return;
  }
  Bucket& bucket = buckets_[index_for(epoch_second)];
  FAULTLINE_ASSERT(bucket.epoch_second.load(std::memory_order_relaxed) == epoch_second,
                   "time window bucket stamped with another second");
  add(bucket, outcome);
}

void TimeWindow::advance_locked(std::int64_t epoch_second) {
  const std::int64_t cursor = cursor_.load(std::memory_order_relaxed);
  FAULTLINE_ASSERT(is_empty(cursor) || epoch_second > second_of(cursor), "the window only moves forward");
  // A gap of N seconds or more visits every bucket once, emptying them all.
  std::int64_t first = epoch_second - static_cast<std::int64_t>(size_seconds_) + 1;
  if (!is_empty(cursor) && second_of(cursor) >= first) first = second_of(cursor) + 1;
  FAULTLINE_ASSERT(epoch_second - first < static_cast<std::int64_t>(size_seconds_),
                   "an advance empties at most N buckets");
  begin_evicting_locked();
  for (std::int64_t second = first; second <= epoch_second; ++second) {
    empty_locked(buckets_[index_for(second)], second);
  }
  end_evicting_locked();
  // Release, after the stamps: a reader of the new cursor finds its
  // bucket stamped with its second.
  cursor_.store(make_cursor(epoch_second, index_for(epoch_second)), std::memory_order_release);
}

void TimeWindow::empty_locked(Bucket& bucket, std::int64_t new_epoch_second) noexcept {
  // Exchanges, like a writer's adds, so a record racing with the reset is
  // either taken out with the old second or stays in the new one: the
  // totals keep matching the buckets (see the header).
  const std::int64_t calls = bucket.calls.exchange(0, std::memory_order_relaxed);
  const std::int64_t failed = bucket.failed_calls.exchange(0, std::memory_order_relaxed);
  const std::int64_t slow = bucket.slow_calls.exchange(0, std::memory_order_relaxed);
  // Release: a reader that sees a total changed here also sees the odd
  // evictions_sequence_ (a sequence lock without fences; see totals()).
  if (calls != 0) evicted_calls_.fetch_add(calls, std::memory_order_release);
  if (failed != 0) failed_calls_.fetch_sub(failed, std::memory_order_release);
  if (slow != 0) slow_calls_.fetch_sub(slow, std::memory_order_release);
  // Release: a writer that sees the new stamp sees the emptied counters.
  bucket.epoch_second.store(new_epoch_second, std::memory_order_release);
}

void TimeWindow::begin_evicting_locked() noexcept {
  const std::uint64_t sequence = evictions_sequence_.load(std::memory_order_relaxed);
  FAULTLINE_ASSERT(sequence % 2 == 0, "evictions do not nest");
  // Relaxed: the eviction's changes to the totals are release operations
  // (see empty_locked), so a reader that sees one of them sees this too.
  evictions_sequence_.store(sequence + 1, std::memory_order_relaxed);
}

void TimeWindow::end_evicting_locked() noexcept {
  const std::uint64_t sequence = evictions_sequence_.load(std::memory_order_relaxed);
  FAULTLINE_ASSERT(sequence % 2 == 1, "an eviction ends after it begins");
  evictions_sequence_.store(sequence + 1, std::memory_order_release);
}

WindowSnapshot TimeWindow::read_totals() const noexcept {
  // Failures and slow calls first: a record adds them before its call, so
  // reading them earlier can only leave out a share, never add one. Read
  // the other way round, a reader preempted between the loads could see a
  // second's worth of new failures against a stale call count.
  const std::int64_t failed = failed_calls_.load(std::memory_order_acquire);
  const std::int64_t slow = slow_calls_.load(std::memory_order_acquire);
  const auto records = static_cast<std::int64_t>(records_total_.load(std::memory_order_acquire));
  const std::int64_t evicted = evicted_calls_.load(std::memory_order_acquire);
  WindowSnapshot totals;
  totals.calls = clamp_count(records - evicted, std::numeric_limits<std::uint64_t>::max());
  totals.failed_calls = clamp_count(failed, totals.calls);
  totals.slow_calls = clamp_count(slow, totals.calls);
  return totals;
}

WindowSnapshot TimeWindow::totals() const {
  // An eviction lowers the failures and raises evicted_calls_: counts read
  // on both sides of one would be inconsistent (say, old failures against
  // a call count with their calls taken out), so such a read is retried.
  constexpr int kAttemptsMax = 2;
  for (int attempt = 0; attempt < kAttemptsMax; ++attempt) {
    const std::uint64_t before = evictions_sequence_.load(std::memory_order_acquire);
    if (before % 2 != 0) break;  // an advance is running: wait for it below
    // Every load in read_totals() is an acquire, so this one cannot move
    // before them: a changed sequence is seen.
    const WindowSnapshot totals = read_totals();
    if (evictions_sequence_.load(std::memory_order_relaxed) == before) return totals;
  }
  // About once per second, and only for a reader that raced an advance.
  std::lock_guard lock(advance_mutex_);
  return read_totals();
}

WindowSnapshot TimeWindow::snapshot(TimePoint now) const noexcept {
  const std::int64_t cursor = cursor_.load(std::memory_order_acquire);
  if (is_empty(cursor)) return WindowSnapshot{};
  // Read-only: count the buckets still inside the window ending at `now`
  // rather than advancing (and mutating) the window.
  const std::int64_t end = std::max(epoch_second_of(now), second_of(cursor));
  const std::int64_t begin = end - static_cast<std::int64_t>(size_seconds_);
  std::int64_t calls = 0;
  std::int64_t failed = 0;
  std::int64_t slow = 0;
  for (std::uint32_t i = 0; i < size_seconds_; ++i) {
    const Bucket& bucket = buckets_[i];
    const std::int64_t second = bucket.epoch_second.load(std::memory_order_acquire);
    if (second <= begin || second > end) continue;  // kNoSecond is below begin
    calls += bucket.calls.load(std::memory_order_relaxed);
    failed += bucket.failed_calls.load(std::memory_order_relaxed);
    slow += bucket.slow_calls.load(std::memory_order_relaxed);
  }
  WindowSnapshot totals;
  totals.calls = clamp_count(calls, std::numeric_limits<std::uint64_t>::max());
  totals.failed_calls = clamp_count(failed, totals.calls);
  totals.slow_calls = clamp_count(slow, totals.calls);
  return totals;
}

void TimeWindow::clear() {
  std::lock_guard lock(advance_mutex_);
  begin_evicting_locked();
  for (std::uint32_t i = 0; i < size_seconds_; ++i) empty_locked(buckets_[i], kNoSecond);
  end_evicting_locked();
  cursor_.store(kEmptyCursor, std::memory_order_release);
}

}  // namespace faultline::resilience::detail
