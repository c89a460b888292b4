#include "trace_command/trace_file.hpp"

#include <charconv>
#include <nlohmann/json.hpp>

namespace faultline::app {

namespace {

using nlohmann::json;

Status at_line(std::size_t line, std::string_view what) {
  return Status::invalid_argument("line " + std::to_string(line) + ": " + std::string(what));
}

bool lower_hex_of_length(const json& value, std::size_t length) {
  if (!value.is_string()) return false;
  const auto& text = value.get_ref<const std::string&>();
  if (text.size() != length) return false;
  for (const char c : text) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

// A 64-bit field: a decimal string (protobuf JSON) or a number.
bool read_u64(const json& value, std::uint64_t& out) {
  if (value.is_number_unsigned()) {
    out = value.get<std::uint64_t>();
    return true;
  }
  if (!value.is_string()) return false;
  const auto& text = value.get_ref<const std::string&>();
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), out);
  return error == std::errc() && end == text.data() + text.size() && !text.empty();
}

std::string service_name_of(const json& resource_spans) {
  const auto resource = resource_spans.find("resource");
  if (resource == resource_spans.end() || !resource->is_object()) return "";
  const auto attributes = resource->find("attributes");
  if (attributes == resource->end() || !attributes->is_array()) return "";
  for (const auto& attribute : *attributes) {
    if (attribute.is_object() && attribute.value("key", "") == "service.name" && attribute.contains("value") &&
        attribute["value"].is_object()) {
      return attribute["value"].value("stringValue", "");
    }
  }
  return "";
}

Result<ShownSpan> read_span(const json& span, const std::string& service, std::size_t line) {
  if (!span.is_object()) return at_line(line, "a span is not a JSON object");
  ShownSpan shown;
  if (!lower_hex_of_length(span.value("traceId", json()), 32)) {
    return at_line(line, "traceId must be 32 lower-case hex digits");
  }
  if (!lower_hex_of_length(span.value("spanId", json()), 16)) {
    return at_line(line, "spanId must be 16 lower-case hex digits");
  }
  shown.trace_id = span["traceId"];
  shown.span_id = span["spanId"];
  if (span.contains("parentSpanId") && !(span["parentSpanId"].is_string() && span["parentSpanId"] == "")) {
    if (!lower_hex_of_length(span["parentSpanId"], 16)) {
      return at_line(line, "parentSpanId must be 16 lower-case hex digits");
    }
    shown.parent_span_id = span["parentSpanId"];
  }
  if (!span.contains("name") || !span["name"].is_string()) return at_line(line, "a span has no name");
  shown.name = span["name"];
  if (!span.contains("startTimeUnixNano") || !read_u64(span["startTimeUnixNano"], shown.start_unix_nano) ||
      !span.contains("endTimeUnixNano") || !read_u64(span["endTimeUnixNano"], shown.end_unix_nano)) {
    return at_line(line, "span '" + shown.name + "' needs startTimeUnixNano and endTimeUnixNano");
  }
  if (shown.end_unix_nano < shown.start_unix_nano) return at_line(line, "span '" + shown.name + "' ends before it starts");
  if (span.contains("kind") && span["kind"].is_number_integer()) shown.kind = span["kind"].get<int>();
  if (span.contains("status") && span["status"].is_object()) {
    const auto& code = span["status"].value("code", json());
    if (code.is_number_integer()) shown.status_code = code.get<int>();
  }
  shown.service_name = service;
  return shown;
}

Status read_line(std::string_view text, std::size_t line, std::vector<ShownSpan>& out) {
  const json document = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (document.is_discarded()) return at_line(line, "not valid JSON");
  if (!document.is_object() || !document.contains("resourceSpans") || !document["resourceSpans"].is_array()) {
    return at_line(line, "not an OTLP trace export (no resourceSpans array)");
  }
  for (const auto& resource_spans : document["resourceSpans"]) {
    if (!resource_spans.is_object()) return at_line(line, "a resourceSpans entry is not an object");
    const std::string service = service_name_of(resource_spans);
    const auto scopes = resource_spans.value("scopeSpans", json::array());
    if (!scopes.is_array()) return at_line(line, "scopeSpans is not an array");
    for (const auto& scope : scopes) {
      const auto spans = scope.is_object() ? scope.value("spans", json::array()) : json();
      if (!spans.is_array()) return at_line(line, "spans is not an array");
      for (const auto& span : spans) {
        auto shown = read_span(span, service, line);
        if (!shown.ok()) return shown.status();
        out.push_back(std::move(*shown));
      }
    }
  }
  return Status();
}

}  // namespace

Result<std::vector<ShownSpan>> read_trace_file(std::string_view text) {
  std::vector<ShownSpan> spans;
  std::size_t line_number = 0;
  while (!text.empty()) {
    ++line_number;
    const auto newline = text.find('\n');
    std::string_view line = text.substr(0, newline);
    text.remove_prefix(newline == std::string_view::npos ? text.size() : newline + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.find_first_not_of(" \t") == std::string_view::npos) continue;
    if (auto read = read_line(line, line_number, spans); !read.ok()) return read;
  }
  return spans;
}

}  // namespace faultline::app
