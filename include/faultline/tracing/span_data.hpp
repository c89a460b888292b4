// SpanData: a finished, recorded span as processors and exporters see it —
// the OpenTelemetry span data model (kind, timestamps, attributes, events,
// links, status, and how much each limit dropped).
//
// A Span (span.hpp) fills one while it is recording and hands it over,
// by unique_ptr, to the tracer's SpanProcessor when it ends; from then on
// nothing else touches it.
//
// Thread-safety: plain data; owned by one thread at a time.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "faultline/core/wall_clock.hpp"
#include "faultline/tracing/attributes.hpp"
#include "faultline/tracing/resource.hpp"
#include "faultline/tracing/span_context.hpp"

namespace faultline::tracing {

// Numbered as OTLP numbers SpanKind (0 is "unspecified").
enum class SpanKind : std::uint8_t { internal = 1, server = 2, client = 3, producer = 4, consumer = 5 };

// Numbered as OTLP numbers Status.StatusCode.
enum class SpanStatusCode : std::uint8_t { unset = 0, ok = 1, error = 2 };

struct SpanStatus {
  SpanStatusCode code = SpanStatusCode::unset;
  // Only for error (the data model drops it otherwise).
  std::string description;
};

struct SpanEvent {
  std::string name;
  WallTimePoint time;
  AttributeList attributes;
};

struct SpanLink {
  SpanContext context;
  AttributeList attributes;
};

// Per span, as the OpenTelemetry SDK's defaults.
struct SpanLimits {
  AttributeLimits attributes;
  std::size_t event_count_max = 128;
  std::size_t link_count_max = 128;
  std::size_t attributes_per_event_max = 128;
  std::size_t attributes_per_link_max = 128;
};

struct SpanData {
  SpanContext context;
  // Invalid (all zero) for a root span.
  SpanId parent_span_id;
  std::string name;
  SpanKind kind = SpanKind::internal;
  WallTimePoint start_time;
  WallTimePoint end_time;
  AttributeList attributes;
  std::vector<SpanEvent> events;
  std::uint32_t dropped_events = 0;
  std::vector<SpanLink> links;
  std::uint32_t dropped_links = 0;
  SpanStatus status;
  std::shared_ptr<const Resource> resource;
  // The instrumentation scope: the name the Tracer was created with.
  std::string scope_name;

  // Every field back to a default SpanData's, keeping the memory that the
  // name, status description, attribute keys and event and link lists
  // hold: a pooled SpanData (span_data_pool.hpp) is refilled without
  // allocating. `resource` and `scope_name` are left alone: every span of
  // a tracer shares them, and the next owner assigns them only when they
  // differ (for the resource, that spares two atomic reference-count
  // updates per span on a counter every tracing thread would contend for).
  // Returns the bytes it still holds beyond the struct itself.
  std::size_t clear() noexcept;
};

}  // namespace faultline::tracing
