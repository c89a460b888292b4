// AsioScheduler: the real Scheduler, on a Boost.Asio io_context.
//
// Tasks run on whichever threads run the io_context, at steady-clock time.
// Use it in the node runtime, the client and anywhere policies need timers in
// production; tests use ManualScheduler instead. The header does not pull in
// Asio, so including it stays cheap.
//
//   boost::asio::io_context io;
//   AsioScheduler scheduler(io);
//   scheduler.schedule_after(1s, [] { ... });
//   io.run();
//
// Thread-safety: schedule_at() and cancel() are safe from any thread. The
// io_context must outlive the scheduler; destroying the scheduler cancels
// every pending task.
#pragma once

#include <memory>

#include "faultline/core/scheduler.hpp"

namespace boost::asio {
class io_context;
}  // namespace boost::asio

namespace faultline {

class AsioScheduler final : public Scheduler {
 public:
  explicit AsioScheduler(boost::asio::io_context& io);
  ~AsioScheduler() override;
  AsioScheduler(const AsioScheduler&) = delete;
  AsioScheduler& operator=(const AsioScheduler&) = delete;

  [[nodiscard]] const Clock& clock() const noexcept override;
  TimerId schedule_at(TimePoint when, Task task) override;
  bool cancel(TimerId id) override;

 private:
  struct State;
  std::shared_ptr<State> state_;
};

}  // namespace faultline
