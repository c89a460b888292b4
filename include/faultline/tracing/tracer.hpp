// Tracer: starts spans, as roots or as children, and hands the recorded
// ones to a SpanProcessor when they end.
//
// Everything that varies is injected: the wall clock for timestamps, the
// random source for ids, the sampler, the processor. Ids come from the
// random source in blocks: each thread takes one draw per 64 spans of a
// tracer and derives the spans' ids from it, so the same seed gives the
// same ids on one thread, and a span costs no shared atomic.
// A span's parent is, in order: StartOptions::parent if given (an invalid
// one means "root"), else the thread's current context (current_context.hpp)
// unless StartOptions::root is set. A child keeps its parent's trace id and
// tracestate; a root gets a new trace id.
//
//   AlwaysOnSampler sampler;
//   InMemorySpanProcessor spans;
//   Tracer tracer(SystemWallClock::instance(), random, sampler, spans,
//                 {.scope_name = "faultline.kv", .resource = Resource::make("kv", "node-1")});
//   Span request = tracer.start_span("put", {.kind = SpanKind::server});
//
// The clock, random source, sampler and processor must outlive the tracer,
// and the tracer every span it started.
//
// Thread-safety: start_span() may be called from any thread at once (the
// random source is lock-free, the sampler and processor are thread-safe).
//
// Cost: a span the sampler drops makes no allocation, reads no clock and,
// when the sampler declares the drop in its SamplerShortcuts (always off;
// parent-based under an unsampled parent), makes no virtual call either.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "faultline/core/random.hpp"
#include "faultline/core/wall_clock.hpp"
#include "faultline/tracing/resource.hpp"
#include "faultline/tracing/sampler.hpp"
#include "faultline/tracing/span.hpp"
#include "faultline/tracing/span_processor.hpp"

namespace faultline::tracing {

struct TracerConfig {
  std::string scope_name = "faultline";
  // Defaults to Resource::make("unknown_service").
  std::shared_ptr<const Resource> resource = {};
  SpanLimits limits = {};
};

struct StartOptions {
  SpanKind kind = SpanKind::internal;
  // An explicit parent, read during start_span() only; an invalid one
  // starts a new trace. A pointer, not an optional copy: the options stay
  // small and trivially destructible, so building them per span costs a
  // few stores (an optional SpanContext made every call zero ~100 bytes
  // and check a shared_ptr on the way out).
  const SpanContext* parent = nullptr;
  // Ignore the current context: start a new trace.
  bool root = false;
  // When the operation began, if not now.
  std::optional<WallTimePoint> start_time = {};
};

class Tracer {
 public:
  Tracer(const WallClock& clock, SharedRandom& random, Sampler& sampler, SpanProcessor& processor,
         TracerConfig config = {});

  [[nodiscard]] Span start_span(std::string_view name, const StartOptions& options = {});

  [[nodiscard]] const SpanLimits& limits() const noexcept { return config_.limits; }
  [[nodiscard]] const WallClock& clock() const noexcept { return clock_; }

 private:
  friend class Span;
  // The per-span 64-bit value the span's ids derive from.
  [[nodiscard]] std::uint64_t next_draw() const noexcept;
  void finish(std::unique_ptr<SpanData> span) const noexcept;
  [[nodiscard]] std::unique_ptr<SpanData> make_data(SpanContext context, SpanId parent_span_id,
                                                    std::string_view name, const StartOptions& options) const;

  const WallClock& clock_;
  SharedRandom& random_;
  Sampler& sampler_;
  SpanProcessor& processor_;
  TracerConfig config_;
  // Unique per tracer for the process's life: the key of a thread's block
  // of draws, so a new tracer never continues a dead one's block.
  std::uint64_t serial_;
};

}  // namespace faultline::tracing
