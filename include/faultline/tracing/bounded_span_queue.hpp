// BoundedSpanQueue: the batch processor's queue — many threads push ended
// spans, one worker pops them — with a fixed capacity and no lock, so a
// traced thread never waits: when the queue is full, try_push() fails at
// once and the caller drops the span.
//
// A ring of cells, each with a sequence number that says whose turn the
// cell is (Dmitry Vyukov's bounded queue): a producer claims a position by
// compare-and-swap and publishes the cell by a release store of its
// sequence; the consumer reads it after an acquire load of the same. The
// capacity is a power of two so a position maps to a cell with a mask.
//
//   BoundedSpanQueue queue(2048);
//   if (queue.try_push(span) == 0) ++dropped;  // `span` stays ours
//
// Thread-safety: try_push() from any number of threads; try_pop() from one
// thread at a time; size_approx() from anywhere.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>

#include "faultline/tracing/span_data.hpp"

namespace faultline::tracing {

class BoundedSpanQueue {
 public:
  // Precondition: capacity is a power of two, at least 2.
  explicit BoundedSpanQueue(std::size_t capacity);
  ~BoundedSpanQueue();
  BoundedSpanQueue(const BoundedSpanQueue&) = delete;
  BoundedSpanQueue& operator=(const BoundedSpanQueue&) = delete;

  // How many pushes have succeeded, this one included (so a caller can act
  // on every n-th push without reading the consumer's position); 0, and
  // `span` left with the caller, when full.
  [[nodiscard]] std::uint64_t try_push(std::unique_ptr<SpanData>& span) noexcept;
  // Null when empty.
  [[nodiscard]] std::unique_ptr<SpanData> try_pop() noexcept;
  // Exact when no push or pop is in flight.
  [[nodiscard]] std::size_t size_approx() const noexcept;
  [[nodiscard]] std::size_t capacity() const noexcept { return mask_ + 1; }
  // Successful try_push() calls so far: the push position, which counts
  // them anyway (so a caller need not keep a second shared counter).
  [[nodiscard]] std::uint64_t pushed_total() const noexcept { return push_position_.load(std::memory_order_relaxed); }

 private:
  struct Cell {
    std::atomic<std::size_t> sequence;
    SpanData* span;
  };

  std::unique_ptr<Cell[]> cells_;
  std::size_t mask_;
  // Apart, so producers and the consumer do not share a cache line.
  alignas(64) std::atomic<std::size_t> push_position_{0};
  alignas(64) std::atomic<std::size_t> pop_position_{0};
};

}  // namespace faultline::tracing
