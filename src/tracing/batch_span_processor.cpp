#include "faultline/tracing/batch_span_processor.hpp"

#include <bit>
#include <string>
#include <vector>

namespace faultline::tracing {

Status BatchSpanProcessorConfig::validate() const {
  const bool power_of_two = max_queue_size >= 2 && (max_queue_size & (max_queue_size - 1)) == 0;
  if (!power_of_two || max_queue_size > (std::size_t{1} << 20)) {
    return Status::invalid_argument("batch span processor: max_queue_size must be a power of two in [2, 2^20], got " +
                                    std::to_string(max_queue_size));
  }
  if (max_export_batch_size == 0 || max_export_batch_size > max_queue_size) {
    return Status::invalid_argument("batch span processor: max_export_batch_size must be in [1, max_queue_size]");
  }
  if (schedule_delay <= Duration::zero()) {
    return Status::invalid_argument("batch span processor: schedule_delay must be positive");
  }
  if (export_timeout <= Duration::zero()) {
    return Status::invalid_argument("batch span processor: export_timeout must be positive");
  }
  return Status();
}

Result<std::unique_ptr<BatchSpanProcessor>> BatchSpanProcessor::create(BatchSpanProcessorConfig config,
                                                                       SpanExporter& exporter, const Clock& clock) {
  if (auto valid = config.validate(); !valid.ok()) return valid;
  return std::unique_ptr<BatchSpanProcessor>(new BatchSpanProcessor(config, exporter, clock));
}

BatchSpanProcessor::BatchSpanProcessor(BatchSpanProcessorConfig config, SpanExporter& exporter, const Clock& clock)
    : config_(config),
      exporter_(exporter),
      clock_(clock),
      queue_(config.max_queue_size),
      pool_(config.max_queue_size),
      wake_mask_(std::bit_floor(config.max_export_batch_size) - 1),
      worker_([this] { run(); }) {}

BatchSpanProcessor::~BatchSpanProcessor() { (void)shutdown(std::chrono::milliseconds(30'000)); }

void BatchSpanProcessor::on_end(std::unique_ptr<SpanData>&& span) noexcept {
  if (span == nullptr || !span->context.sampled()) return;
  if (shut_down_.load(std::memory_order_acquire)) {
    dropped_after_shutdown_total_.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  const std::uint64_t pushed = queue_.try_push(span);
  if (pushed == 0) {
    dropped_queue_full_total_.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  // Wake the worker about once per batch's worth of pushes (wake_mask_:
  // the batch size rounded down to a power of two, so no division on this
  // path), not per span, and without reading the worker's pop position (a
  // cache line it writes on every pop). Taking the lock after setting the
  // flag means the worker is either before its check (and sees the flag)
  // or waiting (and gets the notify); notifying after releasing it spares
  // the woken worker blocking on a mutex we still hold (a second futex
  // call on this thread).
  if ((pushed & wake_mask_) == 0 && !wake_pending_.exchange(true, std::memory_order_acq_rel)) {
    { const std::lock_guard lock(mutex_); }
    wake_worker_.notify_one();
  }
}

bool BatchSpanProcessor::work_waiting() const noexcept {
  // The wake flag counts as work: a producer notifies after a batch's
  // worth of pushes, which may be more than the queue now holds (the
  // worker drained some), and a wake-up the predicate refused would leave
  // the flag set and every later notify skipped until the timer.
  return stop_requested_ || flush_requested_ != flush_completed_ || wake_pending_.load(std::memory_order_acquire) ||
         queue_.size_approx() >= config_.max_export_batch_size;
}

void BatchSpanProcessor::run() {
  for (;;) {
    std::uint64_t flush_target = 0;
    bool stopping = false;
    {
      std::unique_lock lock(mutex_);
      // Re-arm the producers' wake-up before looking at the queue, not after
      // waking: a producer that set the flag while we were exporting would
      // otherwise leave it set, every later full batch would skip its
      // notify, and the queue would drain only every schedule_delay. A push
      // that sets it after this line notifies under the lock, so either the
      // predicate below sees the full batch or the wait gets the notify.
      // An exchange, not a store: reading a producer's `true` synchronizes
      // with it, so a push that skipped its notify because the flag was
      // still set is visible to the predicate below.
      (void)wake_pending_.exchange(false, std::memory_order_acq_rel);
      wake_worker_.wait_for(lock, config_.schedule_delay, [this] { return work_waiting(); });
      flush_target = flush_requested_;
      stopping = stop_requested_;
    }
    export_queued();
    const std::lock_guard lock(mutex_);
    flush_completed_ = flush_target;
    flushed_.notify_all();
    if (stopping) {
      worker_stopped_ = true;
      return;
    }
  }
}

void BatchSpanProcessor::export_queued() {
  std::vector<std::unique_ptr<SpanData>> batch;
  batch.reserve(config_.max_export_batch_size);
  for (;;) {
    while (batch.size() < config_.max_export_batch_size) {
      auto span = queue_.try_pop();
      if (span == nullptr) break;
      batch.push_back(std::move(span));
    }
    if (batch.empty()) return;
    export_batch(batch);
    pool_.give_back(batch);
  }
}

void BatchSpanProcessor::export_batch(std::vector<std::unique_ptr<SpanData>>& batch) {
  const TimePoint deadline = clock_.now() + config_.export_timeout;
  Status exported;
  try {
    exported = exporter_.export_spans(SpanBatch(batch.data(), batch.size()), deadline);
  } catch (const std::exception& e) {
    exported = Status::internal(std::string("exporter threw: ") + e.what());
  } catch (...) {
    exported = Status::internal("exporter threw");
  }
  if (exported.ok()) {
    exported_total_.fetch_add(batch.size(), std::memory_order_relaxed);
  } else {
    export_failures_total_.fetch_add(1, std::memory_order_relaxed);
    dropped_export_failed_total_.fetch_add(batch.size(), std::memory_order_relaxed);
  }
}

Status BatchSpanProcessor::force_flush(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  if (worker_stopped_) return Status();  // shutdown exported everything
  const std::uint64_t target = ++flush_requested_;
  wake_worker_.notify_one();
  const bool done = flushed_.wait_for(lock, timeout, [&] { return flush_completed_ >= target || worker_stopped_; });
  if (!done) return Status::deadline_exceeded("batch span processor: flush did not finish in time");
  return Status();
}

Status BatchSpanProcessor::shutdown(std::chrono::milliseconds timeout) {
  if (shut_down_.exchange(true, std::memory_order_acq_rel)) return Status();
  {
    const std::lock_guard lock(mutex_);
    stop_requested_ = true;
    wake_worker_.notify_one();
  }
  Status status;
  {
    std::unique_lock lock(mutex_);
    if (!flushed_.wait_for(lock, timeout, [this] { return worker_stopped_; })) {
      status = Status::deadline_exceeded("batch span processor: shutdown did not finish in time");
    }
  }
  // The worker ends after its current export whatever the timeout; joining
  // it is what keeps the exporter from being used after this returns.
  worker_.join();
  // Spans that raced with shutdown and got in after the last drain.
  while (auto span = queue_.try_pop()) dropped_after_shutdown_total_.fetch_add(1, std::memory_order_relaxed);
  const Status exporter_status = exporter_.shutdown();
  return status.ok() ? exporter_status : status;
}

std::size_t BatchSpanProcessor::take_recycled(std::span<std::unique_ptr<SpanData>> out) noexcept {
  return pool_.take(out);
}

BatchSpanProcessorMetrics BatchSpanProcessor::metrics() const noexcept {
  return BatchSpanProcessorMetrics{queue_.pushed_total(),
                                   exported_total_.load(std::memory_order_relaxed),
                                   dropped_queue_full_total_.load(std::memory_order_relaxed),
                                   dropped_export_failed_total_.load(std::memory_order_relaxed),
                                   dropped_after_shutdown_total_.load(std::memory_order_relaxed),
                                   export_failures_total_.load(std::memory_order_relaxed)};
}

}  // namespace faultline::tracing
