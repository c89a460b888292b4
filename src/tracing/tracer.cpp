#include "faultline/tracing/tracer.hpp"

#include <cstring>

#include "faultline/tracing/current_context.hpp"

namespace faultline::tracing {

namespace {

// Ids derived from one 64-bit draw, so a span costs one atomic increment of
// the shared random source: splitmix64 is a bijection, so distinct draws
// give distinct ids.
constexpr std::uint64_t kSpanIdSalt = 0x5bd1e9955bd1e995ULL;

void store_u64(std::uint64_t value, std::uint8_t* out) noexcept {
  for (int i = 7; i >= 0; --i) {
    out[i] = static_cast<std::uint8_t>(value);
    value >>= 8;
  }
}

SpanId span_id_from(std::uint64_t draw) noexcept {
  SpanId id;
  const std::uint64_t value = splitmix64(draw ^ kSpanIdSalt);
  store_u64(value == 0 ? 1 : value, id.bytes.data());
  return id;
}

TraceId trace_id_from(std::uint64_t draw) noexcept {
  TraceId id;
  store_u64(draw, id.bytes.data());
  store_u64(splitmix64(draw), id.bytes.data() + 8);
  if (!id.valid()) id.bytes[15] = 1;
  return id;
}

}  // namespace

Tracer::Tracer(const WallClock& clock, SharedRandom& random, Sampler& sampler, SpanProcessor& processor,
               TracerConfig config)
    : clock_(clock), random_(random), sampler_(sampler), processor_(processor), config_(std::move(config)) {
  if (!config_.resource) config_.resource = Resource::make("unknown_service");
}

Span Tracer::start_span(std::string_view name, const StartOptions& options) {
  const SpanContext* parent = nullptr;
  if (options.parent.has_value()) {
    if (options.parent->valid()) parent = &*options.parent;
  } else if (!options.root && current_context().valid()) {
    parent = &current_context();
  }
  const std::uint64_t draw = random_.next_u64();
  SpanContext context;
  context.trace_id = parent != nullptr ? parent->trace_id : trace_id_from(draw);
  context.span_id = span_id_from(draw);
  if (parent != nullptr) context.trace_state = parent->trace_state;

  const SamplingDecision decision =
      sampler_.should_sample(SamplingParameters{parent, context.trace_id, name, options.kind});
  context.flags = TraceFlags::sampled_flags(decision == SamplingDecision::record_and_sample);
  if (decision == SamplingDecision::drop) return Span(std::move(context), nullptr, this);

  const SpanId parent_span_id = parent != nullptr ? parent->span_id : SpanId{};
  auto data = make_data(context, parent_span_id, name, options);
  return Span(std::move(context), std::move(data), this);
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
