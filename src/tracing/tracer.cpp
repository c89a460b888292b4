#include "faultline/tracing/tracer.hpp"

#include <array>
#include <atomic>
#include <cstring>

#include "faultline/tracing/current_context.hpp"
#include "span_ids.hpp"

namespace faultline::tracing {

thread_local constinit detail::ThreadDraws detail::thread_draws;

using span_ids::set_span_id;
using span_ids::set_trace_id;

namespace {

std::atomic<std::uint64_t> next_tracer_serial{1};

// A thread's SpanData on hand for its next sampled spans, taken from the
// processor's recycled ones a handful at a time (so a pool's lock is taken
// once per handful). Any SpanData serves any tracer: it comes cleared.
struct ThreadSpanCache {
  std::array<std::unique_ptr<SpanData>, 32> spans;
  std::size_t count = 0;
};
thread_local ThreadSpanCache thread_spans;

// A recycled SpanData was last written by the exporting thread, so its
// cache lines are on another core, and the first read of each stalls this
// thread. Asking for the lines of the spans after this one while it is
// filled in (the object two ahead, then the slots and name of the next,
// whose object is here by then) overlaps those transfers with work.
void prefetch_for_write(const void* start, std::size_t bytes) noexcept {
  const auto* first = static_cast<const char*>(start);
  for (std::size_t offset = 0; offset < bytes + 64; offset += 64) __builtin_prefetch(first + offset, 1, 3);
}

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

void Tracer::refill_draws() const noexcept { detail::thread_draws = detail::ThreadDraws{serial_, random_.next_u64(), 0}; }

void Tracer::sample(Span& span, const SpanContext* parent, std::uint64_t draw, std::string_view name,
                    const StartOptions& options) const {
  SpanContext& context = span.context_;
  set_span_id(draw, context.span_id);
  if (parent == nullptr) set_trace_id(draw, context.trace_id);

  const SamplingDecision decision =
      sampler_.shortcuts().samples_all
          ? SamplingDecision::record_and_sample
          : sampler_.should_sample(SamplingParameters{parent, context.trace_id, name, options.kind});
  context.flags = TraceFlags::sampled_flags(decision == SamplingDecision::record_and_sample);
  if (decision == SamplingDecision::drop) return;

  const SpanId parent_span_id = parent != nullptr ? parent->span_id : SpanId{};
  span.data_ = make_data(context, parent_span_id, name, options);
}

std::unique_ptr<SpanData> Tracer::make_data(const SpanContext& context, SpanId parent_span_id, std::string_view name,
                                            const StartOptions& options) const {
  ThreadSpanCache& cache = thread_spans;
  if (cache.count == 0) cache.count = processor_.take_recycled(cache.spans);
  // Recycled ones come cleared: this thread only writes to their memory.
  std::unique_ptr<SpanData> data =
      cache.count > 0 ? std::move(cache.spans[--cache.count]) : std::make_unique<SpanData>();
  if (cache.count > 1) prefetch_for_write(cache.spans[cache.count - 2].get(), sizeof(SpanData));
  if (cache.count > 0) {
    const SpanData& next = *cache.spans[cache.count - 1];
    prefetch_for_write(next.attributes.entries().data(), 4 * sizeof(Attribute));
    prefetch_for_write(next.name.data(), 0);
  }
  data->context = context;
  data->parent_span_id = parent_span_id;
  data->name.assign(name);
  data->kind = options.kind;
  data->start_time = options.start_time.has_value() ? *options.start_time : clock_.now();
  data->attributes.set_limits(config_.limits.attributes);  // it comes cleared
  // Compared first: a recycled span of this tracer already holds both (and
  // the resource then needs no reference-count traffic).
  if (data->resource != config_.resource) data->resource = config_.resource;
  if (data->scope_name != config_.scope_name) data->scope_name.assign(config_.scope_name);
  return data;
}

void Tracer::finish(std::unique_ptr<SpanData>& span) const noexcept {
  processor_.on_end(std::move(span));
  if (span == nullptr) return;
  // Not kept (dropped): its memory serves this thread's next span.
  ThreadSpanCache& cache = thread_spans;
  if (cache.count == cache.spans.size()) {
    span.reset();
    return;
  }
  span->clear();
  cache.spans[cache.count++] = std::move(span);
}

}  // namespace faultline::tracing
