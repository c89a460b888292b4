// SpanExporter: sends a batch of finished spans somewhere — a file, an
// OpenTelemetry Collector, Zipkin. The batch span processor calls it from
// its worker thread, one batch at a time, never concurrently.
//
// export_spans() must return by `deadline` (the processor's export
// timeout, on the processor's Clock): an exporter that retries stops
// retrying by then. Its Status says whether the batch arrived; the
// processor counts a failed batch's spans as dropped and moves on (it never
// re-queues, so a dead collector cannot grow memory). The batch is lent
// for the call only: the processor reuses the spans' memory afterwards, so
// an exporter copies or encodes what it needs before returning.
//
//   class StdoutExporter final : public SpanExporter { ... };
//
// Thread-safety: called from one thread at a time.
#pragma once

#include <memory>
#include <span>

#include "faultline/core/clock.hpp"
#include "faultline/core/status.hpp"
#include "faultline/tracing/span_data.hpp"

namespace faultline::tracing {

using SpanBatch = std::span<const std::unique_ptr<SpanData>>;

class SpanExporter {
 public:
  virtual ~SpanExporter() = default;
  virtual Status export_spans(SpanBatch spans, TimePoint deadline) = 0;
  // Releases what the exporter holds (files, connections); later exports
  // fail with failed_precondition.
  virtual Status shutdown() { return Status(); }
};

}  // namespace faultline::tracing
