// TimeWindow: call outcomes of the last N seconds, lock-free to record;
// internal to the breaker.
//
// N one-second buckets, each stamped with the epoch second it counts. The
// window spans the current (partial) second and the N - 1 before it, as
// resilience4j's does: an outcome recorded in second s stops counting once
// the time reaches second s + N. Moving into a new second empties the
// buckets of the seconds that fell out (at most N of them, however long the
// gap), and running totals make the rate check O(1).
//
// Why recording is lock-free: within one second every record finds its
// second in the cursor (one atomic word: the newest second and its
// bucket), so it computes no bucket index and only bumps atomic counters
// (two fetch_adds for a success). The first record of a new second takes
// the mutex and advances the window; that happens about once per second
// per breaker, however many threads call. Reads for the rate check are
// lock-free too (three counters, not N buckets).
//
// The clock is never read here: callers pass the reading they already have
// (CallContext::now()), so a call reads the clock at most once.
//
//   TimeWindow window(60);
//   window.record(context.now(), make_outcome(/*failed=*/true, /*slow=*/false));
//   WindowSnapshot totals = window.totals();
//
// Thread-safety: every member is safe from any thread, concurrently.
// Readings that arrive a little out of order count in their own second; one
// older than the window is dropped (see the one race, next to the fields).
#pragma once

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <limits>
#include <memory>
#include <mutex>

#include "faultline/core/clock.hpp"
#include "faultline/resilience/detail/call_outcome.hpp"
#include "faultline/resilience/detail/count_window.hpp"

namespace faultline::resilience::detail {

class TimeWindow {
 public:
  // Precondition: size_seconds >= 1.
  explicit TimeWindow(std::uint32_t size_seconds);
  TimeWindow(const TimeWindow&) = delete;
  TimeWindow& operator=(const TimeWindow&) = delete;

  // Counts `outcome` in the second of `now`, advancing the window first if
  // `now` is in a newer second than any recorded so far. Precondition:
  // outcome is not kOutcomeEmpty.
  void record(TimePoint now, CallOutcome outcome) {
    // The bucket and the second's bounds come from the cursor, known before
    // the reading is: no division and no modulo sit between the clock read
    // and the counters, only a subtraction and a compare.
    const std::int64_t cursor = cursor_.load(std::memory_order_acquire);
    if (!in_newest_second(cursor, now)) [[unlikely]] {
      record_outside_newest(epoch_second_of(now), outcome);
      return;
    }
    add(buckets_[index_of(cursor)], outcome);
  }

  // The totals of the window ending at the newest second recorded: O(1).
  // Never mixes counts from before and after an advance (it retries, or
  // waits for the advance), and reads failures and slow calls before the
  // calls they are a share of, so concurrent writers can make the rates
  // look lower for a moment, never higher.
  [[nodiscard]] WindowSnapshot totals() const;
  // The totals of the window ending at `now` (or at the newest second
  // recorded, if later), without advancing it: O(N), for metrics.
  [[nodiscard]] WindowSnapshot snapshot(TimePoint now) const noexcept;
  // Every outcome ever recorded (dropped ones too); never decreases, not
  // even on clear(). A failure's or slow call's own counter, if the caller
  // keeps one, must be bumped before record() (see CircuitBreaker::metrics).
  [[nodiscard]] std::uint64_t records_total() const noexcept {
    return records_total_.load(std::memory_order_acquire);
  }
  // Empties every bucket. A record racing with it may stay counted in
  // totals() (never in snapshot()) until the window next advances.
  void clear();

  [[nodiscard]] std::uint32_t size_seconds() const noexcept { return size_seconds_; }

  // Floor of `at` in whole seconds since the clock's epoch (a division by a
  // constant, which compiles to a multiply). The partial seconds at either
  // end of TimePoint's range count as their whole neighbours, so that every
  // second's start and end, in nanoseconds, fit in 64 bits.
  [[nodiscard]] static std::int64_t epoch_second_of(TimePoint at) noexcept {
    const std::int64_t nanos = at.time_since_epoch().count();
    const std::int64_t truncated = nanos / kNanosPerSecond;
    // Round towards minus infinity for readings before the epoch too
    // (truncated * 10^9 cannot overflow: it is nearer zero than nanos).
    const std::int64_t floored = truncated - (truncated * kNanosPerSecond > nanos ? 1 : 0);
    return std::clamp(floored, kSecondMin, kSecondMax);
  }

 private:
  static constexpr std::int64_t kNanosPerSecond = 1'000'000'000;
  static constexpr std::int64_t kSecondMin = std::numeric_limits<std::int64_t>::min() / kNanosPerSecond;
  static constexpr std::int64_t kSecondMax = std::numeric_limits<std::int64_t>::max() / kNanosPerSecond - 1;
  // The newest second and its bucket's index share one atomic word, the
  // cursor, so a reader always gets a matching pair: the second in the high
  // bits (44 are plenty: readings span about +-2^33 seconds), the index in
  // the low kIndexBits. kNoIndex marks an empty window.
  static constexpr int kIndexBits = 20;
  static constexpr std::int64_t kIndexMask = (std::int64_t{1} << kIndexBits) - 1;
  static constexpr std::uint64_t kNoIndex = kIndexMask;
  // A bucket never stamped (or cleared): no reading maps to this second.
  static constexpr std::int64_t kNoSecond = std::numeric_limits<std::int64_t>::min();

