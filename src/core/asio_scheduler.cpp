#include "faultline/core/asio_scheduler.hpp"

#include <mutex>
#include <unordered_map>

#include "faultline/core/asio.hpp"
#include "faultline/core/assert.hpp"

namespace faultline {

// Shared with in-flight handlers, so a handler that fires after the
// scheduler is gone finds an empty map and does nothing.
struct AsioScheduler::State {
  explicit State(boost::asio::io_context& context) : io(context) {}
  boost::asio::io_context& io;
  std::mutex mutex;
  // Membership is the truth: a task runs only if its id is still here.
  std::unordered_map<TimerId, std::shared_ptr<boost::asio::steady_timer>> timers;
  std::unordered_map<TimerId, Scheduler::Task> tasks;
  TimerId next_id = 1;
};

AsioScheduler::AsioScheduler(boost::asio::io_context& io) : state_(std::make_shared<State>(io)) {}

AsioScheduler::~AsioScheduler() {
  std::lock_guard lock(state_->mutex);
  for (auto& [id, timer] : state_->timers) timer->cancel();
  state_->timers.clear();
  state_->tasks.clear();
}

const Clock& AsioScheduler::clock() const noexcept { return SteadyClock::instance(); }

TimerId AsioScheduler::schedule_at(TimePoint when, Task task) {
  FAULTLINE_ASSERT(task != nullptr, "scheduled an empty task");
  auto timer = std::make_shared<boost::asio::steady_timer>(state_->io);
  timer->expires_at(std::chrono::time_point_cast<std::chrono::steady_clock::duration>(when));
  TimerId id = 0;
  {
    std::lock_guard lock(state_->mutex);
    id = state_->next_id++;
    state_->timers.emplace(id, timer);
    state_->tasks.emplace(id, std::move(task));
  }
  std::weak_ptr<State> weak = state_;
  timer->async_wait([weak, id](const boost::system::error_code&) {
    const auto state = weak.lock();
    if (!state) return;
    Scheduler::Task to_run;
    {
      std::lock_guard lock(state->mutex);
      const auto found = state->tasks.find(id);
      if (found == state->tasks.end()) return;  // cancelled
      to_run = std::move(found->second);
      state->tasks.erase(found);
      state->timers.erase(id);
    }
    to_run();
  });
  return id;
}

bool AsioScheduler::cancel(TimerId id) {
  std::shared_ptr<boost::asio::steady_timer> timer;
  {
    std::lock_guard lock(state_->mutex);
    if (state_->tasks.erase(id) == 0) return false;
    const auto found = state_->timers.find(id);
    timer = found->second;
    state_->timers.erase(found);
  }
  timer->cancel();
  return true;
}

}  // namespace faultline
