// Scheduler: timers and deferred work, real or simulated.
//
// Anything in Faultline that must act later (a retry's backoff in async code,
// an attempt timeout, a hedged request, a health-check interval) asks a
// Scheduler. Two implementations exist: AsioScheduler runs tasks on a
// Boost.Asio io_context against the steady clock; ManualScheduler runs them
// in virtual time when a test or the simulator advances it. Policies are
// written once against this interface and run on either unchanged.
//
//   TimerId id = scheduler.schedule_after(100ms, [] { probe(); });
//   scheduler.cancel(id);   // true if it had not run yet
//
// Thread-safety: implementations are safe to call from any thread. Tasks run
// on the scheduler's own thread(s), never inside schedule_*() or cancel().
#pragma once

#include <cstdint>
#include <functional>

#include "faultline/core/clock.hpp"

namespace faultline {

// Identifies a scheduled task; 0 is never a valid id.
using TimerId = std::uint64_t;

class Scheduler {
 public:
  using Task = std::function<void()>;

  virtual ~Scheduler() = default;

  // The clock this scheduler's timers follow.
  [[nodiscard]] virtual const Clock& clock() const noexcept = 0;

  // Runs `task` once at or after `when`. A time in the past runs it soon.
  virtual TimerId schedule_at(TimePoint when, Task task) = 0;

  // Cancels a pending task. True if it had not started and now never will.
  virtual bool cancel(TimerId id) = 0;

  TimerId schedule_after(Duration delay, Task task) {
    return schedule_at(clock().now() + delay, std::move(task));
  }
  // Runs `task` as soon as possible, on the scheduler's thread.
  TimerId post(Task task) { return schedule_at(clock().now(), std::move(task)); }
};

}  // namespace faultline
