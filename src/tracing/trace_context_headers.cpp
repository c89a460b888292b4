#include "faultline/tracing/trace_context_headers.hpp"

#include <string>

namespace faultline::tracing {

Result<IncomingTraceContext> extract_trace_context(std::span<const std::string_view> traceparent_fields,
                                                   std::span<const std::string_view> tracestate_fields) {
  if (traceparent_fields.empty()) return Status::not_found("no traceparent header");
  if (traceparent_fields.size() > 1) {
    return Status::invalid_argument("traceparent: " + std::to_string(traceparent_fields.size()) +
                                    " header fields, at most one is allowed");
  }
  auto parent = parse_traceparent(traceparent_fields.front());
  if (!parent.ok()) return parent.status();
  IncomingTraceContext incoming{*parent, TraceState(), Status()};
  auto state = parse_tracestate(tracestate_fields);
  if (state.ok()) {
    incoming.state = std::move(*state);
  } else {
    incoming.tracestate_status = state.status();
  }
  return incoming;
}

}  // namespace faultline::tracing
