#include "check_worker.hpp"

namespace faultline::health::detail {

CheckWorker::CheckWorker() : thread_([shared = shared_] { loop(shared); }) {}

CheckWorker::~CheckWorker() {
  bool busy = false;
  {
    std::lock_guard lock(shared_->mutex);
    shared_->stopping = true;
    busy = shared_->busy;
  }
  shared_->wake.notify_one();
  // A hung check must not hang the registry's owner too.
  if (busy) {
    thread_.detach();
  } else {
    thread_.join();
  }
}

void CheckWorker::run(std::function<void()> job) {
  {
    std::lock_guard lock(shared_->mutex);
    shared_->job = std::move(job);
    shared_->busy = true;
  }
  shared_->wake.notify_one();
}

void CheckWorker::loop(const std::shared_ptr<Shared>& shared) {
  std::unique_lock lock(shared->mutex);
  for (;;) {
    shared->wake.wait(lock, [&] { return shared->stopping || shared->job; });
    if (!shared->job) return;  // stopping and idle
    auto job = std::move(shared->job);
    shared->job = nullptr;
    lock.unlock();
    job();
    job = nullptr;  // release what the job captured before reporting idle
    lock.lock();
    shared->busy = false;
    if (shared->stopping) return;
  }
}

}  // namespace faultline::health::detail
