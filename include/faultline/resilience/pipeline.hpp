// Pipeline: several policies composed, in a chosen order, as one object.
//
// The first policy given is the outermost. The recommended order, and why
// (docs/resilience.md explains it at length):
//
//   fallback -> total timeout -> retry (with its budget) -> circuit breaker
//            -> bulkhead -> attempt timeout -> the call
//
// The fallback sees the final answer; the total timeout bounds everything,
// waits included; each retry goes through the breaker, so an open breaker
// stops retries from hammering a dead service and its retry_after tells the
// retry how long to wait; the bulkhead is taken per attempt, so a waiting
// retry holds no slot; the attempt timeout bounds one try.
//
//   auto pipeline = make_pipeline(clock, total_timeout, retry, breaker, bulkhead, attempt_timeout);
//   Result<Reply> reply = pipeline.execute([&](CallContext& c) { return call(c); });
//
// A Pipeline holds shared_ptrs to its policies: copying it is cheap, the
// policies (and their state: breaker windows, budgets) are shared by every
// copy, and execute() is a chain of inlined calls with no allocation.
//
// Thread-safety: execute() and async_execute() are safe from any thread.
#pragma once

#include <memory>
#include <tuple>
#include <utility>

#include "faultline/resilience/async.hpp"
#include "faultline/resilience/invoke.hpp"

namespace faultline::resilience {

template <class... Policies>
class Pipeline {
 public:
  explicit Pipeline(const Clock& clock, std::shared_ptr<Policies>... policies)
      : clock_(&clock), policies_(std::move(policies)...) {}

  template <ProtectedFunction F>
  outcome_of_t<F> execute(CallContext& context, F&& function) const {
    return run<0>(context, function);
  }

  template <ProtectedFunction F>
  outcome_of_t<F> execute(F&& function) const {
    CallContext context(*clock_);
    return run<0>(context, function);
  }

  // The policies must stay alive until `done` runs; this pipeline's copies
  // captured in the chain keep them alive.
  template <Outcome R>
  void async_execute(const AsyncCallContext& context, AsyncOperation<R> operation,
                     Completion<R> done) const {
    run_async<0, R>(context, std::move(operation), std::move(done));
  }

  template <std::size_t I>
  [[nodiscard]] auto& policy() const noexcept {
    return *std::get<I>(policies_);
  }
  [[nodiscard]] const Clock& clock() const noexcept { return *clock_; }

 private:
  template <std::size_t I, class F>
  outcome_of_t<F> run(CallContext& context, F& function) const {
    if constexpr (I == sizeof...(Policies)) {
      return invoke_protected(function, context);
    } else {
      return std::get<I>(policies_)->execute(
          context, [this, &function](CallContext& inner) -> outcome_of_t<F> {
            return run<I + 1>(inner, function);
          });
    }
  }

  template <std::size_t I, class R>
  void run_async(const AsyncCallContext& context, AsyncOperation<R> operation,
                 Completion<R> done) const {
    if constexpr (I == sizeof...(Policies)) {
      operation(context, std::move(done));
    } else {
      AsyncOperation<R> inner = [self = *this, operation = std::move(operation)](
                                    const AsyncCallContext& c, Completion<R> d) {
        self.template run_async<I + 1, R>(c, operation, std::move(d));
      };
      std::get<I>(policies_)->template async_execute<R>(context, std::move(inner), std::move(done));
    }
  }

  const Clock* clock_;
  std::tuple<std::shared_ptr<Policies>...> policies_;
};

template <class... Policies>
Pipeline<Policies...> make_pipeline(const Clock& clock, std::shared_ptr<Policies>... policies) {
  return Pipeline<Policies...>(clock, std::move(policies)...);
}

}  // namespace faultline::resilience
