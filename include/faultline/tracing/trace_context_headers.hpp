// Reading W3C Trace Context from a request's header fields, with the
// Recommendation's rules for what to keep when part of it is bad.
//
// A carrier (an HTTP request, later a Raft message) may hold the
// traceparent field zero or more times and tracestate zero or more times.
// - No traceparent: not_found; the receiver starts a new trace.
// - More than one traceparent, or an invalid one: invalid_argument; the
//   receiver starts a new trace and ignores tracestate entirely (the
//   Recommendation: do not parse tracestate without a valid traceparent).
// - A valid traceparent with an invalid tracestate: the traceparent is
//   kept and the tracestate dropped; why is in `tracestate_status`.
//
//   std::string_view parents[] = {request["traceparent"]};
//   Result<IncomingTraceContext> in = extract_trace_context(parents, states);
//
// Thread-safety: pure functions.
#pragma once

#include <span>
#include <string_view>

#include "faultline/core/result.hpp"
#include "faultline/tracing/traceparent.hpp"
#include "faultline/tracing/tracestate.hpp"

namespace faultline::tracing {

struct IncomingTraceContext {
  TraceParent parent;
  TraceState state;
  // Ok, or why the tracestate fields were dropped.
  Status tracestate_status;
};

Result<IncomingTraceContext> extract_trace_context(std::span<const std::string_view> traceparent_fields,
                                                   std::span<const std::string_view> tracestate_fields);

}  // namespace faultline::tracing
