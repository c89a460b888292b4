#include "faultline/tracing/otlp_json.hpp"

#include <algorithm>
#include <chrono>
#include <vector>

#include "otlp_json_writer.hpp"

namespace faultline::tracing {

namespace {

using json::JsonBuffer;
using json::put_string;

void put_any_value(JsonBuffer& out, const AttributeValue& value);

template <class Element>
void put_array_value(JsonBuffer& out, const std::vector<Element>& elements) {
  out.put_literal("{\"arrayValue\":{\"values\":[");
  bool first = true;
  for (const auto& element : elements) {
    if (!first) out.put(',');
    first = false;
    put_any_value(out, AttributeValue(static_cast<Element>(element)));
  }
  out.put_literal("]}}");
}

void put_any_value(JsonBuffer& out, const AttributeValue& value) {
  std::visit(
      [&](const auto& v) {
        using V = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<V, std::string>) {
          out.put_literal("{\"stringValue\":");
          put_string(out, v);
          out.put('}');
        } else if constexpr (std::is_same_v<V, bool>) {
          if (v) {
            out.put_literal("{\"boolValue\":true}");
          } else {
            out.put_literal("{\"boolValue\":false}");
          }
        } else if constexpr (std::is_same_v<V, std::int64_t>) {
          out.put_literal("{\"intValue\":");
          json::put_quoted_int(out, v);
          out.put('}');
        } else if constexpr (std::is_same_v<V, double>) {
          out.put_literal("{\"doubleValue\":");
          json::put_double(out, v);
          out.put('}');
        } else {
          put_array_value(out, v);
        }
      },
      value);
}

// `"attributes":[...]` and `"droppedAttributesCount":n`, each only when
// not at its default; `,` before each field it writes unless `leading_comma`
// is false (the resource, whose object starts with them).
void put_attribute_fields(JsonBuffer& out, const AttributeList& attributes, bool leading_comma = true) {
  if (!attributes.empty()) {
    if (leading_comma) out.put(',');
    out.put_literal("\"attributes\":[");
    bool first = true;
    for (const auto& attribute : attributes.entries()) {
      if (!first) out.put(',');
      first = false;
      out.put_literal("{\"key\":");
      put_string(out, attribute.key);
      out.put_literal(",\"value\":");
      put_any_value(out, attribute.value);
      out.put('}');
    }
    out.put(']');
    leading_comma = true;
  }
  if (attributes.dropped() != 0) {
    if (leading_comma) out.put(',');
    out.put_literal("\"droppedAttributesCount\":");
    json::put_uint(out, attributes.dropped());
  }
}

template <class IdType>
void put_hex(JsonBuffer& out, const IdType& id) {
  json::put_quoted_hex(out, id.bytes.data(), IdType::kBytes);
}

void put_time(JsonBuffer& out, WallTimePoint time) {
  const auto nanos = time.time_since_epoch().count();
  json::put_quoted_uint(out, nanos < 0 ? 0 : static_cast<std::uint64_t>(nanos));
}

void put_trace_state_field(JsonBuffer& out, const SpanContext& context) {
  if (context.trace_state == nullptr || context.trace_state->empty()) return;
  out.put_literal(",\"traceState\":");
  put_string(out, format_tracestate(*context.trace_state));
}

// Each object below starts with a field that is always present, so the
// helpers above can put their ',' first.
void put_event(JsonBuffer& out, const SpanEvent& event) {
  out.put_literal("{\"name\":");
  put_string(out, event.name);
  out.put_literal(",\"timeUnixNano\":");
  put_time(out, event.time);
  put_attribute_fields(out, event.attributes);
  out.put('}');
}

void put_link(JsonBuffer& out, const SpanLink& link) {
  out.put_literal("{\"traceId\":");
  put_hex(out, link.context.trace_id);
  out.put_literal(",\"spanId\":");
  put_hex(out, link.context.span_id);
  put_trace_state_field(out, link.context);
  put_attribute_fields(out, link.attributes);
  if (link.context.flags.bits != 0) {
    out.put_literal(",\"flags\":");
    json::put_uint(out, link.context.flags.bits);
  }
  out.put('}');
}

template <std::size_t N, class Items, class PutOne>
void put_list_field(JsonBuffer& out, const char (&opening)[N], const Items& items, PutOne put_one) {
  if (items.empty()) return;
  out.put_literal(opening);
  bool first = true;
  for (const auto& item : items) {
    if (!first) out.put(',');
    first = false;
    put_one(out, item);
  }
  out.put(']');
}

void put_status(JsonBuffer& out, const SpanStatus& status) {
  out.put_literal(",\"status\":{");
  if (!status.description.empty()) {
    out.put_literal("\"message\":");
    put_string(out, status.description);
  }
  if (status.code != SpanStatusCode::unset) {
    if (!status.description.empty()) out.put(',');
    out.put_literal("\"code\":");
    json::put_uint(out, static_cast<std::uint8_t>(status.code));
  }
  out.put('}');
}

void put_span(JsonBuffer& out, const SpanData& span) {
  out.put_literal("{\"traceId\":");
  put_hex(out, span.context.trace_id);
  out.put_literal(",\"spanId\":");
  put_hex(out, span.context.span_id);
  put_trace_state_field(out, span.context);
  if (span.parent_span_id.valid()) {
    out.put_literal(",\"parentSpanId\":");
    put_hex(out, span.parent_span_id);
  }
  if (span.context.flags.bits != 0) {
    out.put_literal(",\"flags\":");
    json::put_uint(out, span.context.flags.bits);
  }
  out.put_literal(",\"name\":");
  put_string(out, span.name);
  out.put_literal(",\"kind\":");
  json::put_uint(out, static_cast<std::uint8_t>(span.kind));
  out.put_literal(",\"startTimeUnixNano\":");
  put_time(out, span.start_time);
  out.put_literal(",\"endTimeUnixNano\":");
  put_time(out, span.end_time);
  put_attribute_fields(out, span.attributes);
  put_list_field(out, ",\"events\":[", span.events, put_event);
  if (span.dropped_events != 0) {
    out.put_literal(",\"droppedEventsCount\":");
    json::put_uint(out, span.dropped_events);
  }
  put_list_field(out, ",\"links\":[", span.links, put_link);
  if (span.dropped_links != 0) {
    out.put_literal(",\"droppedLinksCount\":");
    json::put_uint(out, span.dropped_links);
  }
  put_status(out, span.status);
  out.put('}');
}

void put_resource(JsonBuffer& out, const Resource* resource) {
  out.put_literal("\"resource\":{");
  // As written before: a resource's dropped count only beside attributes.
  if (resource != nullptr && !resource->attributes.empty()) put_attribute_fields(out, resource->attributes, false);
  out.put('}');
}

// `{"scope":{"name":...},"spans":[` ... `]}`, the spans given by `each`.
template <class EachSpan>
void put_scope_spans(JsonBuffer& out, const std::string& scope_name, EachSpan each) {
  out.put_literal("{\"scope\":{\"name\":");
  put_string(out, scope_name);
  out.put_literal("},\"spans\":[");
  bool first_span = true;
  each([&](const SpanData& span) {
    if (!first_span) out.put(',');
    first_span = false;
    put_span(out, span);
  });
  out.put_literal("]}");
}

// Spans of one resource and scope, in batch order.
struct ScopeGroup {
  const std::string* scope_name;
  std::vector<const SpanData*> spans;
};
struct ResourceGroup {
  const Resource* resource;
  std::vector<ScopeGroup> scopes;
};

std::vector<ResourceGroup> group(SpanBatch spans) {
  std::vector<ResourceGroup> groups;
  for (const auto& span : spans) {
    const Resource* resource = span->resource.get();
    auto resource_group = std::find_if(groups.begin(), groups.end(),
                                       [&](const ResourceGroup& g) { return g.resource == resource; });
    if (resource_group == groups.end()) resource_group = groups.insert(groups.end(), ResourceGroup{resource, {}});
    auto& scopes = resource_group->scopes;
    auto scope = std::find_if(scopes.begin(), scopes.end(),
                              [&](const ScopeGroup& s) { return *s.scope_name == span->scope_name; });
    if (scope == scopes.end()) scope = scopes.insert(scopes.end(), ScopeGroup{&span->scope_name, {}});
    scope->spans.push_back(span.get());
  }
  return groups;
}

// The common case, one tracer's batch: every span of one resource and one
// scope, so there is nothing to group.
bool one_resource_and_scope(SpanBatch spans) {
  const Resource* resource = spans.front()->resource.get();
  const std::string& scope_name = spans.front()->scope_name;
  return std::all_of(spans.begin(), spans.end(), [&](const std::unique_ptr<SpanData>& span) {
    return span->resource.get() == resource && span->scope_name == scope_name;
  });
}

}  // namespace

