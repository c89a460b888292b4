// Hedging: if the first attempt is slow, send another; first good answer wins.
//
// Tail latency is often one slow replica or one lost packet. A hedged call
// starts attempt 1, and if no answer has come after `delay`, starts attempt
// 2 alongside it (up to max_attempts in all). The first successful answer
// completes the call and every other attempt is told to stop through its
// stop token. A non-fatal failure (default: a transient one) starts the next
// hedge at once instead of waiting out the delay; a fatal one ends the call.
// If all attempts fail, the call answers the last failure.
//
// Only hedge idempotent calls: several attempts may reach the server.
//
//   Hedging hedging(HedgingConfig{.max_attempts = 2, .delay = 20ms}, scheduler);
//   hedging.async_execute<Result<Row>>(context, read_row, on_row);
//
// execute() (synchronous) runs each attempt on its own thread and joins them
// all before returning: losers are stopped, never left running. It needs a
// scheduler that runs on its own (an AsioScheduler with a running
// io_context), since the caller's thread is blocked waiting.
//
// Thread-safety: one Hedging may be shared by any number of threads.
#pragma once

#include <atomic>
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "faultline/core/scheduler.hpp"
#include "faultline/resilience/async.hpp"
#include "faultline/resilience/invoke.hpp"

namespace faultline::resilience {

struct HedgingConfig {
  std::string name = "hedging";
  std::uint32_t max_attempts = 2;  // in [1, 16], the first included
  Duration delay = std::chrono::milliseconds(50);  // >= 0
  // Failures after which the next hedge starts at once; null: transient ones.
  std::function<bool(const Status&)> non_fatal = {};
  [[nodiscard]] Status validate() const;
};

struct HedgingMetrics {
  std::uint64_t calls_total = 0;
  std::uint64_t hedges_total = 0;       // attempts beyond the first
  std::uint64_t hedge_wins_total = 0;   // calls answered by an attempt beyond the first
};

class Hedging {
 public:
  // Throws ConfigError on an invalid config. `scheduler` must outlive this.
  Hedging(HedgingConfig config, Scheduler& scheduler);

  template <Outcome R>
  void async_execute(const AsyncCallContext& context, AsyncOperation<R> operation, Completion<R> done);

  template <ProtectedFunction F>
  outcome_of_t<F> execute(CallContext& context, F&& function);

  [[nodiscard]] HedgingMetrics metrics() const noexcept;
  [[nodiscard]] const HedgingConfig& config() const noexcept { return config_; }

  // Internal bookkeeping shared with the call state below.
  [[nodiscard]] bool non_fatal(const Status& status) const {
    return config_.non_fatal ? config_.non_fatal(status) : status.transient();
  }
  void count_hedge() noexcept { hedges_total_.fetch_add(1, std::memory_order_relaxed); }
  void count_win(std::uint32_t attempt) noexcept {
    if (attempt > 1) hedge_wins_total_.fetch_add(1, std::memory_order_relaxed);
  }
  Scheduler& scheduler() noexcept { return *scheduler_; }

 private:
  HedgingConfig config_;
  Scheduler* scheduler_;
  std::atomic<std::uint64_t> calls_total_{0};
  std::atomic<std::uint64_t> hedges_total_{0};
  std::atomic<std::uint64_t> hedge_wins_total_{0};
};

namespace detail {

template <Outcome R>
class HedgedCall : public std::enable_shared_from_this<HedgedCall<R>> {
 public:
  HedgedCall(Hedging& hedging, AsyncCallContext context, AsyncOperation<R> operation, Completion<R> done)
      : hedging_(hedging), context_(std::move(context)), operation_(std::move(operation)),
        done_(std::move(done)) {}

  void start() {
    std::unique_lock lock(mutex_);
    launch(lock);
  }

 private:
  // Starts the next attempt and arms the hedge timer. Called with the lock
  // held; releases it around the operation so completions can take it.
  void launch(std::unique_lock<std::mutex>& lock) {
    if (finished_ || started_ >= hedging_.config().max_attempts) return;
    const std::uint32_t attempt = ++started_;
    if (attempt > 1) hedging_.count_hedge();
    stops_.push_back(std::make_shared<std::stop_source>());
    AsyncCallContext attempt_context = context_;
    attempt_context.stop = stops_.back()->get_token();
    if (started_ < hedging_.config().max_attempts) arm_timer();
    auto self = this->shared_from_this();
    lock.unlock();
    operation_(attempt_context, [self, attempt](R outcome) { self->finished(attempt, std::move(outcome)); });
    lock.lock();
  }

