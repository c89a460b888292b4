// Bulkhead: a bound on concurrent calls, with an optional bounded queue.
//
// Use one per downstream dependency so a slow dependency can hold at most
// max_concurrent_calls of your threads or connections, and the rest of the
// service keeps working. A call beyond the limit waits in a queue of at most
// max_queued_calls for at most max_queue_wait (and never past its deadline),
// or is rejected at once with resource_exhausted (reason BULKHEAD_FULL).
//
//   Bulkhead bulkhead(BulkheadConfig{.name = "db", .max_concurrent_calls = 16});
//   auto rows = bulkhead.execute([&] { return db.query(sql); });
//
// The admission fast path is one compare-and-swap, lock-free; only a call
// that has to queue takes a lock. Queued synchronous callers block their
// thread for real time (the wait is computed on the injected clock);
// queued async callers hold no thread.
//
// Thread-safety: one Bulkhead may be shared by any number of threads.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>

#include "faultline/core/scheduler.hpp"
#include "faultline/resilience/async.hpp"
#include "faultline/resilience/events.hpp"
#include "faultline/resilience/invoke.hpp"
#include "faultline/resilience/rejection.hpp"

namespace faultline::resilience {

struct BulkheadConfig {
  std::string name = "bulkhead";
  std::uint32_t max_concurrent_calls = 25;  // >= 1
  std::uint32_t max_queued_calls = 0;       // 0: no queue, reject at once
  Duration max_queue_wait = Duration::zero();  // >= 0; > 0 when max_queued_calls > 0
  [[nodiscard]] Status validate() const;
};

struct BulkheadMetrics {
  std::uint32_t in_flight = 0;
  std::uint32_t queued = 0;
  std::uint64_t admitted_total = 0;
  std::uint64_t rejected_total = 0;
};

struct BulkheadEvent {
  enum class Kind : std::uint8_t { rejected, queued, queue_timeout };
  Kind kind;
  std::string_view bulkhead_name;
};

class Bulkhead {
 public:
  // Throws ConfigError on an invalid config.
  explicit Bulkhead(BulkheadConfig config, const Clock& clock = SteadyClock::instance());
  ~Bulkhead();
  Bulkhead(const Bulkhead&) = delete;
  Bulkhead& operator=(const Bulkhead&) = delete;

  // Takes a slot if one is free now. Lock-free.
  [[nodiscard]] bool try_acquire() noexcept;
  // Takes a slot, queueing if allowed; ok or the rejection to return.
  [[nodiscard]] Status acquire(CallContext& context);
  // Returns a slot taken by try_acquire()/acquire().
  void release() noexcept;

  template <ProtectedFunction F>
  outcome_of_t<F> execute(CallContext& context, F&& function) {
    using R = outcome_of_t<F>;
    if (!try_acquire()) {
      Status admitted = acquire(context);
      if (!admitted.ok()) return R(std::move(admitted));
    }
    struct Release {
      Bulkhead* bulkhead;
      ~Release() { bulkhead->release(); }
    } release{this};
    return invoke_protected(function, context);
  }

  template <ProtectedFunction F>
  outcome_of_t<F> execute(F&& function) {
    CallContext context(*clock_);
    return execute(context, std::forward<F>(function));
  }

  // Queued async calls wait without a thread; a released slot goes to the
  // oldest waiter. Precondition: context.scheduler is set when queueing is
  // configured.
  template <Outcome R>
  void async_execute(const AsyncCallContext& context, AsyncOperation<R> operation, Completion<R> done) {
    auto shared_done = std::make_shared<Completion<R>>(std::move(done));
    auto resume = [this, context, operation = std::move(operation), shared_done](Status admitted) {
      if (!admitted.ok()) return (*shared_done)(R(std::move(admitted)));
      operation(context, [this, shared_done](R outcome) {
        release();
        (*shared_done)(std::move(outcome));
      });
    };
    if (try_acquire()) return resume(Status());
    enqueue_async(context, std::move(resume));
  }

  [[nodiscard]] BulkheadMetrics metrics() const noexcept;
  EventHub<BulkheadEvent>& events() noexcept { return events_; }
  [[nodiscard]] const BulkheadConfig& config() const noexcept { return config_; }

 private:
  struct AsyncWaiter {
    std::function<void(Status)> resume;
    Scheduler* scheduler = nullptr;
    TimerId timer = 0;
  };
  Status reject(BulkheadEvent::Kind kind);
  void enqueue_async(const AsyncCallContext& context, std::function<void(Status)> resume);
  void expire_async_waiter(const std::shared_ptr<AsyncWaiter>& waiter);
  void hand_off_to_waiters();

  BulkheadConfig config_;
  const Clock* clock_;
  std::atomic<std::uint32_t> in_flight_{0};
  std::atomic<std::uint32_t> waiting_{0};
  std::atomic<std::uint64_t> admitted_total_{0};
  std::atomic<std::uint64_t> rejected_total_{0};
  std::mutex mutex_;
  std::condition_variable_any slot_freed_;
  std::deque<std::shared_ptr<AsyncWaiter>> async_waiters_;
  EventHub<BulkheadEvent> events_;
};

}  // namespace faultline::resilience
