// Tracing benchmarks: what a span costs the traced program, sampled and
// not, and how many spans per second the batch processor carries to a
// file.
//
// Read against an uncontended atomic increment measured in the same binary
// (BM_Baseline_AtomicIncrement). The targets:
//   - an unsampled span started and ended: <= 3x the baseline, no
//     allocation, no clock read;
//   - a sampled span with 3 attributes, started, ended and handed to the
//     batch processor: <= 60x the baseline, its two clock reads included;
//   - the batch processor: >= 1 million spans/s from 2 threads into the
//     file exporter.
// Every benchmark reports per call the heap allocations
// (hot_path_counters.hpp) and the wall- and steady-clock reads, counted by
// wrapping system_clock::now() and steady_clock::now() at link time
// (bench/CMakeLists.txt). docs/BENCHMARKS.md holds the figures and the
// command.

#include <benchmark/benchmark.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <thread>
#include <vector>

#include "faultline/core/random.hpp"
#include "faultline/core/wall_clock.hpp"
#include "faultline/tracing/batch_span_processor.hpp"
#include "faultline/tracing/current_context.hpp"
#include "faultline/tracing/file_exporter.hpp"
#include "faultline/tracing/otlp_json.hpp"
#include "faultline/tracing/parent_based_sampler.hpp"
#include "faultline/tracing/sampler.hpp"
#include "faultline/tracing/tracer.hpp"
#include "hot_path_counters.hpp"
#include "wall_read_counter.hpp"

namespace {

using namespace faultline;
using namespace faultline::tracing;
using faultline::bench::HotPathProbe;
using faultline::bench::WallReadProbe;

alignas(64) std::atomic<std::uint64_t> baseline_counter{0};

void BM_Baseline_AtomicIncrement(benchmark::State& state) {
  HotPathProbe probe;
  for (auto _ : state) baseline_counter.fetch_add(1, std::memory_order_relaxed);
  probe.report(state);
}
BENCHMARK(BM_Baseline_AtomicIncrement);

// Keeps nothing: for the unsampled span, which never reaches it.
class DiscardingProcessor final : public SpanProcessor {
 public:
  void on_end(std::unique_ptr<SpanData>&&) noexcept override {}
  Status force_flush(std::chrono::milliseconds) override { return Status(); }
  Status shutdown(std::chrono::milliseconds) override { return Status(); }
};

class DiscardingExporter final : public SpanExporter {
 public:
  Status export_spans(SpanBatch, TimePoint) override { return Status(); }
};

void BM_Tracing_UnsampledSpanStartEnd(benchmark::State& state) {
  static SharedRandom random(1);
  static AlwaysOffSampler sampler;
  static DiscardingProcessor processor;
  static Tracer tracer(SystemWallClock::instance(), random, sampler, processor);
  HotPathProbe probe;
  WallReadProbe wall_probe;
  for (auto _ : state) {
    Span span = tracer.start_span("GET /v3/kv/range");
    span.set_attribute("http.response.status_code", 200);  // a no-op, as it should be
    span.end();
    benchmark::DoNotOptimize(span);
  }
  probe.report(state);
  wall_probe.report(state);
}
BENCHMARK(BM_Tracing_UnsampledSpanStartEnd);

// The other common unsampled case: a child, under the default parent-based
// sampler, of a current context whose trace was not sampled upstream.
void BM_Tracing_UnsampledChildOfUnsampledParent(benchmark::State& state) {
  static SharedRandom random(4);
  static AlwaysOnSampler root;
  static ParentBasedSampler sampler(root);
  static DiscardingProcessor processor;
  static Tracer tracer(SystemWallClock::instance(), random, sampler, processor);
  const SpanContext upstream{*parse_trace_id("4bf92f3577b34da6a3ce929d0e0e4736"), *parse_span_id("00f067aa0ba902b7"),
                             TraceFlags{}, nullptr, true};
  Span parent = tracer.start_span("unsampled upstream", {.parent = &upstream});
  const ContextScope scope(parent.context());
  HotPathProbe probe;
  WallReadProbe wall_probe;
  for (auto _ : state) {
    Span span = tracer.start_span("GET /v3/kv/range");
    span.set_attribute("http.response.status_code", 200);
    span.end();
    benchmark::DoNotOptimize(span);
  }
  probe.report(state);
  wall_probe.report(state);
  if (parent.recording()) state.SkipWithError("the parent should not have been sampled");
}
BENCHMARK(BM_Tracing_UnsampledChildOfUnsampledParent);

void BM_Tracing_SampledSpanToBatchProcessor(benchmark::State& state) {
  static SharedRandom random(2);
  static AlwaysOnSampler sampler;
  static DiscardingExporter exporter;
  auto processor = *BatchSpanProcessor::create({}, exporter, SteadyClock::instance());
  Tracer tracer(SystemWallClock::instance(), random, sampler, *processor);
  HotPathProbe probe;
  WallReadProbe wall_probe;
  for (auto _ : state) {
    Span span = tracer.start_span("GET /v3/kv/range", {.kind = SpanKind::server});
    span.set_attribute("http.request.method", "GET");
    span.set_attribute("http.response.status_code", 200);
    span.set_attribute("net.peer.port", 4318);
    span.end();
  }
  probe.report(state);
  wall_probe.report(state);
  (void)processor->shutdown(std::chrono::seconds(10));
  const auto metrics = processor->metrics();
  state.counters["dropped_fraction"] =
      static_cast<double>(metrics.dropped_queue_full_total) /
      static_cast<double>(std::max<std::uint64_t>(1, metrics.queued_total + metrics.dropped_queue_full_total));
}
BENCHMARK(BM_Tracing_SampledSpanToBatchProcessor);

// The spans the throughput benchmark's producers make, ended, as a batch.
std::vector<std::unique_ptr<SpanData>> producer_like_batch(std::size_t size) {
  SharedRandom random(5);
  AlwaysOnSampler sampler;
  struct Keeping final : SpanProcessor {
    std::vector<std::unique_ptr<SpanData>> spans;
    void on_end(std::unique_ptr<SpanData>&& span) noexcept override { spans.push_back(std::move(span)); }
    Status force_flush(std::chrono::milliseconds) override { return Status(); }
    Status shutdown(std::chrono::milliseconds) override { return Status(); }
  } keeping;
  Tracer tracer(SystemWallClock::instance(), random, sampler, keeping);
  for (std::size_t i = 0; i < size; ++i) {
    Span span = tracer.start_span("GET /v3/kv/range", {.kind = SpanKind::server});
    span.set_attribute("http.request.method", "GET");
    span.set_attribute("http.response.status_code", 200);
    span.set_attribute("net.peer.port", 4318);
  }
  return std::move(keeping.spans);
}

// The worker's share of the throughput: one batch of 512 encoded as OTLP
// JSON into a reused buffer, per span.
void BM_Tracing_OtlpJsonEncodePerSpan(benchmark::State& state) {
  const auto batch = producer_like_batch(512);
  std::string out;
  for (auto _ : state) {
    out.clear();
    append_otlp_json(out, SpanBatch(batch.data(), batch.size()));
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * batch.size()));
  state.counters["bytes_per_span"] = static_cast<double>(out.size()) / static_cast<double>(batch.size());
}
BENCHMARK(BM_Tracing_OtlpJsonEncodePerSpan);

