// Span: the handle to one timed operation in a trace.
//
// A Tracer starts it; the caller names what happened (attributes, events,
// links, status, exceptions) and ends it, or lets the destructor end it.
// A span the sampler dropped is not recording: it carries its context (so
// children and outgoing requests still propagate the trace) and every other
// call is a no-op that neither allocates nor reads a clock. Build
// expensive attribute values only `if (span.recording())`.
//
// Data-model rules (OpenTelemetry):
// - set_status(ok) is final; a later set_status is ignored; unset is
//   ignored; a description is kept only with error;
// - record_exception adds an event named "exception" with the
//   exception.type / exception.message / exception.stacktrace attributes;
// - events and links over their count limits are dropped and counted;
// - after end(), every call is a no-op; end() twice ends once.
//
//   Span span = tracer.start_span("GET /v3/kv/range", {.kind = SpanKind::server});
//   span.set_attribute("http.response.status_code", 200);
//   span.end();
//
// The Tracer that started a span must outlive it.
//
// Thread-safety: a Span is used by one thread at a time (move it to hand it
// over); its context() may be copied to any thread.
#pragma once

#include <cstdint>
#include <exception>
#include <initializer_list>
#include <memory>
#include <string_view>
#include <utility>

#include "faultline/tracing/attributes.hpp"
#include "faultline/tracing/span_context.hpp"
#include "faultline/tracing/span_data.hpp"

namespace faultline::tracing {

class Tracer;

using AttributeInit = std::initializer_list<std::pair<std::string_view, AttributeValue>>;

class Span {
 public:
  // An invalid, non-recording span.
  Span() = default;
  Span(Span&& other) noexcept = default;
  Span& operator=(Span&& other) noexcept;
  ~Span() { end(); }

  [[nodiscard]] const SpanContext& context() const noexcept {
    if (pending_ids_ != 0) [[unlikely]]
      derive_ids();
    return context_;
  }
  [[nodiscard]] bool recording() const noexcept { return data_ != nullptr; }

  template <class Value>
  void set_attribute(std::string_view key, Value&& value) {
    if (data_) data_->attributes.set(key, std::forward<Value>(value));
  }
  void add_event(std::string_view name, AttributeInit attributes = {});
  void add_event(std::string_view name, WallTimePoint time, AttributeInit attributes = {});
  void add_link(const SpanContext& context, AttributeInit attributes = {});
  void set_status(SpanStatusCode code, std::string_view description = {});
  void record_exception(std::string_view type, std::string_view message, std::string_view stacktrace = {});
  // The type is the dynamic type's implementation-defined name.
  void record_exception(const std::exception& exception);
  void update_name(std::string_view name);

  // Inline: a span that is not recording ends with one test, no call.
  void end() noexcept {
    if (data_) end_now();
  }
  void end(WallTimePoint end_time) noexcept;

 private:
  friend class Tracer;
  static constexpr std::uint8_t kPendingSpanId = 1;
  static constexpr std::uint8_t kPendingTraceId = 2;

  void end_now() noexcept;
  // Sets the end time (never before the start) and hands the data over.
  void finish_at(WallTimePoint end_time) noexcept;
  void derive_ids() const noexcept;

  // Holds the draw instead of the span id while kPendingSpanId is set (so
  // the handle stays 80 bytes: GCC zeroes larger ones with `rep stosq`,
  // which costs more than the rest of a dropped span). Mutable for the ids
  // a dropped span derives on first use (context()).
  mutable SpanContext context_;
  // Null when not recording or ended.
  std::unique_ptr<SpanData> data_;
  const Tracer* tracer_ = nullptr;
  // Which of a dropped span's ids are not derived yet (kPending*).
  mutable std::uint8_t pending_ids_ = 0;
};

#if defined(__x86_64__)
// See context_: past 80 bytes, every span start in the caller's code would
// zero the handle with `rep stosq`.
static_assert(sizeof(Span) <= 80, "the Span handle grew past 80 bytes");
#endif

}  // namespace faultline::tracing
