// Fallback: answer something useful when everything else failed.
//
// The outermost policy of a pipeline. When the protected call ends in an
// error that `handles` accepts (default: every error), the handler turns the
// error into an outcome of the same type: a cached value, a default, a
// degraded answer, or a clearer error. The handler sees the final Status, so
// it can answer differently for an open breaker and for a timeout.
//
//   auto fallback = make_fallback([](const Status& error) -> Result<Price> {
//     return cached_price();                     // stale but useful
//   });
//
// Thread-safety: safe to share if the handler is; the counter is atomic.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <utility>

#include "faultline/resilience/async.hpp"
#include "faultline/resilience/invoke.hpp"

namespace faultline::resilience {

template <class Handler>
class Fallback {
 public:
  // `handles` null: every error goes to the handler.
  explicit Fallback(Handler handler, std::function<bool(const Status&)> handles = {})
      : handler_(std::move(handler)), handles_(std::move(handles)) {}

  template <ProtectedFunction F>
  outcome_of_t<F> execute(CallContext& context, F&& function) {
    using R = outcome_of_t<F>;
    R outcome = invoke_protected(function, context);
    if (!should_handle(status_of(outcome))) return outcome;
    return R(handler_(status_of(outcome)));
  }

  template <Outcome R>
  void async_execute(const AsyncCallContext& context, AsyncOperation<R> operation, Completion<R> done) {
    operation(context, [this, done = std::move(done)](R outcome) {
      if (!should_handle(status_of(outcome))) return done(std::move(outcome));
      done(R(handler_(status_of(outcome))));
    });
  }

  [[nodiscard]] std::uint64_t fallbacks_total() const noexcept {
    return fallbacks_total_.load(std::memory_order_relaxed);
  }

 private:
  bool should_handle(const Status& status) {
    if (status.ok() || (handles_ && !handles_(status))) return false;
    fallbacks_total_.fetch_add(1, std::memory_order_relaxed);
    return true;
  }

  Handler handler_;
  std::function<bool(const Status&)> handles_;
  std::atomic<std::uint64_t> fallbacks_total_{0};
};

template <class Handler>
std::shared_ptr<Fallback<Handler>> make_fallback(Handler handler,
                                                 std::function<bool(const Status&)> handles = {}) {
  return std::make_shared<Fallback<Handler>>(std::move(handler), std::move(handles));
}

}  // namespace faultline::resilience
