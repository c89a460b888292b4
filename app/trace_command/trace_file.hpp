// Reading a file exporter's output (one OTLP/JSON ExportTraceServiceRequest
// per line) back into the few fields a person needs to read a trace.
//
// Strict about what it needs (ids, name, times) and tolerant of the rest,
// so files from other OTLP JSON writers (the OpenTelemetry Collector's
// file exporter) read too. A line that is not valid JSON or lacks a needed
// field is an invalid_argument Status naming the file's line number; blank
// lines are skipped.
//
//   Result<std::vector<ShownSpan>> spans = read_trace_file(text);
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "faultline/core/result.hpp"

namespace faultline::app {

struct ShownSpan {
  std::string trace_id;
  std::string span_id;
  std::string parent_span_id;  // empty for a root
  std::string name;
  std::string service_name;
  int kind = 0;         // OTLP SpanKind
  int status_code = 0;  // OTLP Status.StatusCode: 2 is error
  std::uint64_t start_unix_nano = 0;
  std::uint64_t end_unix_nano = 0;
};

// Every span of every line, in file order.
Result<std::vector<ShownSpan>> read_trace_file(std::string_view text);

}  // namespace faultline::app
