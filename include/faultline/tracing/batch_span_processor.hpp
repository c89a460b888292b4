// BatchSpanProcessor: queues ended spans and exports them in batches from
// a worker thread, so the traced program never waits for an exporter.
//
// The OpenTelemetry specification's batching, with its defaults: a queue
// of 2048 spans, batches of at most 512, a batch sent at the latest every
// 5 s (sooner when 512 are waiting), and 30 s for each export. Only
// sampled spans are queued (record-only spans are for processors that
// look, not for export). When the queue is full the span is dropped and
// counted at once: on_end() never blocks and never allocates. Exported
// spans' memory goes to a pool that the tracer refills its next spans from
// (span_data_pool.hpp), so a steady stream allocates nothing. A failed
// export drops its batch (counted); nothing is re-queued, so a dead
// collector costs a bounded amount of memory.
//
//   auto processor = *BatchSpanProcessor::create({}, exporter, SteadyClock::instance());
//   Tracer tracer(wall, random, sampler, *processor);
//   ...
//   processor->shutdown(std::chrono::seconds(5));  // exports what is left
//
// The exporter and clock must outlive the processor. The clock stamps
// export deadlines; the worker's waits are real time.
//
// Thread-safety: on_end() from any thread; force_flush() and shutdown()
// from any thread, any number of times.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <thread>

#include "faultline/core/clock.hpp"
#include "faultline/core/result.hpp"
#include "faultline/tracing/bounded_span_queue.hpp"
#include "faultline/tracing/span_data_pool.hpp"
#include "faultline/tracing/span_exporter.hpp"
#include "faultline/tracing/span_processor.hpp"

namespace faultline::tracing {

struct BatchSpanProcessorConfig {
  std::size_t max_queue_size = 2048;        // a power of two, in [2, 2^20]
  std::size_t max_export_batch_size = 512;  // in [1, max_queue_size]
  Duration schedule_delay = std::chrono::seconds(5);  // > 0
  Duration export_timeout = std::chrono::seconds(30);  // > 0
  [[nodiscard]] Status validate() const;
};

struct BatchSpanProcessorMetrics {
  std::uint64_t queued_total = 0;
  std::uint64_t exported_total = 0;
  std::uint64_t dropped_queue_full_total = 0;
  std::uint64_t dropped_export_failed_total = 0;
  std::uint64_t dropped_after_shutdown_total = 0;
  std::uint64_t export_failures_total = 0;
};

class BatchSpanProcessor final : public SpanProcessor {
 public:
  // invalid_argument on an invalid config. Starts the worker thread.
  static Result<std::unique_ptr<BatchSpanProcessor>> create(BatchSpanProcessorConfig config,
                                                            SpanExporter& exporter, const Clock& clock);
  // Shuts down (exporting what is queued) if that was not done.
  ~BatchSpanProcessor() override;

  void on_end(std::unique_ptr<SpanData>&& span) noexcept override;
  // Exports every span queued before the call; deadline_exceeded if that
  // takes longer than `timeout` (the export goes on regardless).
  Status force_flush(std::chrono::milliseconds timeout) override;
  // Flushes, stops the worker, shuts the exporter down. Later spans are
  // dropped and counted. Idempotent.
  Status shutdown(std::chrono::milliseconds timeout) override;
  [[nodiscard]] std::size_t take_recycled(std::span<std::unique_ptr<SpanData>> out) noexcept override;

  [[nodiscard]] BatchSpanProcessorMetrics metrics() const noexcept;

 private:
  BatchSpanProcessor(BatchSpanProcessorConfig config, SpanExporter& exporter, const Clock& clock);
  void run();
  [[nodiscard]] bool work_waiting() const noexcept;
  void export_queued();
  void export_batch(std::vector<std::unique_ptr<SpanData>>& batch);

  const BatchSpanProcessorConfig config_;
  SpanExporter& exporter_;
  const Clock& clock_;
  BoundedSpanQueue queue_;
  SpanDataPool pool_;
  // A producer wakes the worker when its push count has these bits clear.
  const std::uint64_t wake_mask_;

  std::mutex mutex_;
  std::condition_variable wake_worker_;
  std::condition_variable flushed_;
  // Guarded by mutex_: flush requests and completions count up, so a
  // flusher waits for the generation it asked for.
  std::uint64_t flush_requested_ = 0;
  std::uint64_t flush_completed_ = 0;
  bool stop_requested_ = false;
  bool worker_stopped_ = false;
  std::atomic<bool> shut_down_{false};
  // Set by the producer that woke the worker for a full batch, cleared by
  // the worker when it wakes.
  std::atomic<bool> wake_pending_{false};

  std::atomic<std::uint64_t> exported_total_{0};
  std::atomic<std::uint64_t> dropped_queue_full_total_{0};
  std::atomic<std::uint64_t> dropped_export_failed_total_{0};
  std::atomic<std::uint64_t> dropped_after_shutdown_total_{0};
  std::atomic<std::uint64_t> export_failures_total_{0};

  // Last: started once everything above exists.
  std::thread worker_;
};

}  // namespace faultline::tracing
