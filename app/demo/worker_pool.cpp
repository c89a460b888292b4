#include "demo/worker_pool.hpp"

#include <utility>

#include "faultline/core/assert.hpp"

namespace faultline::demo {

WorkerPool::WorkerPool(std::size_t workers, std::size_t queue_capacity)
    : queue_capacity_(queue_capacity) {
  FAULTLINE_ASSERT(workers >= 1 && workers <= kWorkersMax, "worker count out of range");
  FAULTLINE_ASSERT(queue_capacity <= kQueueCapacityMax, "queue capacity out of range");
  workers_.reserve(workers);
  for (std::size_t i = 0; i < workers; ++i) workers_.emplace_back([this] { work(); });
}

WorkerPool::~WorkerPool() { shutdown(); }

bool WorkerPool::try_submit(Job job) {
  FAULTLINE_ASSERT(job != nullptr, "submitted an empty job");
  {
    std::lock_guard lock(mutex_);
    if (closing_ || queue_.size() >= queue_capacity_) return false;
    queue_.push_back(std::move(job));
  }
  wake_.notify_one();
  return true;
}

void WorkerPool::shutdown() {
  {
    std::lock_guard lock(mutex_);
    closing_ = true;
  }
  wake_.notify_all();
  for (auto& worker : workers_) {
    if (worker.joinable()) worker.join();
  }
  workers_.clear();
}

void WorkerPool::work() {
  for (;;) {
    Job job;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return closing_ || !queue_.empty(); });
      if (queue_.empty()) return;  // closing and drained
      job = std::move(queue_.front());
      queue_.pop_front();
    }
    job();
  }
}

}  // namespace faultline::demo
