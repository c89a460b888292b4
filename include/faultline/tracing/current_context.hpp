// The current span context of a thread, and carrying it across threads and
// into Asio handlers.
//
// A ContextScope makes a context current for its lifetime on this thread;
// Tracer::start_span() uses the current context as the parent when none is
// given. Scopes nest and must end in reverse order (a bug otherwise, which
// is asserted).
//
// A context does not follow work to another thread or into a handler that
// runs later: bind_context() captures the current context with the handler
// and makes it current while the handler runs. It keeps the handler's
// call signature; wrap the result with asio::bind_executor() if the
// handler needs an associated executor. A coroutine that may resume on
// another thread re-establishes its context after each co_await with a
// ContextScope of the span it holds.
//
//   auto span = tracer.start_span("replicate");
//   ContextScope scope(span.context());
//   asio::post(pool, bind_context([&] { tracer.start_span("append"); }));  // child of "replicate"
//
// Thread-safety: each thread has its own current context; nothing is shared.
#pragma once

#include <utility>

#include "faultline/tracing/span_context.hpp"

namespace faultline::tracing {

namespace detail {
// The innermost ContextScope's context on this thread, null outside any.
// A raw pointer, constant-initialized: reading it is one thread-local load,
// inline, with no initialization guard (every span start reads it).
extern thread_local constinit const SpanContext* current_scope_context;
// What current_context() answers outside any scope.
extern constinit const SpanContext no_current_context;
}  // namespace detail

// This thread's current context; an invalid context when there is none.
// The reference is valid while the scope that made it current lives.
[[nodiscard]] inline const SpanContext& current_context() noexcept {
  const SpanContext* current = detail::current_scope_context;
  return current != nullptr ? *current : detail::no_current_context;
}

// Not movable: the thread's current-context pointer points into it.
class [[nodiscard]] ContextScope {
 public:
  explicit ContextScope(SpanContext context) noexcept;
  ~ContextScope();
  ContextScope(const ContextScope&) = delete;
  ContextScope& operator=(const ContextScope&) = delete;

 private:
  const SpanContext context_;
  const SpanContext* const previous_;
};

template <class Handler>
class ContextBoundHandler {
 public:
  ContextBoundHandler(SpanContext context, Handler handler)
      : context_(std::move(context)), handler_(std::move(handler)) {}

  template <class... Args>
  decltype(auto) operator()(Args&&... args) {
    const ContextScope scope(context_);
    return handler_(std::forward<Args>(args)...);
  }

 private:
  SpanContext context_;
  Handler handler_;
};

// `handler`, run with the calling thread's current context made current.
template <class Handler>
[[nodiscard]] ContextBoundHandler<Handler> bind_context(Handler handler) {
  return ContextBoundHandler<Handler>(current_context(), std::move(handler));
}

}  // namespace faultline::tracing
