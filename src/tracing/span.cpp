#include "faultline/tracing/span.hpp"

#include <algorithm>
#include <cstring>
#include <string>
#include <typeinfo>

#include "faultline/tracing/tracer.hpp"
#include "span_ids.hpp"

namespace faultline::tracing {

namespace {

AttributeList limited(AttributeInit attributes, std::size_t count_max, const AttributeLimits& limits) {
  AttributeList list(AttributeLimits{count_max, limits.value_length_max});
  for (const auto& [key, value] : attributes) list.set_value(key, value);
  return list;
}

}  // namespace

Span& Span::operator=(Span&& other) noexcept {
  if (this != &other) {
    end();
    context_ = std::move(other.context_);
    data_ = std::move(other.data_);
    tracer_ = other.tracer_;
    pending_ids_ = other.pending_ids_;
  }
  return *this;
}

void Span::derive_ids() const noexcept {
  std::uint64_t draw = 0;  // kept in the span id's bytes until now
  std::memcpy(&draw, context_.span_id.bytes.data(), sizeof draw);
  span_ids::set_span_id(draw, context_.span_id);
  if ((pending_ids_ & kPendingTraceId) != 0) span_ids::set_trace_id(draw, context_.trace_id);
  pending_ids_ = 0;
}

void Span::add_event(std::string_view name, AttributeInit attributes) {
  if (!data_) return;
  add_event(name, tracer_->clock().now(), attributes);
}

void Span::add_event(std::string_view name, WallTimePoint time, AttributeInit attributes) {
  if (!data_) return;
  const auto& limits = tracer_->limits();
  if (data_->events.size() >= limits.event_count_max) {
    ++data_->dropped_events;
    return;
  }
  data_->events.push_back(
      SpanEvent{std::string(name), time, limited(attributes, limits.attributes_per_event_max, limits.attributes)});
}

void Span::add_link(const SpanContext& context, AttributeInit attributes) {
  if (!data_) return;
  const auto& limits = tracer_->limits();
  if (data_->links.size() >= limits.link_count_max) {
    ++data_->dropped_links;
    return;
  }
  data_->links.push_back(SpanLink{context, limited(attributes, limits.attributes_per_link_max, limits.attributes)});
}

void Span::set_status(SpanStatusCode code, std::string_view description) {
  if (!data_ || code == SpanStatusCode::unset) return;
  if (data_->status.code == SpanStatusCode::ok) return;  // ok is final
  data_->status.code = code;
  data_->status.description = code == SpanStatusCode::error ? std::string(description) : std::string();
}

void Span::record_exception(std::string_view type, std::string_view message, std::string_view stacktrace) {
  if (!data_) return;
  if (stacktrace.empty()) {
    add_event("exception", {{"exception.type", std::string(type)}, {"exception.message", std::string(message)}});
  } else {
    add_event("exception", {{"exception.type", std::string(type)},
                            {"exception.message", std::string(message)},
                            {"exception.stacktrace", std::string(stacktrace)}});
  }
}

void Span::record_exception(const std::exception& exception) {
  if (!data_) return;
  record_exception(typeid(exception).name(), exception.what());
}

void Span::update_name(std::string_view name) {
  if (data_) data_->name = name;
}

void Span::end_now() noexcept { finish_at(tracer_->clock().now()); }

void Span::end(WallTimePoint end_time) noexcept {
  if (data_) finish_at(end_time);
}

void Span::finish_at(WallTimePoint end_time) noexcept {
  // The wall clock may step back between start and end; a span never
  // ends before it began.
  data_->end_time = std::max(end_time, data_->start_time);
  tracer_->finish(data_);
}

}  // namespace faultline::tracing
