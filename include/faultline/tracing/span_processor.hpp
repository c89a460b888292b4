// SpanProcessor: where a Tracer hands each recorded span when it ends.
//
// The batch processor (queue, worker thread, exporter) is the one to use in
// production; InMemorySpanProcessor keeps spans for tests and tools.
// on_end() is on the traced program's path: it must never block for long
// and never throw.
//
//   InMemorySpanProcessor spans;
//   Tracer tracer({.processor = &spans, ...});
//   auto finished = spans.take();
//
// Thread-safety: on_end() is called from every thread that ends spans;
// implementations must be safe for that.
#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <span>
#include <vector>

#include "faultline/core/status.hpp"
#include "faultline/tracing/span_data.hpp"

namespace faultline::tracing {

class SpanProcessor {
 public:
  virtual ~SpanProcessor() = default;
  // Takes a recorded span that has ended, by moving from `span`. One it
  // does not keep (the batch processor's queue is full, or it is shut
  // down) it leaves in place: the tracer then reuses its memory for the
  // thread's next span rather than freeing it, so dropping under overload
  // costs no allocation.
  virtual void on_end(std::unique_ptr<SpanData>&& span) noexcept = 0;
  // Exports what is pending; deadline_exceeded if that took too long.
  virtual Status force_flush(std::chrono::milliseconds timeout) = 0;
  // Flushes and stops; later spans are dropped.
  virtual Status shutdown(std::chrono::milliseconds timeout) = 0;
  // Finished SpanData, each cleared (SpanData::clear), that a tracer fills
  // in for its next spans instead of allocating (the batch processor
  // recycles what it exported): moves up to out.size() into out's first
  // slots, returns how many. None by default. Called from every tracing
  // thread.
  [[nodiscard]] virtual std::size_t take_recycled(std::span<std::unique_ptr<SpanData>> out) noexcept {
    (void)out;
    return 0;
  }
};

// Keeps every span in memory, in the order they ended.
class InMemorySpanProcessor final : public SpanProcessor {
 public:
  void on_end(std::unique_ptr<SpanData>&& span) noexcept override;
  Status force_flush(std::chrono::milliseconds) override { return Status(); }
  Status shutdown(std::chrono::milliseconds) override { return Status(); }

  // Removes and returns the spans ended so far.
  [[nodiscard]] std::vector<std::unique_ptr<SpanData>> take();

 private:
  std::mutex mutex_;
  std::vector<std::unique_ptr<SpanData>> spans_;
};

}  // namespace faultline::tracing
