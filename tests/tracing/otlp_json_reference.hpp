// The OTLP/JSON encoder as it was before it was tuned for throughput
// (commit 85a8504, src/tracing/otlp_json.cpp and json_text.cpp), kept as
// the oracle the tuned encoder must match byte for byte
// (otlp_json_equivalence_test.cpp). Test-only; not fast.
#pragma once

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "faultline/tracing/otlp_json.hpp"
#include "faultline/tracing/tracestate.hpp"

// NOLINTBEGIN
namespace faultline::tracing::reference {

namespace json {



// Length of the valid UTF-8 sequence starting at text[0], or 0.
inline std::size_t utf8_sequence_length(std::string_view text) noexcept {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char lead = byte(0);
  std::size_t length = 0;
  std::uint32_t code_point = 0;
  if (lead < 0x80) return 1;
  if (lead >= 0xc2 && lead <= 0xdf) {
    length = 2;
    code_point = lead & 0x1fu;
  } else if (lead >= 0xe0 && lead <= 0xef) {
    length = 3;
    code_point = lead & 0x0fu;
  } else if (lead >= 0xf0 && lead <= 0xf4) {
    length = 4;
    code_point = lead & 0x07u;
  } else {
    return 0;
  }
  if (text.size() < length) return 0;
  for (std::size_t i = 1; i < length; ++i) {
    if ((byte(i) & 0xc0) != 0x80) return 0;
    code_point = (code_point << 6) | (byte(i) & 0x3fu);
  }
  const bool overlong = (length == 3 && code_point < 0x800) || (length == 4 && code_point < 0x10000);
  const bool surrogate = code_point >= 0xd800 && code_point <= 0xdfff;
  if (overlong || surrogate || code_point > 0x10ffff) return 0;
  return length;
}


inline void append_string(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.push_back('"');
  while (!text.empty()) {
    const char c = text.front();
    const auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x80) {
      const std::size_t length = utf8_sequence_length(text);
      if (length == 0) {
        out.append("\xef\xbf\xbd");  // U+FFFD REPLACEMENT CHARACTER
        text.remove_prefix(1);
      } else {
        out.append(text.substr(0, length));
        text.remove_prefix(length);
      }
      continue;
    }
    switch (c) {
      case '"': out.append("\\\""); break;
      case '\\': out.append("\\\\"); break;
      case '\n': out.append("\\n"); break;
      case '\r': out.append("\\r"); break;
      case '\t': out.append("\\t"); break;
      default:
        if (byte < 0x20) {
          out.append("\\u00");
          out.push_back(kHex[byte >> 4]);
          out.push_back(kHex[byte & 0x0f]);
        } else {
          out.push_back(c);
        }
    }
    text.remove_prefix(1);
  }
  out.push_back('"');
}

inline void append_uint(std::string& out, std::uint64_t value) {
  char digits[24];
  const auto end = std::to_chars(digits, digits + sizeof digits, value).ptr;
  out.append(digits, end);
}

inline void append_int(std::string& out, std::int64_t value) {
  char digits[24];
  const auto end = std::to_chars(digits, digits + sizeof digits, value).ptr;
  out.append(digits, end);
}

inline void append_double(std::string& out, double value) {
  if (std::isnan(value)) {
    out.append("\"NaN\"");
  } else if (std::isinf(value)) {
    out.append(value > 0 ? "\"Infinity\"" : "\"-Infinity\"");
  } else {
    char digits[32];
    const auto end = std::to_chars(digits, digits + sizeof digits, value).ptr;
    out.append(digits, end);
  }
}

inline void append_quoted_uint(std::string& out, std::uint64_t value) {
  out.push_back('"');
  append_uint(out, value);
  out.push_back('"');
}

inline void append_quoted_int(std::string& out, std::int64_t value) {
  out.push_back('"');
  append_int(out, value);
  out.push_back('"');
}

}  // namespace json

using json::append_string;




inline void append_any_value(std::string& out, const AttributeValue& value);

template <class Element>
inline void append_array_value(std::string& out, const std::vector<Element>& elements) {
  out.append("{\"arrayValue\":{\"values\":[");
  bool first = true;
  for (const auto& element : elements) {
    if (!first) out.push_back(',');
    first = false;
    append_any_value(out, AttributeValue(static_cast<Element>(element)));
  }
  out.append("]}}");
}

inline void append_any_value(std::string& out, const AttributeValue& value) {
  std::visit(
      [&](const auto& v) {
        using V = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<V, std::string>) {
          out.append("{\"stringValue\":");
          append_string(out, v);
          out.push_back('}');
        } else if constexpr (std::is_same_v<V, bool>) {
          out.append(v ? "{\"boolValue\":true}" : "{\"boolValue\":false}");
        } else if constexpr (std::is_same_v<V, std::int64_t>) {
          out.append("{\"intValue\":");
          json::append_quoted_int(out, v);
          out.push_back('}');
        } else if constexpr (std::is_same_v<V, double>) {
          out.append("{\"doubleValue\":");
          json::append_double(out, v);
          out.push_back('}');
        } else {
          append_array_value(out, v);
        }
      },
      value);
}

// `"attributes":[...]` and `"droppedAttributesCount":n`, each only when
// not at its default; `,` before each field it writes.
inline void append_attribute_fields(std::string& out, const AttributeList& attributes) {
  if (!attributes.empty()) {
    out.append(",\"attributes\":[");
    bool first = true;
    for (const auto& attribute : attributes.entries()) {
      if (!first) out.push_back(',');
      first = false;
      out.append("{\"key\":");
      append_string(out, attribute.key);
      out.append(",\"value\":");
      append_any_value(out, attribute.value);
      out.push_back('}');
    }
    out.push_back(']');
  }
  if (attributes.dropped() != 0) {
    out.append(",\"droppedAttributesCount\":");
    json::append_uint(out, attributes.dropped());
  }
}

