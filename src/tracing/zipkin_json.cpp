#include "faultline/tracing/zipkin_json.hpp"

#include <algorithm>

#include "json_text.hpp"

namespace faultline::tracing {

namespace {

std::string_view kind_name(SpanKind kind) {
  switch (kind) {
    case SpanKind::server: return "SERVER";
    case SpanKind::client: return "CLIENT";
    case SpanKind::producer: return "PRODUCER";
    case SpanKind::consumer: return "CONSUMER";
    case SpanKind::internal: break;
  }
  return {};
}

std::int64_t micros(WallTimePoint time) {
  return std::chrono::duration_cast<std::chrono::microseconds>(time.time_since_epoch()).count();
}

// An attribute value as JSON (strings quoted, arrays as arrays).
void append_json_value(std::string& out, const AttributeValue& value) {
  std::visit(
      [&](const auto& v) {
        using V = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<V, std::string>) {
          json::append_string(out, v);
        } else if constexpr (std::is_same_v<V, bool>) {
          out.append(v ? "true" : "false");
        } else if constexpr (std::is_same_v<V, std::int64_t>) {
          json::append_int(out, v);
        } else if constexpr (std::is_same_v<V, double>) {
          json::append_double(out, v);
        } else {
          out.push_back('[');
          bool first = true;
          for (const auto& element : v) {
            if (!first) out.push_back(',');
            first = false;
            append_json_value(out, AttributeValue(static_cast<typename V::value_type>(element)));
          }
          out.push_back(']');
        }
      },
      value);
}

// The tag text of a value: a string as itself, anything else as its JSON.
std::string tag_text(const AttributeValue& value) {
  if (const auto* text = std::get_if<std::string>(&value)) return *text;
  std::string out;
  append_json_value(out, value);
  return out;
}

void append_attributes_object(std::string& out, const AttributeList& attributes) {
  out.push_back('{');
  bool first = true;
  for (const auto& attribute : attributes.entries()) {
    if (!first) out.push_back(',');
    first = false;
    json::append_string(out, attribute.key);
    out.push_back(':');
    append_json_value(out, attribute.value);
  }
  out.push_back('}');
}

class TagWriter {
 public:
  explicit TagWriter(std::string& out) : out_(out) { out_.append(",\"tags\":{"); }
  ~TagWriter() { out_.push_back('}'); }
  void add(std::string_view key, std::string_view value) {
    if (!first_) out_.push_back(',');
    first_ = false;
    json::append_string(out_, key);
    out_.push_back(':');
    json::append_string(out_, value);
  }
  void add_count(std::string_view key, std::uint32_t count) {
    if (count != 0) add(key, std::to_string(count));
  }

 private:
  std::string& out_;
  bool first_ = true;
};

void append_tags(std::string& out, const SpanData& span) {
  TagWriter tags(out);
  for (const auto& attribute : span.attributes.entries()) tags.add(attribute.key, tag_text(attribute.value));
  if (span.status.code == SpanStatusCode::ok) tags.add("otel.status_code", "OK");
  if (span.status.code == SpanStatusCode::error) {
    tags.add("otel.status_code", "ERROR");
    tags.add("error", span.status.description);
  }
  if (!span.scope_name.empty()) tags.add("otel.scope.name", span.scope_name);
  tags.add_count("otel.dropped_attributes_count", span.attributes.dropped());
  tags.add_count("otel.dropped_events_count", span.dropped_events);
  tags.add_count("otel.dropped_links_count", span.dropped_links);
}

void append_annotations(std::string& out, const SpanData& span) {
  if (span.events.empty()) return;
  out.append(",\"annotations\":[");
  bool first = true;
  for (const auto& event : span.events) {
    if (!first) out.push_back(',');
    first = false;
    out.append("{\"timestamp\":");
    json::append_int(out, micros(event.time));
    out.append(",\"value\":");
    if (event.attributes.empty()) {
      json::append_string(out, event.name);
    } else {
      std::string value;
      json::append_string(value, event.name);
      value.push_back(':');
      append_attributes_object(value, event.attributes);
      json::append_string(out, value);
    }
    out.push_back('}');
  }
  out.push_back(']');
}

void append_span(std::string& out, const SpanData& span) {
  out.append("{\"traceId\":");
  json::append_string(out, to_hex(span.context.trace_id));
  out.append(",\"id\":");
  json::append_string(out, to_hex(span.context.span_id));
  if (span.parent_span_id.valid()) {
    out.append(",\"parentId\":");
    json::append_string(out, to_hex(span.parent_span_id));
  }
  if (const auto kind = kind_name(span.kind); !kind.empty()) {
    out.append(",\"kind\":");
    json::append_string(out, kind);
  }
  out.append(",\"name\":");
  json::append_string(out, span.name);
  out.append(",\"timestamp\":");
  json::append_int(out, micros(span.start_time));
  out.append(",\"duration\":");
  json::append_int(out, std::max<std::int64_t>(1, micros(span.end_time) - micros(span.start_time)));
  out.append(",\"localEndpoint\":{\"serviceName\":");
  json::append_string(out, span.resource != nullptr ? span.resource->service_name() : "unknown_service");
  out.push_back('}');
  append_annotations(out, span);
  append_tags(out, span);
  out.push_back('}');
}

}  // namespace

std::string encode_zipkin_json(SpanBatch spans) {
  std::string out = "[";
  bool first = true;
  for (const auto& span : spans) {
    if (!first) out.push_back(',');
    first = false;
    append_span(out, *span);
  }
  out.push_back(']');
  return out;
}

}  // namespace faultline::tracing
