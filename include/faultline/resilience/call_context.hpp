// CallContext: what one call through the resilience policies carries.
//
// A call's deadline, its cancellation token and a cached clock reading travel
// together through every policy of a pipeline and into the user's function.
// The deadline only ever narrows: a nested call gets what remains of its
// caller's budget, never more. The clock is read at most once per step and
// the reading shared (policies call now(); refresh() re-reads after the
// wrapped call returns), because a clock read costs as much as a dozen
// atomic increments.
//
//   CallContext context(clock, clock.now() + 2s);
//   auto reply = pipeline.execute(context, [&](CallContext& c) {
//     return client.get(key, c.deadline(), c.stop_token());
//   });
//
// Thread-safety: one CallContext belongs to one call on one thread; it is
// not synchronized. Async policies copy what they need into AsyncCallContext.
#pragma once

#include <optional>
#include <stop_token>

#include "faultline/core/clock.hpp"

namespace faultline {
class Scheduler;
}

namespace faultline::resilience {

class CallContext {
 public:
  explicit CallContext(const Clock& clock, TimePoint deadline = TimePoint::max(),
                       std::stop_token stop = {}) noexcept
      : clock_(&clock), deadline_(deadline), stop_(std::move(stop)) {}

  [[nodiscard]] const Clock& clock() const noexcept { return *clock_; }

  // The cached reading, taken on first use after construction or refresh().
  [[nodiscard]] TimePoint now() noexcept {
    if (!now_) now_ = clock_->now();
    return *now_;
  }
  // Reads the clock again and caches that reading.
  TimePoint refresh() noexcept {
    now_ = clock_->now();
    return *now_;
  }
  // Forgets the cached reading; the next now() reads the clock.
  void invalidate() noexcept { now_.reset(); }

  [[nodiscard]] TimePoint deadline() const noexcept { return deadline_; }
  [[nodiscard]] bool has_deadline() const noexcept { return deadline_ != TimePoint::max(); }
  // Time left before the deadline (zero when past it; Duration::max() if none).
  [[nodiscard]] Duration remaining() noexcept {
    if (!has_deadline()) return Duration::max();
    const TimePoint at = now();
    return at >= deadline_ ? Duration::zero() : deadline_ - at;
  }
  [[nodiscard]] bool expired() noexcept { return has_deadline() && now() >= deadline_; }
  // Narrows the deadline to `deadline` if that is earlier; returns the old
  // one so the caller can restore it when its scope ends.
  TimePoint narrow_deadline(TimePoint deadline) noexcept {
    const TimePoint previous = deadline_;
    if (deadline < deadline_) deadline_ = deadline;
    return previous;
  }
  void restore_deadline(TimePoint previous) noexcept { deadline_ = previous; }

  [[nodiscard]] const std::stop_token& stop_token() const noexcept { return stop_; }
  [[nodiscard]] bool stop_requested() const noexcept { return stop_.stop_requested(); }
  // Replaces the token; returns the old one to restore.
  std::stop_token swap_stop_token(std::stop_token stop) noexcept {
    std::swap(stop_, stop);
    return stop;
  }

 private:
  const Clock* clock_;
  TimePoint deadline_;
  std::stop_token stop_;
  std::optional<TimePoint> now_;
};

// What an asynchronous call carries: the scheduler its timers run on, its
// deadline and its cancellation token. Copied freely between callbacks.
struct AsyncCallContext {
  AsyncCallContext() = default;
  explicit AsyncCallContext(Scheduler* on, TimePoint until = TimePoint::max(),
                            std::stop_token stop_token = {}) noexcept
      : scheduler(on), deadline(until), stop(std::move(stop_token)) {}

  Scheduler* scheduler = nullptr;
  TimePoint deadline = TimePoint::max();
  std::stop_token stop;
};

}  // namespace faultline::resilience
