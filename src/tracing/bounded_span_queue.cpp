#include "faultline/tracing/bounded_span_queue.hpp"

#include <cstdint>

#include "faultline/core/assert.hpp"

namespace faultline::tracing {

BoundedSpanQueue::BoundedSpanQueue(std::size_t capacity) : cells_(new Cell[capacity]), mask_(capacity - 1) {
  FAULTLINE_ASSERT(capacity >= 2 && (capacity & (capacity - 1)) == 0, "queue capacity must be a power of two");
  for (std::size_t i = 0; i < capacity; ++i) {
    cells_[i].sequence.store(i, std::memory_order_relaxed);
    cells_[i].span = nullptr;
  }
}

BoundedSpanQueue::~BoundedSpanQueue() {
  while (try_pop() != nullptr) {
  }
}

std::uint64_t BoundedSpanQueue::try_push(std::unique_ptr<SpanData>& span) noexcept {
  std::size_t position = push_position_.load(std::memory_order_relaxed);
  for (;;) {
    Cell& cell = cells_[position & mask_];
    const std::size_t sequence = cell.sequence.load(std::memory_order_acquire);
    const auto turn = static_cast<std::intptr_t>(sequence) - static_cast<std::intptr_t>(position);
    if (turn == 0) {
      if (push_position_.compare_exchange_weak(position, position + 1, std::memory_order_relaxed)) {
        cell.span = span.release();
        cell.sequence.store(position + 1, std::memory_order_release);
        return position + 1;
      }
    } else if (turn < 0) {
      return 0;  // the cell a lap behind is still unread: full
    } else {
      position = push_position_.load(std::memory_order_relaxed);
    }
  }
}

std::unique_ptr<SpanData> BoundedSpanQueue::try_pop() noexcept {
  // One consumer: the position is ours alone, so a plain store moves it
  // (no compare-and-swap, as producers need among themselves).
  const std::size_t position = pop_position_.load(std::memory_order_relaxed);
  Cell& cell = cells_[position & mask_];
  if (cell.sequence.load(std::memory_order_acquire) != position + 1) return nullptr;  // not yet published: empty
  std::unique_ptr<SpanData> span(cell.span);
  cell.span = nullptr;
  pop_position_.store(position + 1, std::memory_order_relaxed);
  cell.sequence.store(position + mask_ + 1, std::memory_order_release);
  return span;
}

std::size_t BoundedSpanQueue::size_approx() const noexcept {
  const std::size_t pushed = push_position_.load(std::memory_order_acquire);
  const std::size_t popped = pop_position_.load(std::memory_order_acquire);
  return pushed > popped ? pushed - popped : 0;
}

}  // namespace faultline::tracing