// A quoted lower-case hex id, formatted without allocating.
template <class IdType>
inline void append_hex(std::string& out, const IdType& id) {
  char hex[IdType::kHexChars];
  write_hex(id, hex);
  out.push_back('"');
  out.append(hex, sizeof hex);
  out.push_back('"');
}

inline void append_id_field(std::string& out, std::string_view name, const SpanId& id) {
  out.append(",\"").append(name).append("\":");
  append_hex(out, id);
}

inline void append_time_field(std::string& out, std::string_view name, WallTimePoint time) {
  out.append(",\"").append(name).append("\":");
  const auto nanos = time.time_since_epoch().count();
  json::append_quoted_uint(out, nanos < 0 ? 0 : static_cast<std::uint64_t>(nanos));
}

inline void append_trace_state_field(std::string& out, const SpanContext& context) {
  if (context.trace_state == nullptr || context.trace_state->empty()) return;
  out.append(",\"traceState\":");
  append_string(out, format_tracestate(*context.trace_state));
}

// Each object below starts with a field that is always present, so the
// helpers above can put their ',' first.
inline void append_event(std::string& out, const SpanEvent& event) {
  out.push_back('{');
  out.append("\"name\":");
  append_string(out, event.name);
  append_time_field(out, "timeUnixNano", event.time);
  append_attribute_fields(out, event.attributes);
  out.push_back('}');
}

inline void append_link(std::string& out, const SpanLink& link) {
  out.push_back('{');
  out.append("\"traceId\":");
  append_hex(out, link.context.trace_id);
  append_id_field(out, "spanId", link.context.span_id);
  append_trace_state_field(out, link.context);
  append_attribute_fields(out, link.attributes);
  if (link.context.flags.bits != 0) {
    out.append(",\"flags\":");
    json::append_uint(out, link.context.flags.bits);
  }
  out.push_back('}');
}

template <class Items, class AppendOne>
inline void append_list_field(std::string& out, std::string_view name, const Items& items, AppendOne append_one) {
  if (items.empty()) return;
  out.append(",\"").append(name).append("\":[");
  bool first = true;
  for (const auto& item : items) {
    if (!first) out.push_back(',');
    first = false;
    append_one(out, item);
  }
  out.push_back(']');
}

inline void append_status(std::string& out, const SpanStatus& status) {
  out.append(",\"status\":{");
  if (!status.description.empty()) {
    out.append("\"message\":");
    append_string(out, status.description);
  }
  if (status.code != SpanStatusCode::unset) {
    if (!status.description.empty()) out.push_back(',');
    out.append("\"code\":");
    json::append_uint(out, static_cast<std::uint8_t>(status.code));
  }
  out.push_back('}');
}

inline void append_span(std::string& out, const SpanData& span) {
  out.append("{\"traceId\":");
  append_hex(out, span.context.trace_id);
  append_id_field(out, "spanId", span.context.span_id);
  append_trace_state_field(out, span.context);
  if (span.parent_span_id.valid()) append_id_field(out, "parentSpanId", span.parent_span_id);
  if (span.context.flags.bits != 0) {
    out.append(",\"flags\":");
    json::append_uint(out, span.context.flags.bits);
  }
  out.append(",\"name\":");
  append_string(out, span.name);
  out.append(",\"kind\":");
  json::append_uint(out, static_cast<std::uint8_t>(span.kind));
  append_time_field(out, "startTimeUnixNano", span.start_time);
  append_time_field(out, "endTimeUnixNano", span.end_time);
  append_attribute_fields(out, span.attributes);
  append_list_field(out, "events", span.events, append_event);
  if (span.dropped_events != 0) {
    out.append(",\"droppedEventsCount\":");
    json::append_uint(out, span.dropped_events);
  }
  append_list_field(out, "links", span.links, append_link);
  if (span.dropped_links != 0) {
    out.append(",\"droppedLinksCount\":");
    json::append_uint(out, span.dropped_links);
  }
  append_status(out, span.status);
  out.push_back('}');
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

inline std::vector<ResourceGroup> group(SpanBatch spans) {
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

inline void append_resource(std::string& out, const Resource* resource) {
  out.append("\"resource\":{");
  if (resource != nullptr && !resource->attributes.empty()) {
    std::string fields;
    append_attribute_fields(fields, resource->attributes);
    out.append(fields, 1);  // without the leading ','
  }
  out.push_back('}');
}


inline void append_otlp_json(std::string& out, SpanBatch spans) {
  out.append("{\"resourceSpans\":[");
  bool first_resource = true;
  for (const auto& resource_group : group(spans)) {
    if (!first_resource) out.push_back(',');
    first_resource = false;
    out.push_back('{');
    append_resource(out, resource_group.resource);
    out.append(",\"scopeSpans\":[");
    bool first_scope = true;
    for (const auto& scope : resource_group.scopes) {
      if (!first_scope) out.push_back(',');
      first_scope = false;
      out.append("{\"scope\":{\"name\":");
      append_string(out, *scope.scope_name);
      out.append("},\"spans\":[");
      bool first_span = true;
      for (const SpanData* span : scope.spans) {
        if (!first_span) out.push_back(',');
        first_span = false;
        append_span(out, *span);
      }
      out.append("]}");
    }
    out.append("]}");
  }
  out.append("]}");
}



}  // namespace faultline::tracing::reference
// NOLINTEND
