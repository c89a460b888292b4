#include "faultline/tracing/span_data.hpp"

namespace faultline::tracing {

void SpanData::clear() noexcept {
  context = SpanContext{};
  parent_span_id = SpanId{};
  name.clear();
  kind = SpanKind::internal;
  start_time = WallTimePoint{};
  end_time = WallTimePoint{};
  attributes.clear(AttributeLimits{});
  events.clear();
  dropped_events = 0;
  links.clear();
  dropped_links = 0;
  status.code = SpanStatusCode::unset;
  status.description.clear();
}

}  // namespace faultline::tracing