  static constexpr std::int64_t make_cursor(std::int64_t second, std::uint64_t index) noexcept {
    return second * (kIndexMask + 1) + static_cast<std::int64_t>(index);
  }
  // make_cursor(0, kNoIndex), spelled out: a constant cannot call a member
  // of a class still being defined.
  static constexpr std::int64_t kEmptyCursor = static_cast<std::int64_t>(kNoIndex);
  static constexpr std::int64_t second_of(std::int64_t cursor) noexcept { return cursor >> kIndexBits; }
  static constexpr std::uint64_t index_of(std::int64_t cursor) noexcept {
    return static_cast<std::uint64_t>(cursor & kIndexMask);
  }
  static constexpr bool is_empty(std::int64_t cursor) noexcept { return index_of(cursor) == kNoIndex; }
  // Whether `at` falls in the cursor's second, tested on nanoseconds. The
  // unsigned subtraction wraps instead of overflowing, so one compare
  // checks both ends; it is exact because every second's start and end fit
  // in 64 bits (see epoch_second_of).
  static bool in_newest_second(std::int64_t cursor, TimePoint at) noexcept {
    const std::uint64_t start_ns = static_cast<std::uint64_t>(second_of(cursor) * kNanosPerSecond);
    const std::uint64_t offset_ns = static_cast<std::uint64_t>(at.time_since_epoch().count()) - start_ns;
    return offset_ns < static_cast<std::uint64_t>(kNanosPerSecond) && !is_empty(cursor);
  }

  // 32 bytes, so a day-long window (86,400 buckets) stays under 3 MiB; two
  // buckets share a cache line only with the second just before or after.
  // Invariant: failed_calls <= calls and slow_calls <= calls once writers
  // are quiet (the race described next to the totals can break it by one).
  struct Bucket {
    std::atomic<std::int64_t> epoch_second{kNoSecond};
    std::atomic<std::int64_t> calls{0};
    std::atomic<std::int64_t> failed_calls{0};
    std::atomic<std::int64_t> slow_calls{0};
  };

  [[nodiscard]] std::uint64_t index_for(std::int64_t epoch_second) const noexcept {
    // Flipping the sign bit maps int64 order onto uint64 order, so N
    // consecutive seconds land in N distinct buckets, even across zero.
    return modulus_.remainder(static_cast<std::uint64_t>(epoch_second) ^ (std::uint64_t{1} << 63));
  }
  void add(Bucket& bucket, CallOutcome outcome) noexcept {
    bucket.calls.fetch_add(1, std::memory_order_relaxed);
    if (outcome != make_outcome(false, false)) [[unlikely]] add_failed_or_slow(bucket, outcome);
    // Release, and last: whoever sees this record in records_total_ also
    // sees the caller's own counters bumped before record().
    records_total_.fetch_add(1, std::memory_order_release);
  }
  void add_failed_or_slow(Bucket& bucket, CallOutcome outcome) noexcept;
  // A reading not in the newest second: a late one whose bucket still
  // holds its second is added lock-free; otherwise record_locked().
  void record_outside_newest(std::int64_t epoch_second, CallOutcome outcome);
  // Under advance_mutex_: advances the window to a newer second, drops a
  // reading older than the window, or adds to the reading's bucket.
  void record_locked(std::int64_t epoch_second, CallOutcome outcome);
  // Empties the buckets of seconds in (newest, epoch_second] and moves the
  // cursor there.
  void advance_locked(std::int64_t epoch_second);
  // Empties one bucket, taking its counts out of the totals.
  void empty_locked(Bucket& bucket, std::int64_t new_epoch_second) noexcept;
  // The totals as they are, without the consistency totals() adds.
  [[nodiscard]] WindowSnapshot read_totals() const noexcept;
  // Brackets an advance or a clear for totals() (a sequence lock).
  void begin_evicting_locked() noexcept;
  void end_evicting_locked() noexcept;

  const std::uint32_t size_seconds_;
  const FastModulus modulus_;
  const std::unique_ptr<Bucket[]> buckets_;

  // Taken to advance or clear the window, never to record within a second.
  mutable std::mutex advance_mutex_;
  // The newest second the window was advanced to and its bucket
  // (kEmptyCursor when the window is empty). Written under advance_mutex_, after stamping the buckets.
  // Invariant (under the mutex): bucket s is stamped s for every s in
  // (newest - N, newest]. A bucket is re-stamped only when the window
  // advances N seconds past it, so a record that loaded the cursor counts
  // in the cursor's second (or, racing, in the one a window later: below).
  alignas(64) std::atomic<std::int64_t> cursor_{kEmptyCursor};
  // Odd while an advance or a clear is taking counts out of the totals;
  // bumped twice by each. Written under advance_mutex_.
  std::atomic<std::uint64_t> evictions_sequence_{0};

  // The totals, kept so the rate check after a failure reads three atomics,
  // not N buckets. calls = records_total_ - evicted_calls_. Signed: a
  // reader may see an eviction before the records it takes away.
  //
  // Exactness: once writers are quiet, the totals equal the sum of the
  // buckets, under any interleaving, because every bucket change is an
  // atomic add or an exchange applied to the totals as a delta. The one
  // imprecision is where a record lands, not whether it counts: a record
  // whose reading is a whole window older than another thread's newest
  // (it read the clock, then stalled while the other thread advanced the
  // window N seconds past its reading and re-stamped its bucket) counts in
  // the newer second. Checked without a race (the stamp differs), such a
  // reading is dropped instead.
  //
  // Its own cache line: written by every record, while the cursor beside
  // it is read by every record.
  alignas(64) std::atomic<std::uint64_t> records_total_{0};
  std::atomic<std::int64_t> evicted_calls_{0};
  std::atomic<std::int64_t> failed_calls_{0};
  std::atomic<std::int64_t> slow_calls_{0};
};

}  // namespace faultline::resilience::detail
