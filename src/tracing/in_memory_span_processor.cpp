#include "faultline/tracing/span_processor.hpp"

#include <utility>

namespace faultline::tracing {

void InMemorySpanProcessor::on_end(std::unique_ptr<SpanData>&& span) noexcept {
  const std::lock_guard lock(mutex_);
  try {
    spans_.push_back(std::move(span));
  } catch (...) {
    // Out of memory: the span is lost, the traced program goes on.
  }
}

std::vector<std::unique_ptr<SpanData>> InMemorySpanProcessor::take() {
  const std::lock_guard lock(mutex_);
  return std::exchange(spans_, {});
}

}  // namespace faultline::tracing
