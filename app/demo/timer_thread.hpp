// TimerThread: a real Scheduler with a thread of its own.
//
// The resilience Timeouts cancel abandoned attempts by requesting stop at
// their deadline, which needs a Scheduler whose timers fire while the
// calling thread is blocked in a socket read. This owns an io_context, runs
// it on one thread, and offers it as an AsioScheduler. Its header keeps
// Asio out, so the scene that uses it compiles fast.
//
//   TimerThread timers;
//   Timeout attempt({.timeout = 250ms}, clock, &timers.scheduler());
//
// Thread-safety: scheduler() is safe from any thread; the destructor
// cancels pending timers and joins the thread.
#pragma once

#include <memory>

#include "faultline/core/scheduler.hpp"

namespace boost::asio {
class io_context;
}  // namespace boost::asio

namespace faultline::demo {

class TimerThread {
 public:
  TimerThread();
  ~TimerThread();
  TimerThread(const TimerThread&) = delete;
  TimerThread& operator=(const TimerThread&) = delete;

  [[nodiscard]] Scheduler& scheduler() noexcept;
  // The loop behind scheduler(), for sockets that share its thread (the
  // replica lane's health probes).
  [[nodiscard]] boost::asio::io_context& io() noexcept;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace faultline::demo
