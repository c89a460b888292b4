// SpanContext: the part of a span that crosses process boundaries — the
// trace and span ids, the trace flags and the tracestate — and nothing
// else. It is what a child needs of its parent and what a traceparent
// header carries.
//
// Copying is cheap and never allocates: the tracestate, rarely present and
// never changed once attached, is shared immutably.
//
//   SpanContext remote = SpanContext::from_remote(incoming.parent, incoming.state);
//   auto child = tracer.start_span("GET /v3/kv/range", {.parent = &remote});
//
// Thread-safety: a value type; the shared tracestate is immutable.
#pragma once

#include <memory>

#include "faultline/tracing/ids.hpp"
#include "faultline/tracing/traceparent.hpp"
#include "faultline/tracing/tracestate.hpp"

namespace faultline::tracing {

struct SpanContext {
  TraceId trace_id;
  SpanId span_id;
  TraceFlags flags;
  // Null when there is no tracestate (the common case).
  std::shared_ptr<const TraceState> trace_state;
  // True when the context was received from another process.
  bool remote = false;

  // Both ids non-zero: a context a child can hang under.
  [[nodiscard]] bool valid() const noexcept { return trace_id.valid() && span_id.valid(); }
  [[nodiscard]] bool sampled() const noexcept { return flags.sampled(); }

  // The context a received traceparent (and tracestate) describe.
  [[nodiscard]] static SpanContext from_remote(const TraceParent& parent, TraceState state = {}) {
    SpanContext context{parent.trace_id, parent.parent_id, parent.flags, nullptr, true};
    if (!state.empty()) context.trace_state = std::make_shared<const TraceState>(std::move(state));
    return context;
  }
  // The traceparent to send with a request made inside this span.
  [[nodiscard]] TraceParent to_traceparent() const noexcept { return {trace_id, span_id, flags}; }
};

}  // namespace faultline::tracing
