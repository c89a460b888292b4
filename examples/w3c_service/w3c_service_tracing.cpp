#include "w3c_service_tracing.hpp"

#include "faultline/core/clock.hpp"
#include "faultline/core/wall_clock.hpp"
#include "faultline/tracing/resource.hpp"

namespace faultline::examples {

Result<std::unique_ptr<W3cServiceTracing>> W3cServiceTracing::create(const W3cServiceTracingConfig& config) {
  std::unique_ptr<W3cServiceTracing> tracing(new W3cServiceTracing(config.seed));
  tracing::SpanProcessor* processor = &tracing->discarding_;
  if (!config.trace_file.empty()) {
    auto exporter = tracing::FileExporter::open(config.trace_file);
    if (!exporter.ok()) return exporter.status();
    tracing->exporter_ = std::move(*exporter);
    auto batch = tracing::BatchSpanProcessor::create(
        tracing::BatchSpanProcessorConfig{.schedule_delay = std::chrono::milliseconds(500)}, *tracing->exporter_,
        SteadyClock::instance());
    if (!batch.ok()) return batch.status();
    tracing->batch_ = std::move(*batch);
    processor = tracing->batch_.get();
  }
  tracing->tracer_ = std::make_unique<tracing::Tracer>(
      SystemWallClock::instance(), tracing->random_, tracing->sampler_, *processor,
      tracing::TracerConfig{.scope_name = "faultline.w3c_service",
                            .resource = tracing::Resource::make("faultline-w3c-service")});
  return tracing;
}

W3cServiceTracing::~W3cServiceTracing() {
  tracer_.reset();
  if (batch_) (void)batch_->shutdown(std::chrono::seconds(5));
}

}  // namespace faultline::examples
