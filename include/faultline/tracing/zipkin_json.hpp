// Zipkin v2 JSON: a batch of spans as the array a Zipkin server takes at
// POST /api/v2/spans, mapped from the OpenTelemetry data model as the
// OpenTelemetry specification's Zipkin exporter mapping describes:
// - traceId / id / parentId are lower-case hex; timestamp and duration are
//   integer microseconds (a duration is at least 1);
// - kind is "SERVER", "CLIENT", "PRODUCER", "CONSUMER", and left out for
//   internal spans;
// - localEndpoint.serviceName is the resource's service.name;
// - attributes become string tags (bool "true"/"false", numbers in
//   decimal, arrays as their JSON text); the status adds
//   otel.status_code ("OK"/"ERROR") and, on error, "error" with the
//   description; otel.scope.name names the tracer; non-zero dropped counts
//   add otel.dropped_{attributes,events,links}_count;
// - events become annotations: the event name, followed when it has
//   attributes by them as a JSON object (`"name":{"k":"v"}`).
// Links have no Zipkin equivalent and are left out.
//
//   std::string body = encode_zipkin_json(batch);
//
// Thread-safety: pure functions.
#pragma once

#include <string>

#include "faultline/tracing/span_exporter.hpp"

namespace faultline::tracing {

[[nodiscard]] std::string encode_zipkin_json(SpanBatch spans);

}  // namespace faultline::tracing