void put_otlp_json(JsonBuffer& out, SpanBatch spans) {
  out.put_literal("{\"resourceSpans\":[");
  if (!spans.empty() && one_resource_and_scope(spans)) {
    out.put('{');
    put_resource(out, spans.front()->resource.get());
    out.put_literal(",\"scopeSpans\":[");
    put_scope_spans(out, spans.front()->scope_name, [&](const auto& put) {
      for (const auto& span : spans) put(*span);
    });
    out.put_literal("]}");
  } else {
    bool first_resource = true;
    for (const auto& resource_group : group(spans)) {
      if (!first_resource) out.put(',');
      first_resource = false;
      out.put('{');
      put_resource(out, resource_group.resource);
      out.put_literal(",\"scopeSpans\":[");
      bool first_scope = true;
      for (const auto& scope : resource_group.scopes) {
        if (!first_scope) out.put(',');
        first_scope = false;
        put_scope_spans(out, *scope.scope_name, [&](const auto& put) {
          for (const SpanData* span : scope.spans) put(*span);
        });
      }
      out.put_literal("]}");
    }
  }
  out.put_literal("]}");
}

namespace {
// One per thread, kept: a fresh buffer per batch would grow through a
// dozen allocations and, past malloc's mmap threshold, fault in fresh
// pages every time (it made encoding five times slower).
json::JsonBuffer& thread_buffer() {
  thread_local json::JsonBuffer buffer;
  buffer.clear();
  return buffer;
}
}  // namespace

void append_otlp_json(std::string& out, SpanBatch spans) {
  json::JsonBuffer& buffer = thread_buffer();
  put_otlp_json(buffer, spans);
  out.append(buffer.data(), buffer.size());
}

std::string encode_otlp_json(SpanBatch spans) {
  json::JsonBuffer& buffer = thread_buffer();
  put_otlp_json(buffer, spans);
  return std::string(buffer.view());
}

}  // namespace faultline::tracing
