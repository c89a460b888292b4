// OffsetMonitor: notices when this node's clock is far behind its peers'.
//
// Every HLC timestamp a peer sends carries that peer's physical time, so
// each receive is a free sample of (peer time - our time). The monitor
// keeps the latest sample per peer; when more than half the peers were last
// seen ahead by more than a fraction of the maximum offset, this node's
// clock is the likely outlier, and should_fence() says so: a node in that
// state should stop serving leases and time-bound reads rather than give
// answers its clock cannot back (CockroachDB does the same with its
// maximum clock offset). A sample is an underestimate of the peer's lead by
// the network delay, which errs on the side of not fencing.
//
// Used by HybridLogicalClock (hlc.hpp); usable alone.
//
//   OffsetMonitor monitor(/*peer_count=*/4, /*threshold=*/400ms);
//   monitor.record(peer, offset);
//   if (monitor.should_fence()) stop_serving_leases();
//
// Thread-safety: lock-free; every member is safe from any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>

namespace faultline::clocks {

class OffsetMonitor {
 public:
  static constexpr std::size_t kPeerCountMax = 1024;

  // Precondition: peer_count <= kPeerCountMax, threshold > 0.
  OffsetMonitor(std::size_t peer_count, std::chrono::milliseconds threshold);

  // The latest sample from peer `peer_index`: positive when the peer's
  // clock reads later than ours. Precondition: peer_index < peer_count().
  void record(std::size_t peer_index, std::chrono::milliseconds peer_ahead) noexcept;

  // More than half the peers were last seen ahead by more than threshold.
  // False with no peers.
  [[nodiscard]] bool should_fence() const noexcept;
  // How many peers were last seen ahead by more than the threshold.
  [[nodiscard]] std::size_t peers_beyond_threshold() const noexcept;

  [[nodiscard]] std::size_t peer_count() const noexcept { return peer_count_; }
  [[nodiscard]] std::chrono::milliseconds threshold() const noexcept { return threshold_; }

 private:
  std::size_t peer_count_;
  std::chrono::milliseconds threshold_;
  // Latest signed sample per peer, in milliseconds; 0 before any.
  std::unique_ptr<std::atomic<std::int64_t>[]> peer_ahead_ms_;
};

}  // namespace faultline::clocks
