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
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "faultline/core/random.hpp"
#include "faultline/core/wall_clock.hpp"
#include "faultline/tracing/current_context.hpp"
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

namespace detail {
inline constexpr std::uint32_t kDrawsPerBlock = 64;
// A thread's block of draws for one tracer: `kDrawsPerBlock` consecutive
// values from `base`, taken with one draw from the shared random source.
// Trivially destructible and constant-initialized, so start_span() reads
// it inline with one thread-local access and no guard.
struct ThreadDraws {
  std::uint64_t tracer_serial = 0;
  std::uint64_t base = 0;
  std::uint32_t used = kDrawsPerBlock;
};
extern thread_local constinit ThreadDraws thread_draws;
}  // namespace detail

class Tracer {
 public:
  Tracer(const WallClock& clock, SharedRandom& random, Sampler& sampler, SpanProcessor& processor,
         TracerConfig config = {});

  // Inline: a span the sampler is known to drop (the common case when
  // sampling is low) costs a few loads and stores in the caller; asking the
  // sampler and recording are out of line.
  [[nodiscard]] Span start_span(std::string_view name, const StartOptions& options = {}) {
    const SpanContext* parent = parent_of(options);
    // Built in place and returned as is (no move of the context).
    Span span;
    span.tracer_ = this;
    const std::uint64_t draw = next_draw();
    if (parent != nullptr) {
      span.context_.trace_id = parent->trace_id;
      span.context_.trace_state = parent->trace_state;
    }
    if (known_drop(parent)) {
      // Flags stay 0 (not sampled). The ids are derived when the context
      // is first asked for: most dropped spans are never asked.
      std::memcpy(span.context_.span_id.bytes.data(), &draw, sizeof draw);
      span.pending_ids_ = parent != nullptr ? Span::kPendingSpanId : Span::kPendingSpanId | Span::kPendingTraceId;
      return span;
    }
    sample(span, parent, draw, name, options);
    return span;
  }

  [[nodiscard]] const SpanLimits& limits() const noexcept { return config_.limits; }
  [[nodiscard]] const WallClock& clock() const noexcept { return clock_; }

 private:
  friend class Span;
  // StartOptions::parent if given (null if invalid), else the current
  // context unless a root is asked for; null means a new trace.
  [[nodiscard]] static const SpanContext* parent_of(const StartOptions& options) noexcept {
    if (options.parent != nullptr) return options.parent->valid() ? options.parent : nullptr;
    if (options.root) return nullptr;
    const SpanContext& current = current_context();
    return current.valid() ? &current : nullptr;
  }
  // Whether the sampler declared, in its shortcuts, that it drops this span.
  [[nodiscard]] bool known_drop(const SpanContext* parent) const noexcept {
    const SamplerShortcuts& shortcuts = sampler_.shortcuts();
    if (parent == nullptr || parent->sampled()) return shortcuts.drops_all;
    return parent->remote ? shortcuts.drops_unsampled_remote_parent : shortcuts.drops_unsampled_local_parent;
  }
  // The per-span 64-bit value the span's ids derive from.
  [[nodiscard]] std::uint64_t next_draw() const noexcept {
    detail::ThreadDraws& draws = detail::thread_draws;
    if (draws.tracer_serial != serial_ || draws.used == detail::kDrawsPerBlock) [[unlikely]] refill_draws();
    return draws.base + draws.used++;
  }
  void refill_draws() const noexcept;
  // The ids, the sampler's decision and, if recorded, the span's data.
  void sample(Span& span, const SpanContext* parent, std::uint64_t draw, std::string_view name,
              const StartOptions& options) const;
  // Hands an ended span to the processor; leaves `span` null.
  void finish(std::unique_ptr<SpanData>& span) const noexcept;
  [[nodiscard]] std::unique_ptr<SpanData> make_data(const SpanContext& context, SpanId parent_span_id,
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
