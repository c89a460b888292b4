#include "faultline/tracing/span_data.hpp"

namespace faultline::tracing {

std::size_t SpanData::clear() noexcept {
  context = SpanContext{};
  parent_span_id = SpanId{};
  name.clear();
  kind = SpanKind::internal;
  start_time = WallTimePoint{};
  end_time = WallTimePoint{};
  const std::size_t attribute_bytes = attributes.clear(AttributeLimits{});
  events.clear();
  dropped_events = 0;
  links.clear();
  dropped_links = 0;
  status.code = SpanStatusCode::unset;
  status.description.clear();
  return name.capacity() + scope_name.capacity() + status.description.capacity() + attribute_bytes +
         events.capacity() * sizeof(SpanEvent) + links.capacity() * sizeof(SpanLink);
}

}  // namespace faultline::tracing
