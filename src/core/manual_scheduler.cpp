#include "faultline/core/manual_scheduler.hpp"

#include "faultline/core/assert.hpp"

namespace faultline {

TimerId ManualScheduler::schedule_at(TimePoint when, Task task) {
  FAULTLINE_ASSERT(task != nullptr, "scheduled an empty task");
  std::lock_guard lock(mutex_);
  const TimerId id = next_id_++;
  tasks_.emplace(Key{when, id}, std::move(task));
  due_by_id_.emplace(id, when);
  return id;
}

bool ManualScheduler::cancel(TimerId id) {
  std::lock_guard lock(mutex_);
  const auto found = due_by_id_.find(id);
  if (found == due_by_id_.end()) return false;
  tasks_.erase(Key{found->second, id});
  due_by_id_.erase(found);
  return true;
}

bool ManualScheduler::run_one_due_by(TimePoint limit) {
  Task task;
  {
    std::lock_guard lock(mutex_);
    if (tasks_.empty() || tasks_.begin()->first.first > limit) return false;
    auto first = tasks_.begin();
    const TimePoint due = first->first.first;
    task = std::move(first->second);
    due_by_id_.erase(first->first.second);
    tasks_.erase(first);
    if (due > clock_->now()) clock_->set(due);
  }
  // Run outside the lock: a task may schedule or cancel others.
  task();
  return true;
}

std::size_t ManualScheduler::run_ready() { return run_until(clock_->now()); }

std::size_t ManualScheduler::run_until(TimePoint until) {
  std::size_t ran = 0;
  while (run_one_due_by(until)) ++ran;
  if (until > clock_->now()) clock_->set(until);
  return ran;
}

std::size_t ManualScheduler::run_all(std::size_t limit) {
  std::size_t ran = 0;
  while (ran < limit && run_one_due_by(TimePoint::max())) ++ran;
  return ran;
}

std::size_t ManualScheduler::pending() const {
  std::lock_guard lock(mutex_);
  return tasks_.size();
}

TimePoint ManualScheduler::next_due() const {
  std::lock_guard lock(mutex_);
  return tasks_.empty() ? TimePoint::max() : tasks_.begin()->first.first;
}

}  // namespace faultline
