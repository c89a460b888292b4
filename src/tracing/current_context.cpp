#include "faultline/tracing/current_context.hpp"

#include "faultline/core/assert.hpp"

namespace faultline::tracing {

namespace detail {
thread_local constinit const SpanContext* current_scope_context = nullptr;
constinit const SpanContext no_current_context;
}  // namespace detail

ContextScope::ContextScope(SpanContext context) noexcept
    : context_(std::move(context)), previous_(detail::current_scope_context) {
  detail::current_scope_context = &context_;
}

ContextScope::~ContextScope() {
  // Scopes end in reverse order; one ending early would leave a stale
  // parent for every later span on this thread.
  FAULTLINE_ASSERT(detail::current_scope_context == &context_, "ContextScope ended out of order");
  detail::current_scope_context = previous_;
}

}  // namespace faultline::tracing
