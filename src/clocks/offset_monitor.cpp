#include "faultline/clocks/offset_monitor.hpp"

#include "faultline/core/assert.hpp"

namespace faultline::clocks {

OffsetMonitor::OffsetMonitor(std::size_t peer_count, std::chrono::milliseconds threshold)
    : peer_count_(peer_count),
      threshold_(threshold),
      peer_ahead_ms_(std::make_unique<std::atomic<std::int64_t>[]>(peer_count)) {
  FAULTLINE_ASSERT(peer_count <= kPeerCountMax, "offset monitor peer count within bound");
  FAULTLINE_ASSERT(threshold > std::chrono::milliseconds::zero(), "offset threshold positive");
  for (std::size_t i = 0; i < peer_count_; ++i) peer_ahead_ms_[i].store(0);
}

void OffsetMonitor::record(std::size_t peer_index, std::chrono::milliseconds peer_ahead) noexcept {
  FAULTLINE_ASSERT(peer_index < peer_count_, "peer index names a monitored peer");
  peer_ahead_ms_[peer_index].store(peer_ahead.count(), std::memory_order_relaxed);
}

std::size_t OffsetMonitor::peers_beyond_threshold() const noexcept {
  std::size_t beyond = 0;
  for (std::size_t i = 0; i < peer_count_; ++i) {
    if (peer_ahead_ms_[i].load(std::memory_order_relaxed) > threshold_.count()) ++beyond;
  }
  return beyond;
}

bool OffsetMonitor::should_fence() const noexcept {
  return peer_count_ > 0 && peers_beyond_threshold() * 2 > peer_count_;
}

}  // namespace faultline::clocks
