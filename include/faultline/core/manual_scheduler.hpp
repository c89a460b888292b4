// ManualScheduler: a Scheduler on virtual time.
//
// Tasks run only inside advance(), run_until() and run_ready(), in order of
// due time and then of scheduling (a total order, so runs are deterministic).
// Tests use it to drive timeouts, hedges and probes step by step; the
// simulator uses it as its event queue.
//
//   ManualScheduler scheduler;           // owns a ManualClock
//   scheduler.schedule_after(5s, fire);
//   scheduler.advance(5s);                // runs `fire` at exactly +5s
//
// Thread-safety: schedule_at() and cancel() may be called from any thread
// (a task may schedule more tasks); advance()/run_*() from one thread at a
// time.
#pragma once

#include <map>
#include <mutex>
#include <utility>

#include "faultline/core/manual_clock.hpp"
#include "faultline/core/scheduler.hpp"

namespace faultline {

class ManualScheduler final : public Scheduler {
 public:
  ManualScheduler() = default;
  // Drives an external clock (for example one shared with other components).
  explicit ManualScheduler(ManualClock& clock) noexcept : clock_(&clock) {}

  [[nodiscard]] const Clock& clock() const noexcept override { return *clock_; }
  [[nodiscard]] ManualClock& manual_clock() noexcept { return *clock_; }

  TimerId schedule_at(TimePoint when, Task task) override;
  bool cancel(TimerId id) override;

  // Runs every task due at or before now(), including ones they schedule
  // for now or earlier. Returns how many ran.
  std::size_t run_ready();
  // Moves time forward to `until`, stopping at each due task to run it at
  // its own time. Returns how many ran.
  std::size_t run_until(TimePoint until);
  std::size_t advance(Duration duration) { return run_until(clock_->now() + duration); }
  // Runs tasks (advancing time to each) until none is pending or `limit`
  // tasks have run; the limit guards against tasks that reschedule forever.
  std::size_t run_all(std::size_t limit = 1'000'000);

  [[nodiscard]] std::size_t pending() const;
  // Due time of the earliest pending task; TimePoint::max() if none.
  [[nodiscard]] TimePoint next_due() const;

 private:
  using Key = std::pair<TimePoint, TimerId>;
  bool run_one_due_by(TimePoint limit);

  ManualClock own_clock_;
  ManualClock* clock_ = &own_clock_;
  mutable std::mutex mutex_;
  std::map<Key, Task> tasks_;
  std::map<TimerId, TimePoint> due_by_id_;
  TimerId next_id_ = 1;
};

}  // namespace faultline
