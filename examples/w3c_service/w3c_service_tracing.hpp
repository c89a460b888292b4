// The tracer the W3C conformance service runs with: parent-based sampling
// over always-on (so an incoming sampled flag is carried on as received,
// and a request without a valid context starts a sampled trace), random
// ids from a seeded source, and spans either discarded or, given a path,
// batched into a file exporter's OTLP/JSON lines (readable with
// `faultline trace show`).
//
//   auto tracing = W3cServiceTracing::create({.seed = 7, .trace_file = "/tmp/w3c.jsonl"});
//   auto service = W3cService::start({.port = 5000}, (*tracing)->tracer());
//
// Thread-safety: tracer() is safe from any thread; create and destroy on
// one. Destroying it flushes the trace file.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "faultline/core/random.hpp"
#include "faultline/core/result.hpp"
#include "faultline/tracing/batch_span_processor.hpp"
#include "faultline/tracing/file_exporter.hpp"
#include "faultline/tracing/parent_based_sampler.hpp"
#include "faultline/tracing/tracer.hpp"

namespace faultline::examples {

struct W3cServiceTracingConfig {
  std::uint64_t seed = 1;
  // Empty: spans are discarded.
  std::string trace_file = {};
};

class W3cServiceTracing {
 public:
  // unavailable if the trace file cannot be opened.
  static Result<std::unique_ptr<W3cServiceTracing>> create(const W3cServiceTracingConfig& config);
  ~W3cServiceTracing();

  [[nodiscard]] tracing::Tracer& tracer() noexcept { return *tracer_; }

 private:
  class DiscardingProcessor final : public tracing::SpanProcessor {
   public:
    void on_end(std::unique_ptr<tracing::SpanData>&&) noexcept override {}
    Status force_flush(std::chrono::milliseconds) override { return Status(); }
    Status shutdown(std::chrono::milliseconds) override { return Status(); }
  };

  explicit W3cServiceTracing(std::uint64_t seed) : random_(seed) {}

  SharedRandom random_;
  tracing::AlwaysOnSampler root_sampler_;
  tracing::ParentBasedSampler sampler_{root_sampler_};
  DiscardingProcessor discarding_;
  std::unique_ptr<tracing::FileExporter> exporter_;
  std::unique_ptr<tracing::BatchSpanProcessor> batch_;
  std::unique_ptr<tracing::Tracer> tracer_;
};

}  // namespace faultline::examples
