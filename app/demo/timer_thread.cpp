#include "demo/timer_thread.hpp"

#include <optional>
#include <thread>

#include "faultline/core/asio.hpp"
#include "faultline/core/asio_scheduler.hpp"

namespace faultline::demo {

// Member order is teardown order reversed: the scheduler (which cancels its
// timers) goes before the io_context it posts to.
struct TimerThread::Impl {
  boost::asio::io_context io{1};
  // Keeps run() going while no timer is pending.
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>>
      keep_running{boost::asio::make_work_guard(io)};
  AsioScheduler scheduler{io};
  std::thread thread{[this] { io.run(); }};
};

TimerThread::TimerThread() : impl_(std::make_unique<Impl>()) {}

TimerThread::~TimerThread() {
  impl_->keep_running.reset();
  impl_->io.stop();
  impl_->thread.join();
}

Scheduler& TimerThread::scheduler() noexcept { return impl_->scheduler; }

boost::asio::io_context& TimerThread::io() noexcept { return impl_->io; }

}  // namespace faultline::demo
