#include "faultline/tracing/tracer.hpp"

#include <atomic>
#include <cstring>

#include "faultline/tracing/current_context.hpp"

namespace faultline::tracing {

namespace {

// A span's ids derive from one 64-bit value, unique within its thread's
// block: each id is splitmix64 (a bijection) of the value salted
// differently, so distinct values give distinct span ids, and the three
// mixes are independent (the CPU computes them side by side).
constexpr std::uint64_t kSpanIdSalt = 0x5bd1e9955bd1e995ULL;
constexpr std::uint64_t kTraceIdHighSalt = 0x2545f4914f6cdd1dULL;
// Values a thread takes from its block before it takes the next block from
// the shared random source (its one atomic).
constexpr std::uint32_t kDrawsPerBlock = 64;

void store_u64(std::uint64_t value, std::uint8_t* out) noexcept {
  value = __builtin_bswap64(value);  // big-endian: the id's hex reads as the number
  std::memcpy(out, &value, sizeof value);
}

void set_span_id(std::uint64_t draw, SpanId& id) noexcept {
  const std::uint64_t value = splitmix64(draw ^ kSpanIdSalt);
  store_u64(value == 0 ? 1 : value, id.bytes.data());
}

void set_trace_id(std::uint64_t draw, TraceId& id) noexcept {
  const std::uint64_t high = splitmix64(draw ^ kTraceIdHighSalt);
  const std::uint64_t low = splitmix64(draw);
  store_u64(high, id.bytes.data());
  // The low half is what TraceIdRatioSampler reads: kept uniformly random.
  store_u64((high | low) == 0 ? 1 : low, id.bytes.data() + 8);
}

std::atomic<std::uint64_t> next_tracer_serial{1};

// Trivially destructible, so reading it costs no TLS guard.
struct ThreadDraws {
  std::uint64_t tracer_serial = 0;
  std::uint64_t base = 0;
  std::uint32_t used = kDrawsPerBlock;
};
thread_local ThreadDraws thread_draws;

}  // namespace

Tracer::Tracer(const WallClock& clock, SharedRandom& random, Sampler& sampler, SpanProcessor& processor,
               TracerConfig config)
    : clock_(clock),
      random_(random),
      sampler_(sampler),
      processor_(processor),
      config_(std::move(config)),
      serial_(next_tracer_serial.fetch_add(1, std::memory_order_relaxed)) {
  if (!config_.resource) config_.resource = Resource::make("unknown_service");
}

inline std::uint64_t Tracer::next_draw() const noexcept {
  ThreadDraws& draws = thread_draws;
  if (draws.tracer_serial != serial_ || draws.used == kDrawsPerBlock) [[unlikely]] {
    draws = ThreadDraws{serial_, random_.next_u64(), 0};
  }
  return draws.base + draws.used++;
}

Span Tracer::start_span(std::string_view name, const StartOptions& options) {
  const SpanContext* parent = nullptr;
  if (options.parent.has_value()) {
    if (options.parent->valid()) parent = &*options.parent;
  } else if (!options.root) {
    const SpanContext& current = current_context();
    if (current.valid()) parent = &current;
  }
  // Built in place and returned as is (no move of the context).
  Span span;
  span.tracer_ = this;
  SpanContext& context = span.context_;
  const std::uint64_t draw = next_draw();
  set_span_id(draw, context.span_id);
  if (parent != nullptr) {
    context.trace_id = parent->trace_id;
    context.trace_state = parent->trace_state;
  } else {
    set_trace_id(draw, context.trace_id);
  }

  const SamplerShortcuts& shortcuts = sampler_.shortcuts();
  const bool known_drop = parent == nullptr || parent->sampled()
                              ? shortcuts.drops_all
                              : (parent->remote ? shortcuts.drops_unsampled_remote_parent
                                                : shortcuts.drops_unsampled_local_parent);
  if (known_drop) return span;  // flags stay 0: not sampled

  const SamplingDecision decision =
      sampler_.should_sample(SamplingParameters{parent, context.trace_id, name, options.kind});
  context.flags = TraceFlags::sampled_flags(decision == SamplingDecision::record_and_sample);
  if (decision == SamplingDecision::drop) return span;

  const SpanId parent_span_id = parent != nullptr ? parent->span_id : SpanId{};
  span.data_ = make_data(context, parent_span_id, name, options);
  return span;
}

std::unique_ptr<SpanData> Tracer::make_data(SpanContext context, SpanId parent_span_id, std::string_view name,
                                            const StartOptions& options) const {
  auto data = std::make_unique<SpanData>();
  data->context = std::move(context);
  data->parent_span_id = parent_span_id;
  data->name = name;
  data->kind = options.kind;
  data->start_time = options.start_time.has_value() ? *options.start_time : clock_.now();
  data->attributes = AttributeList(config_.limits.attributes);
  data->resource = config_.resource;
  data->scope_name = config_.scope_name;
  return data;
}

void Tracer::finish(std::unique_ptr<SpanData> span) const noexcept { processor_.on_end(std::move(span)); }

}  // namespace faultline::tracing
