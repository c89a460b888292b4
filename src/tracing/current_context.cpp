#include "faultline/tracing/current_context.hpp"

#include "faultline/core/assert.hpp"

namespace faultline::tracing {

namespace {
thread_local SpanContext current;
}  // namespace

const SpanContext& current_context() noexcept { return current; }

ContextScope::ContextScope(SpanContext context) noexcept
    : previous_(std::exchange(current, std::move(context))), installed_(current.span_id) {}

ContextScope::~ContextScope() {
  // Scopes end in reverse order; one ending early would leave a stale
  // parent for every later span on this thread.
  FAULTLINE_ASSERT(current.span_id == installed_, "ContextScope ended out of order");
  current = std::move(previous_);
}

}  // namespace faultline::tracing
