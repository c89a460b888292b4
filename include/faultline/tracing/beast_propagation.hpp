// Carrying a trace across HTTP with Boost.Beast: write the traceparent and
// tracestate fields of an outgoing request (or response), read them from an
// incoming one.
//
// Use inject_trace_context() on every request a traced operation sends,
// with the span the request belongs to (normally a client span), and
// extract_trace_context() on every request a server receives, before it
// starts its server span. Both work on http::fields, so a request and a
// response of any body type are accepted.
//
// Extraction follows W3C Trace Context through trace_context_headers.hpp:
// the field names match case-insensitively (Beast's rule), several
// tracestate fields are combined in order, and nothing is ever thrown: a
// missing or invalid traceparent gives an invalid context (the server then
// starts a new trace) and a Status saying why; an invalid tracestate is
// dropped and the traceparent kept.
//
//   // client
//   http::request<http::string_body> request{http::verb::post, "/v1/kv", 11};
//   inject_trace_context(span.context(), request);
//   // server
//   ExtractedTraceContext in = extract_trace_context(request);
//   Span span = tracer.start_span("POST /v1/kv", {.kind = SpanKind::server, .parent = &in.context});
//
// Thread-safety: pure functions; the fields belong to the caller.
#pragma once

#include "faultline/core/asio.hpp"

#include <boost/beast/http/fields.hpp>

#include "faultline/core/status.hpp"
#include "faultline/tracing/span_context.hpp"

namespace faultline::tracing {

inline constexpr const char* kTraceParentField = "traceparent";
inline constexpr const char* kTraceStateField = "tracestate";

struct ExtractedTraceContext {
  // Remote and valid when a valid traceparent arrived; invalid otherwise.
  SpanContext context;
  // Ok; not_found when there was no traceparent; invalid_argument when it
  // was invalid or repeated (the tracestate is then ignored too).
  Status status;
  // Ok, or why the tracestate fields were dropped.
  Status tracestate_status;
};

// Replaces any traceparent/tracestate in `fields` with `context`'s. An
// invalid context removes them: a request outside any trace carries none.
// No tracestate field is written for an empty tracestate.
void inject_trace_context(const SpanContext& context, boost::beast::http::fields& fields);
// The same with the calling thread's current context (current_context.hpp).
void inject_current_trace_context(boost::beast::http::fields& fields);

[[nodiscard]] ExtractedTraceContext extract_trace_context(const boost::beast::http::fields& fields);

}  // namespace faultline::tracing