  void arm_timer() {
    std::weak_ptr<HedgedCall> weak = this->shared_from_this();
    timer_ = hedging_.scheduler().schedule_after(hedging_.config().delay, [weak] {
      if (auto self = weak.lock()) {
        std::unique_lock lock(self->mutex_);
        self->timer_ = 0;
        self->launch(lock);
      }
    });
  }

  void finished(std::uint32_t attempt, R outcome) {
    std::unique_lock lock(mutex_);
    if (finished_) return;
    ++completed_;
    const Status& status = status_of(outcome);
    const bool last = completed_ == hedging_.config().max_attempts;
    if (status.ok() || !hedging_.non_fatal(status) || last) {
      return finish(lock, attempt, std::move(outcome));
    }
    if (started_ < hedging_.config().max_attempts) {
      if (timer_ != 0) hedging_.scheduler().cancel(timer_);
      timer_ = 0;
      launch(lock);  // a non-fatal failure: hedge now rather than after the delay
    } else if (completed_ == started_) {
      finish(lock, attempt, std::move(outcome));
    }
  }

  void finish(std::unique_lock<std::mutex>& lock, std::uint32_t attempt, R outcome) {
    finished_ = true;
    if (timer_ != 0) hedging_.scheduler().cancel(timer_);
    for (auto& stop : stops_) stop->request_stop();  // the losers
    if (status_of(outcome).ok()) hedging_.count_win(attempt);
    lock.unlock();
    done_(std::move(outcome));
  }

  Hedging& hedging_;
  AsyncCallContext context_;
  AsyncOperation<R> operation_;
  Completion<R> done_;
  std::mutex mutex_;
  std::vector<std::shared_ptr<std::stop_source>> stops_;
  std::uint32_t started_ = 0;
  std::uint32_t completed_ = 0;
  bool finished_ = false;
  TimerId timer_ = 0;
};

}  // namespace detail

template <Outcome R>
void Hedging::async_execute(const AsyncCallContext& context, AsyncOperation<R> operation,
                            Completion<R> done) {
  calls_total_.fetch_add(1, std::memory_order_relaxed);
  auto call = std::make_shared<detail::HedgedCall<R>>(*this, context, std::move(operation), std::move(done));
  call->start();
}

template <ProtectedFunction F>
outcome_of_t<F> Hedging::execute(CallContext& context, F&& function) {
  using R = outcome_of_t<F>;
  // Shared with the scheduler's thread, which may be launching a hedge at
  // the moment the winner answers: once closed, no attempt touches this
  // frame's function again.
  struct Attempts {
    std::mutex mutex;
    std::vector<std::jthread> threads;
    bool closed = false;
  };
  auto attempts = std::make_shared<Attempts>();
  auto answer = std::make_shared<std::promise<R>>();
  std::future<R> answered = answer->get_future();
  const Clock& clock = context.clock();
  AsyncCallContext async_context{scheduler_, context.deadline(), context.stop_token()};
  async_execute<R>(
      async_context,
      [attempts, &function, &clock](const AsyncCallContext& attempt, Completion<R> done) {
        std::lock_guard lock(attempts->mutex);
        if (attempts->closed) return;  // the call already has its answer
        attempts->threads.emplace_back([&function, &clock, attempt, done = std::move(done)] {
          CallContext attempt_context(clock, attempt.deadline, attempt.stop);
          done(invoke_protected(function, attempt_context));
        });
      },
      [answer](R outcome) { answer->set_value(std::move(outcome)); });
  R outcome = answered.get();
  std::vector<std::jthread> losers;
  {
    std::lock_guard lock(attempts->mutex);
    attempts->closed = true;
    losers = std::move(attempts->threads);
  }
  losers.clear();  // told to stop already; joined here so none outlives the call
  context.invalidate();
  return outcome;
}

}  // namespace faultline::resilience