// The worker's whole share of the throughput, per span, on one thread: a
// batch of 512 written by the file exporter (encoding included), then
// freed, as the worker frees each batch after its export. Its inverse is
// the most spans per second one worker core can carry, whatever the
// producers offer. (The spans are made on this thread, outside the
// timing; the real worker frees memory other threads allocated, which
// costs a little more.)
void BM_Tracing_FileExportAndFreePerSpan(benchmark::State& state) {
  const auto directory = std::filesystem::exists("/dev/shm") ? std::filesystem::path("/dev/shm")
                                                             : std::filesystem::temp_directory_path();
  const auto path = (directory / "faultline_tracing_bench_export.jsonl").string();
  std::remove(path.c_str());
  auto exporter = *FileExporter::open(path);
  constexpr std::size_t kBatch = 512;
  for (auto _ : state) {
    state.PauseTiming();
    auto batch = producer_like_batch(kBatch);
    state.ResumeTiming();
    if (!exporter->export_spans(SpanBatch(batch.data(), batch.size()), TimePoint{}).ok()) {
      state.SkipWithError("export failed");
      break;
    }
    batch.clear();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * kBatch));
  (void)exporter->shutdown();
  std::remove(path.c_str());
}
BENCHMARK(BM_Tracing_FileExportAndFreePerSpan);

// Two threads end sampled spans as fast as they can for 2 s; the batch
// processor writes them to a file. The figure is what reached the file per
// second (not what was offered: the processor drops what it cannot carry).
void BM_Tracing_BatchProcessorToFileThroughput(benchmark::State& state) {
  const auto directory = std::filesystem::exists("/dev/shm") ? std::filesystem::path("/dev/shm")
                                                             : std::filesystem::temp_directory_path();
  const auto path = (directory / "faultline_tracing_bench.jsonl").string();
  for (auto _ : state) {
    std::remove(path.c_str());
    auto exporter = *FileExporter::open(path);
    SharedRandom random(3);
    AlwaysOnSampler sampler;
    auto processor = *BatchSpanProcessor::create({}, *exporter, SteadyClock::instance());
    Tracer tracer(SystemWallClock::instance(), random, sampler, *processor);
    std::atomic<bool> stop{false};
    const auto start = std::chrono::steady_clock::now();
    std::vector<std::thread> producers;
    for (int t = 0; t < 2; ++t) {
      producers.emplace_back([&] {
        while (!stop.load(std::memory_order_relaxed)) {
          Span span = tracer.start_span("GET /v3/kv/range", {.kind = SpanKind::server});
          span.set_attribute("http.request.method", "GET");
          span.set_attribute("http.response.status_code", 200);
          span.set_attribute("net.peer.port", 4318);
        }
      });
    }
    std::this_thread::sleep_for(std::chrono::seconds(2));
    stop = true;
    for (auto& producer : producers) producer.join();
    (void)processor->shutdown(std::chrono::seconds(30));
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const auto metrics = processor->metrics();
    state.counters["exported_spans_per_second"] = static_cast<double>(metrics.exported_total) / seconds;
    state.counters["offered_spans_per_second"] =
        static_cast<double>(metrics.queued_total + metrics.dropped_queue_full_total) / seconds;
    state.counters["file_mib"] = static_cast<double>(std::filesystem::file_size(path)) / (1024.0 * 1024.0);
  }
  std::remove(path.c_str());
}
BENCHMARK(BM_Tracing_BatchProcessorToFileThroughput)->Iterations(1)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
BENCHMARK_MAIN();
