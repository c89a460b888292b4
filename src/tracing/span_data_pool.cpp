#include "faultline/tracing/span_data_pool.hpp"

#include <algorithm>

namespace faultline::tracing {

namespace {

// Generous for real spans (a short name, a few attributes: under 1 KiB),
// small enough that a full pool of 2048 stays under 10 MiB.
constexpr std::size_t kKeptBytesMax = 4096;

}  // namespace

SpanDataPool::SpanDataPool(std::size_t capacity) : capacity_(capacity) { spans_.reserve(capacity); }

void SpanDataPool::give_back(std::vector<std::unique_ptr<SpanData>>& spans) noexcept {
  // Sorted and cleared before the lock, by the giver: the worker has just
  // read these spans, so their memory is in its cache, and a tracing thread
  // that takes one then only writes to it (its stores wait for the cache
  // line; loads of another core's lines would stall it). The lock is held
  // for moving pointers only, which the takers contend for.
  std::size_t kept = 0;
  for (auto& span : spans) {
    // Clearing measures what the span still holds: one pass over it.
    if (span == nullptr || span->clear() > kKeptBytesMax) continue;
    spans[kept++] = std::move(span);
  }
  {
    const std::lock_guard lock(mutex_);
    const std::size_t room = capacity_ - spans_.size();
    // Within the reserved capacity: push_back does not allocate.
    for (std::size_t i = 0; i < kept && i < room; ++i) spans_.push_back(std::move(spans[i]));
  }
  spans.clear();  // frees what was not kept, outside the lock
}

std::size_t SpanDataPool::take(std::span<std::unique_ptr<SpanData>> out) noexcept {
  const std::lock_guard lock(mutex_);
  const std::size_t count = std::min(out.size(), spans_.size());
  for (std::size_t i = 0; i < count; ++i) {
    out[i] = std::move(spans_.back());
    spans_.pop_back();
  }
  return count;
}

std::size_t SpanDataPool::size() const noexcept {
  const std::lock_guard lock(mutex_);
  return spans_.size();
}

}  // namespace faultline::tracing
