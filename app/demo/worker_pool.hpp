// WorkerPool: a fixed set of threads draining a bounded queue of jobs.
//
// The demo's clients are blocking (one thread per call in flight), so each
// client gets a pool: `workers` calls may run at once and up to
// `queue_capacity` more may wait. try_submit() never blocks and refuses a
// job when the queue is full; an open-loop load generator must not slow
// down because its target is slow, so it counts the refusal instead.
//
//   WorkerPool pool(64, 64);
//   if (!pool.try_submit([] { call(); })) count_shed();
//   pool.shutdown();   // runs what is queued, then joins
//
// Thread-safety: try_submit() is safe from any thread; shutdown() belongs
// to the owner (one thread).
// Jobs must not throw (an escaping exception terminates the process).
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace faultline::demo {

class WorkerPool {
 public:
  using Job = std::function<void()>;

  static constexpr std::size_t kWorkersMax = 256;
  static constexpr std::size_t kQueueCapacityMax = 4096;

  // Preconditions: 1 <= workers <= kWorkersMax; queue_capacity <= kQueueCapacityMax.
  WorkerPool(std::size_t workers, std::size_t queue_capacity);
  ~WorkerPool();  // shutdown()
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Queues `job` unless the queue is full or the pool is shutting down.
  [[nodiscard]] bool try_submit(Job job);
  // Refuses new jobs, runs the queued ones, joins every worker. Idempotent.
  void shutdown();

 private:
  void work();

  const std::size_t queue_capacity_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Job> queue_;  // size() <= queue_capacity_
  bool closing_ = false;
  std::vector<std::thread> workers_;
};

}  // namespace faultline::demo
