// The OTLP/JSON encoder written into a JsonBuffer (internal): what
// append_otlp_json() does, without the copy into a std::string, for the
// file exporter's hot loop.
//
// Thread-safety: a pure function on the caller's buffer.
#pragma once

#include "faultline/tracing/span_exporter.hpp"
#include "json_buffer.hpp"

namespace faultline::tracing {

void put_otlp_json(json::JsonBuffer& out, SpanBatch spans);

}  // namespace faultline::tracing
