// OTLP/JSON: a batch of spans as an ExportTraceServiceRequest in the JSON
// encoding of the OpenTelemetry Protocol — the body of a POST to a
// collector's /v1/traces and each line of the file exporter's output.
//
// As the OTLP specification's JSON encoding requires:
// - field names are lowerCamelCase (traceId, startTimeUnixNano, scopeSpans);
// - trace and span ids are lower-case hex strings, not base64;
// - enums are integers (kind 1-5, status code 0-2);
// - 64-bit integers (timestamps, intValue) are decimal strings;
// - spans are grouped by resource, then by instrumentation scope
//   (resourceSpans[].scopeSpans[].spans[]), in the order they first appear;
// - fields at their default (0, empty) are left out, as protobuf's JSON
//   mapping does; a receiver reads them as the default.
// A double that is NaN or infinite is written "NaN" / "Infinity".
//
//   std::string body = encode_otlp_json(batch);
//
// Thread-safety: pure functions (each thread writes through a scratch
// buffer of its own, kept as large as the largest batch it encoded).
#pragma once

#include <string>

#include "faultline/tracing/span_exporter.hpp"

namespace faultline::tracing {

[[nodiscard]] std::string encode_otlp_json(SpanBatch spans);
// The same, appended to `out` (to reuse one buffer).
void append_otlp_json(std::string& out, SpanBatch spans);

}  // namespace faultline::tracing
