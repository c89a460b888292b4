// SpanDataPool: exported spans' SpanData kept for reuse, so that in steady
// state a sampled span allocates nothing and no thread frees memory that
// another thread allocated (with glibc's malloc, a producer allocating and
// an exporter thread freeing contend for one arena lock on every span).
//
// The batch processor's worker gives each exported batch back, cleared
// (SpanData::clear) on its own thread; tracing threads take a handful at a
// time through SpanProcessor::take_recycled() and fill them in. The pool
// holds at most `capacity`; what does not fit, and any span still holding
// more than 4 KiB once cleared (a long name, many attributes or events), is
// freed instead, so a burst or an outlier does not stay resident.
//
//   SpanDataPool pool(2048);
//   pool.give_back(exported_batch);              // the worker, after export
//   std::array<std::unique_ptr<SpanData>, 16> slots;
//   std::size_t taken = pool.take(slots);         // a tracing thread
//
// Thread-safety: every member from any thread. One mutex, taken once per
// batch given back and once per handful taken, not per span.
#pragma once

#include <cstddef>
#include <memory>
#include <mutex>
#include <span>
#include <vector>

#include "faultline/tracing/span_data.hpp"

namespace faultline::tracing {

class SpanDataPool {
 public:
  explicit SpanDataPool(std::size_t capacity);

  // Takes every span in `spans`, which is left empty: cleared and pooled
  // while there is room, freed otherwise. Null entries are skipped.
  void give_back(std::vector<std::unique_ptr<SpanData>>& spans) noexcept;
  // Moves up to out.size() pooled spans, each cleared, into out's first
  // slots (which must be empty) and returns how many.
  [[nodiscard]] std::size_t take(std::span<std::unique_ptr<SpanData>> out) noexcept;

  [[nodiscard]] std::size_t size() const noexcept;
  [[nodiscard]] std::size_t capacity() const noexcept { return capacity_; }

 private:
  const std::size_t capacity_;
  mutable std::mutex mutex_;
  std::vector<std::unique_ptr<SpanData>> spans_;  // capacity_ reserved up front
};

}  // namespace faultline::tracing
