#include "faultline/resilience/detail/time_window.hpp"

#include <algorithm>
#include <chrono>

#include "faultline/core/assert.hpp"

namespace faultline::resilience::detail {
namespace {

std::int64_t epoch_second_of(TimePoint at) noexcept {
  return std::chrono::floor<std::chrono::seconds>(at.time_since_epoch()).count();
}

void add(WindowSnapshot& into, const WindowSnapshot& from) noexcept {
  into.calls += from.calls;
  into.failed_calls += from.failed_calls;
  into.slow_calls += from.slow_calls;
}

void subtract(WindowSnapshot& from, const WindowSnapshot& what) noexcept {
  FAULTLINE_ASSERT(from.calls >= what.calls && from.failed_calls >= what.failed_calls &&
                       from.slow_calls >= what.slow_calls,
                   "time window totals lost track of a bucket");
  from.calls -= what.calls;
  from.failed_calls -= what.failed_calls;
  from.slow_calls -= what.slow_calls;
}

}  // namespace

TimeWindow::TimeWindow(std::uint32_t size_seconds) : buckets_(size_seconds) {
  FAULTLINE_ASSERT(size_seconds >= 1, "a time window needs at least one bucket");
}

TimeWindow::Bucket& TimeWindow::bucket_for(std::int64_t epoch_second) {
  const auto size = static_cast<std::int64_t>(buckets_.size());
  const std::int64_t index = ((epoch_second % size) + size) % size;
  return buckets_[static_cast<std::size_t>(index)];
}

void TimeWindow::advance_to(std::int64_t epoch_second) {
  const auto size = static_cast<std::int64_t>(buckets_.size());
  // A gap of N seconds or more visits every bucket once, emptying them all.
  std::int64_t first = epoch_second - size + 1;
  if (latest_second_ && *latest_second_ >= first) first = *latest_second_ + 1;
  for (std::int64_t second = first; second <= epoch_second; ++second) {
    Bucket& bucket = bucket_for(second);
    if (latest_second_) subtract(totals_, bucket.totals);
    bucket = Bucket{second, WindowSnapshot{}};
  }
  latest_second_ = epoch_second;
}

WindowSnapshot TimeWindow::record(TimePoint now, CallOutcome outcome) {
  FAULTLINE_ASSERT(outcome != kOutcomeEmpty, "recorded an empty outcome");
  const std::int64_t second = epoch_second_of(now);
  const auto size = static_cast<std::int64_t>(buckets_.size());
  std::lock_guard lock(mutex_);
  if (!latest_second_ || second > *latest_second_) advance_to(second);
  // A reading from before the window (a thread that stalled between its
  // clock read and this lock) has nothing left to count in.
  if (second <= *latest_second_ - size) return totals_;
  Bucket& bucket = bucket_for(second);
  FAULTLINE_ASSERT(bucket.epoch_second == second, "time window bucket stamped with another second");
  const WindowSnapshot one{1, outcome_failed(outcome) ? 1u : 0u, outcome_slow(outcome) ? 1u : 0u};
  add(bucket.totals, one);
  add(totals_, one);
  return totals_;
}

WindowSnapshot TimeWindow::snapshot(TimePoint now) const {
  const std::int64_t second = epoch_second_of(now);
  const auto size = static_cast<std::int64_t>(buckets_.size());
  std::lock_guard lock(mutex_);
  if (!latest_second_) return WindowSnapshot{};
  // Read-only: count the buckets still inside the window ending at `now`
  // rather than advancing (and mutating) the window.
  const std::int64_t end = std::max(second, *latest_second_);
  WindowSnapshot totals;
  for (const Bucket& bucket : buckets_) {
    if (bucket.epoch_second > end - size && bucket.epoch_second <= end) add(totals, bucket.totals);
  }
  return totals;
}

void TimeWindow::clear() {
  std::lock_guard lock(mutex_);
  std::fill(buckets_.begin(), buckets_.end(), Bucket{});
  latest_second_.reset();
  totals_ = WindowSnapshot{};
}

}  // namespace faultline::resilience::detail
