#include "faultline/tracing/beast_propagation.hpp"

#include <string>
#include <string_view>
#include <vector>

#include "faultline/tracing/current_context.hpp"
#include "faultline/tracing/trace_context_headers.hpp"

namespace faultline::tracing {

namespace {

// Every value of a field, in the order they arrived.
std::vector<std::string_view> field_values(const boost::beast::http::fields& fields, const char* name) {
  std::vector<std::string_view> values;
  const auto range = fields.equal_range(name);
  for (auto it = range.first; it != range.second; ++it) {
    values.emplace_back(it->value().data(), it->value().size());
  }
  return values;
}

}  // namespace

void inject_trace_context(const SpanContext& context, boost::beast::http::fields& fields) {
  fields.erase(kTraceParentField);
  fields.erase(kTraceStateField);
  if (!context.valid()) return;
  char traceparent[kTraceParentChars];
  write_traceparent(context.to_traceparent(), traceparent);
  fields.set(kTraceParentField, boost::beast::string_view(traceparent, kTraceParentChars));
  if (context.trace_state && !context.trace_state->empty()) {
    const std::string state = format_tracestate(*context.trace_state);
    fields.set(kTraceStateField, boost::beast::string_view(state.data(), state.size()));
  }
}

void inject_current_trace_context(boost::beast::http::fields& fields) {
  inject_trace_context(current_context(), fields);
}

ExtractedTraceContext extract_trace_context(const boost::beast::http::fields& fields) {
  const auto parents = field_values(fields, kTraceParentField);
  const auto states = field_values(fields, kTraceStateField);
  auto incoming = extract_trace_context(std::span<const std::string_view>(parents),
                                        std::span<const std::string_view>(states));
  ExtractedTraceContext extracted;
  if (!incoming.ok()) {
    extracted.status = incoming.status();
    return extracted;
  }
  extracted.context = SpanContext::from_remote(incoming->parent, std::move(incoming->state));
  extracted.tracestate_status = std::move(incoming->tracestate_status);
  return extracted;
}

}  // namespace faultline::tracing
