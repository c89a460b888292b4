// Asio adapter: any policy or pipeline as a Boost.Asio asynchronous
// operation, so it takes any completion token.
//
// With boost::asio::use_awaitable a C++20 coroutine simply co_awaits the
// protected call; with a plain callback or use_future it works the same.
// The completion is delivered on the handler's associated executor (the
// coroutine's), never on the scheduler's or the operation's thread; a plain
// callback should be wrapped in boost::asio::bind_executor, or it runs on
// Asio's system executor.
//
//   boost::asio::awaitable<void> handler() {
//     Status s = co_await async_execute<Status>(pipeline, context, put_operation,
//                                               boost::asio::use_awaitable);
//   }
//
// This header includes Asio (slow to compile): include it only where
// coroutines or completion tokens are needed.
//
// Thread-safety: as the wrapped policy's async_execute().
#pragma once

#include <memory>
#include <utility>

#include "faultline/core/asio.hpp"
#include "faultline/resilience/async.hpp"

namespace faultline::resilience {

template <Outcome R, class Policy, class CompletionToken>
auto async_execute(Policy& policy, AsyncCallContext context, AsyncOperation<R> operation,
                   CompletionToken&& token) {
  return boost::asio::async_initiate<CompletionToken, void(R)>(
      [&policy](auto handler, AsyncCallContext call_context, AsyncOperation<R> call_operation) {
        using Handler = decltype(handler);
        // Asio handlers are move-only; a Completion must be copyable.
        auto shared = std::make_shared<Handler>(std::move(handler));
        auto work = std::make_shared<boost::asio::executor_work_guard<
            boost::asio::associated_executor_t<Handler>>>(boost::asio::get_associated_executor(*shared));
        policy.template async_execute<R>(call_context, std::move(call_operation),
                                         [shared, work](R outcome) {
                                           auto executor = boost::asio::get_associated_executor(*shared);
                                           boost::asio::post(executor, [shared, outcome = std::move(outcome)]() mutable {
                                             (*shared)(std::move(outcome));
                                           });
                                           work->reset();
                                         });
      },
      token, std::move(context), std::move(operation));
}

}  // namespace faultline::resilience
