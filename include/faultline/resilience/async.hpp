// The asynchronous shape of a protected call.
//
// An AsyncOperation starts work and later calls its Completion exactly once
// with an Outcome (a Status or a Result<T>). It must watch the context's
// stop token: a timeout or a losing hedge requests stop, and the operation
// should then abandon its work (close its socket, cancel its timer) and
// complete soon with whatever it has. Completions may run on any thread.
//
// Every policy offers async_execute(context, operation, done) beside its
// synchronous execute(); timers (backoff, timeouts, hedges) run on the
// context's Scheduler. asio_adapter.hpp turns this into an Asio
// asynchronous operation that accepts any completion token, including
// boost::asio::use_awaitable for C++20 coroutines.
//
//   breaker.async_execute<Status>(context,
//       [&](const AsyncCallContext& c, Completion<Status> done) { client.async_put(c, done); },
//       [](Status s) { report(s); });
//
// Thread-safety: these are type aliases; the policies document their own.
#pragma once

#include <functional>

#include "faultline/core/result.hpp"
#include "faultline/resilience/call_context.hpp"

namespace faultline::resilience {

template <class R>
using Completion = std::function<void(R)>;

template <class R>
using AsyncOperation = std::function<void(const AsyncCallContext&, Completion<R>)>;

}  // namespace faultline::resilience
