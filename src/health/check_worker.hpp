// CheckWorker: the one thread a blocking health check runs on (internal).
//
// The registry never asks it to run a check while the previous run is in
// flight, so one job slot is enough. A job still running when the worker
// is destroyed keeps the thread: it is detached and finishes on its own.
//
// Thread-safety: run() and the destructor from any thread.
#pragma once

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

namespace faultline::health::detail {

class CheckWorker {
 public:
  CheckWorker();
  ~CheckWorker();
  CheckWorker(const CheckWorker&) = delete;
  CheckWorker& operator=(const CheckWorker&) = delete;

  // Precondition: the previous job has finished.
  void run(std::function<void()> job);

 private:
  struct Shared {
    std::mutex mutex;
    std::condition_variable wake;
    std::function<void()> job;
    bool busy = false;
    bool stopping = false;
  };
  static void loop(const std::shared_ptr<Shared>& shared);

  std::shared_ptr<Shared> shared_ = std::make_shared<Shared>();
  std::thread thread_;
};

}  // namespace faultline::health::detail
