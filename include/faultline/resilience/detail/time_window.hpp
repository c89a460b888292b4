// TimeWindow: call outcomes of the last N seconds; internal to the breaker.
//
// N one-second buckets, each stamped with the epoch second it counts. The
// window spans the current (partial) second and the N - 1 before it, as
// resilience4j's does: an outcome recorded in second s stops counting once
// the time reaches second s + N. Moving into a new second empties the
// buckets of the seconds that fell out (at most N of them, however long the
// gap), and running totals make each record O(1) amortized.
//
// The clock is never read here: callers pass the reading they already have
// (CallContext::now()), so a call reads the clock at most once.
//
//   TimeWindow window(60);
//   window.record(context.now(), make_outcome(/*failed=*/true, /*slow=*/false));
//
// Thread-safety: every member is safe from any thread (one mutex; the
// count-based window is the lock-free one). Readings that arrive a little
// out of order are fine; one older than the window is dropped.
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <vector>

#include "faultline/core/clock.hpp"
#include "faultline/resilience/detail/call_outcome.hpp"

namespace faultline::resilience::detail {

class TimeWindow {
 public:
  // Precondition: size_seconds >= 1.
  explicit TimeWindow(std::uint32_t size_seconds);

  // Records at `now` and returns the totals of the window ending at `now`.
  WindowSnapshot record(TimePoint now, CallOutcome outcome);
  // The totals of the window ending at `now`; O(N), for metrics.
  [[nodiscard]] WindowSnapshot snapshot(TimePoint now) const;
  void clear();

  [[nodiscard]] std::uint32_t size_seconds() const noexcept {
    return static_cast<std::uint32_t>(buckets_.size());
  }

 private:
  struct Bucket {
    std::int64_t epoch_second = 0;
    WindowSnapshot totals;
  };

  Bucket& bucket_for(std::int64_t epoch_second);
  // Empties the buckets of seconds in (latest_second_, epoch_second].
  void advance_to(std::int64_t epoch_second);

  mutable std::mutex mutex_;
  std::vector<Bucket> buckets_;
  // Invariant: when set, bucket_for(s) is stamped s for every s in
  // (latest_second_ - N, latest_second_], and totals_ is their sum.
  std::optional<std::int64_t> latest_second_;
  WindowSnapshot totals_;
};

}  // namespace faultline::resilience::detail
