// Timeout: bound how long a call may take, and cancel the work it abandons.
//
// A Timeout narrows the call's deadline to now + timeout (never widening a
// caller's earlier deadline: nested calls get only what remains of the
// budget) and passes it down through the CallContext, so the function can
// hand it to its socket or RPC. When a Scheduler is given, it also requests
// stop on the call's stop token at the deadline, so the work is cancelled
// (a socket closed, a loop ended) rather than left running in the
// background. Without one, cancellation is cooperative: the function must
// honour the deadline it is handed.
//
// A call that is still running when the deadline passes answers
// deadline_exceeded (reason TIMEOUT) whatever it returns late: a caller
// with a latency bound gets an answer within it or an error.
//
// Used twice in a pipeline: outermost as the total timeout for all
// attempts, innermost as the per-attempt timeout.
//
//   Timeout attempt_timeout(TimeoutConfig{.timeout = 200ms, .name = "attempt"}, clock, &scheduler);
//
// Thread-safety: one Timeout may be shared by any number of threads.
#pragma once

#include <atomic>
#include <memory>
#include <stop_token>
#include <string>

#include "faultline/core/scheduler.hpp"
#include "faultline/resilience/async.hpp"
#include "faultline/resilience/deadline_scope.hpp"
#include "faultline/resilience/invoke.hpp"
#include "faultline/resilience/rejection.hpp"

namespace faultline::resilience {

struct TimeoutConfig {
  Duration timeout = std::chrono::seconds(1);  // > 0
  std::string name = "timeout";
  [[nodiscard]] Status validate() const;
};

struct TimeoutMetrics {
  std::uint64_t calls_total = 0;
  std::uint64_t timeouts_total = 0;
};

class Timeout {
 public:
  // `canceller`, if given, fires the stop request at the deadline; it must
  // outlive the Timeout. Throws ConfigError on an invalid config.
  Timeout(TimeoutConfig config, const Clock& clock = SteadyClock::instance(),
          Scheduler* canceller = nullptr);

  template <ProtectedFunction F>
  outcome_of_t<F> execute(CallContext& context, F&& function) {
    using R = outcome_of_t<F>;
    calls_total_.fetch_add(1, std::memory_order_relaxed);
    if (context.stop_requested()) return R(cancelled_status());
    DeadlineScope scope(context, context.now() + config_.timeout);
    const TimePoint deadline = context.deadline();
    if (context.now() >= deadline) return R(expired());
    if (canceller_ == nullptr) {
      R outcome = invoke_protected(function, context);
      if (context.refresh() >= deadline) return R(expired());
      return outcome;
    }
    return execute_with_canceller<R>(context, function, deadline);
  }

  template <ProtectedFunction F>
  outcome_of_t<F> execute(F&& function) {
    CallContext context(*clock_);
    return execute(context, std::forward<F>(function));
  }

  // Completes with deadline_exceeded at the deadline if the operation has
  // not; the operation's stop token is stopped then and its late completion
  // is dropped. Precondition: context.scheduler is set.
  template <Outcome R>
  void async_execute(const AsyncCallContext& context, AsyncOperation<R> operation, Completion<R> done);

  [[nodiscard]] TimeoutMetrics metrics() const noexcept;
  [[nodiscard]] const TimeoutConfig& config() const noexcept { return config_; }

  // The error a timed-out call answers (counted).
  Status expired();
  Status cancelled_status() const;

 private:
  template <class R, class F>
  R execute_with_canceller(CallContext& context, F& function, TimePoint deadline) {
    // The stop source is shared with the timer task, which may be running
    // on the scheduler's thread at the very moment the call returns.
    auto source = std::make_shared<std::stop_source>();
    std::stop_callback forward(context.stop_token(), [source] { source->request_stop(); });
    const TimerId timer = canceller_->schedule_at(deadline, [source] { source->request_stop(); });
    const std::stop_token previous = context.swap_stop_token(source->get_token());
    R outcome = invoke_protected(function, context);
    context.swap_stop_token(previous);
    canceller_->cancel(timer);
    if (context.refresh() >= deadline) return R(expired());
    return outcome;
  }

  TimeoutConfig config_;
  const Clock* clock_;
  Scheduler* canceller_;
  std::atomic<std::uint64_t> calls_total_{0};
  std::atomic<std::uint64_t> timeouts_total_{0};
};

namespace detail {

template <Outcome R>
struct AsyncTimeoutCall {
  std::stop_source stop;
  std::atomic<bool> completed{false};
  Completion<R> done;
  TimerId timer = 0;
  std::optional<std::stop_callback<std::function<void()>>> forward;

  // Whoever comes first (the operation or the timer) completes the call.
  bool claim() noexcept { return !completed.exchange(true, std::memory_order_acq_rel); }
};

}  // namespace detail

template <Outcome R>
void Timeout::async_execute(const AsyncCallContext& context, AsyncOperation<R> operation,
                            Completion<R> done) {
  FAULTLINE_ASSERT(context.scheduler != nullptr, "async timeout needs a scheduler");
  calls_total_.fetch_add(1, std::memory_order_relaxed);
  Scheduler& scheduler = *context.scheduler;
  if (context.stop.stop_requested()) return done(R(cancelled_status()));
  AsyncCallContext inner = context;
  const TimePoint now = scheduler.clock().now();
  inner.deadline = std::min(context.deadline, now + config_.timeout);
  if (now >= inner.deadline) return done(R(expired()));

  auto call = std::make_shared<detail::AsyncTimeoutCall<R>>();
  call->done = std::move(done);
  inner.stop = call->stop.get_token();
  std::weak_ptr<detail::AsyncTimeoutCall<R>> weak = call;
  call->forward.emplace(context.stop, std::function<void()>([weak] {
    if (auto alive = weak.lock()) alive->stop.request_stop();
  }));
  call->timer = scheduler.schedule_at(inner.deadline, [this, call] {
    call->stop.request_stop();
    if (call->claim()) call->done(R(expired()));
  });
  operation(inner, [call, &scheduler](R outcome) {
    if (!call->claim()) return;  // the timer already answered
    scheduler.cancel(call->timer);
    call->done(std::move(outcome));
  });
}

}  // namespace faultline::resilience
