#include "faultline/clocks/hlc.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "faultline/core/assert.hpp"

namespace faultline::clocks {
namespace {


// The timestamp after `last`, or none when the logical counter would wrap
// (the caller then waits for the physical clock).
struct Successor {
  HlcTimestamp stamp;
  bool exhausted = false;
};

// Kulkarni et al. 2014, figure 5, "send or local event".
Successor after_local(HlcTimestamp last, std::uint64_t physical_ms) noexcept {
  if (physical_ms > last.wall_ms) return {{physical_ms, 0}};
  if (last.logical == HlcTimestamp::kLogicalMax) return {last, true};
  return {{last.wall_ms, static_cast<std::uint16_t>(last.logical + 1)}};
}

// Kulkarni et al. 2014, figure 5, "receive event of message m".
Successor after_receive(HlcTimestamp last, HlcTimestamp remote, std::uint64_t physical_ms) noexcept {
  const std::uint64_t wall_ms = std::max({last.wall_ms, remote.wall_ms, physical_ms});
  std::uint32_t logical = 0;
  if (wall_ms == last.wall_ms && wall_ms == remote.wall_ms) {
    logical = std::uint32_t{std::max(last.logical, remote.logical)} + 1;
  } else if (wall_ms == last.wall_ms) {
    logical = std::uint32_t{last.logical} + 1;
  } else if (wall_ms == remote.wall_ms) {
    logical = std::uint32_t{remote.logical} + 1;
  }
  if (logical > HlcTimestamp::kLogicalMax) return {last, true};
  return {{wall_ms, static_cast<std::uint16_t>(logical)}};
}

}  // namespace

Status HlcConfig::validate() const {
  if (max_offset <= std::chrono::milliseconds::zero() || max_offset > std::chrono::hours(1)) {
    return Status::invalid_argument("hlc.max_offset must be in (0, 1h], got " +
                                    std::to_string(max_offset.count()) + "ms");
  }
  if (!std::isfinite(fence_offset_fraction) || fence_offset_fraction <= 0 ||
      fence_offset_fraction > 1) {
    return Status::invalid_argument("hlc.fence_offset_fraction must be in (0, 1], got " +
                                    std::to_string(fence_offset_fraction));
  }
  if (peer_count > OffsetMonitor::kPeerCountMax) {
    return Status::invalid_argument("hlc.peer_count must be at most " +
                                    std::to_string(OffsetMonitor::kPeerCountMax));
  }
  return Status();
}

namespace {
std::chrono::milliseconds fence_threshold(const HlcConfig& config) {
  const auto millis = std::llround(static_cast<double>(config.max_offset.count()) *
                                   config.fence_offset_fraction);
  return std::chrono::milliseconds(std::max<long long>(1, millis));
}
}  // namespace

HybridLogicalClock::HybridLogicalClock(const WallClock& wall, HlcConfig config)
    : wall_(wall),
      config_(config),
      monitor_(config.validate().ok() ? config.peer_count : 0, fence_threshold(config)) {
  FAULTLINE_ASSERT(config_.validate().ok(), "HybridLogicalClock built from a valid HlcConfig");
}

// Inlined into now() and update(): a call more on the path every message takes.
[[gnu::always_inline]] inline std::uint64_t HybridLogicalClock::physical_ms() const noexcept {
  const auto since_epoch = std::chrono::duration_cast<std::chrono::milliseconds>(
      wall_.now().time_since_epoch());
  // A clock set before 1970 is a broken host, not an input: read it as 0
  // and let the logical counter carry order.
  const auto millis = static_cast<std::uint64_t>(std::max<std::int64_t>(0, since_epoch.count()));
  FAULTLINE_ASSERT(millis <= HlcTimestamp::kWallMsMax, "wall clock before the year 10889");
  return millis;
}

HlcTimestamp HybridLogicalClock::now() {
  std::uint64_t physical = physical_ms();
  std::uint64_t current = packed_.load(std::memory_order_acquire);
  for (;;) {
    const HlcTimestamp last = HlcTimestamp::unpack(current);
    const Successor next = after_local(last, physical);
    if (next.exhausted) {
      wait_past(last.wall_ms, physical);
      physical = physical_ms();
      current = packed_.load(std::memory_order_acquire);
      continue;
    }
    FAULTLINE_ASSERT(next.stamp > last, "HLC strictly increases");
    if (packed_.compare_exchange_weak(current, next.stamp.pack(), std::memory_order_acq_rel)) {
      return next.stamp;
    }
  }
}

std::uint64_t HybridLogicalClock::update_packed(HlcTimestamp remote, std::size_t peer_index) {
  FAULTLINE_ASSERT(peer_index == kNoPeer || peer_index < config_.peer_count,
                   "peer index names a configured peer");
  std::uint64_t physical = physical_ms();
  if (peer_index != kNoPeer) {
    const auto ahead_ms = static_cast<std::int64_t>(remote.wall_ms) -
                          static_cast<std::int64_t>(physical);
    monitor_.record(peer_index, std::chrono::milliseconds(ahead_ms));
  }
  const auto max_offset_ms = static_cast<std::uint64_t>(config_.max_offset.count());
  if (remote.wall_ms > physical + max_offset_ms || remote.wall_ms > HlcTimestamp::kWallMsMax)
      [[unlikely]] {
    rejected_updates_total_.fetch_add(1, std::memory_order_relaxed);
    return kRefused;
  }
  std::uint64_t current = packed_.load(std::memory_order_acquire);
  for (;;) {
    const HlcTimestamp last = HlcTimestamp::unpack(current);
    const Successor next = after_receive(last, remote, physical);
    if (next.exhausted) {
      wait_past(std::max(last.wall_ms, remote.wall_ms), physical);
      physical = physical_ms();
      current = packed_.load(std::memory_order_acquire);
      continue;
    }
    FAULTLINE_ASSERT(next.stamp > last && next.stamp > remote, "received stamp orders after both");
    if (packed_.compare_exchange_weak(current, next.stamp.pack(), std::memory_order_acq_rel)) {
      return next.stamp.pack();
    }
  }
}

// Out of line and cold: building the error (strings, a Status) stays off
// the accepted path, which every message takes.
// The physical clock is read again here: the message reports the offset as
// of building it, a few nanoseconds after the check that refused.
[[gnu::cold, gnu::noinline]] Result<HlcTimestamp> HybridLogicalClock::refusal(
    HlcTimestamp remote) const {
  const std::uint64_t physical = physical_ms();
  const std::uint64_t ahead_ms = remote.wall_ms > physical ? remote.wall_ms - physical : 0;
  return Status::out_of_range("remote HLC timestamp is " + std::to_string(ahead_ms) +
                              "ms ahead of the local clock, beyond the maximum offset of " +
                              std::to_string(config_.max_offset.count()) + "ms")
      .with_reason("CLOCK_OFFSET_EXCEEDED");
}

void HybridLogicalClock::wait_past(std::uint64_t wall_ms, std::uint64_t physical) {
  // 65,536 events in one millisecond: rather than wrap the counter (which
  // would break monotonicity) or run ahead of real time, let time pass.
  logical_overflow_waits_total_.fetch_add(1, std::memory_order_relaxed);
  const std::uint64_t behind_ms = wall_ms >= physical ? wall_ms - physical + 1 : 1;
  wall_.sleep_for(std::chrono::milliseconds(behind_ms));
}

HlcTimestamp HybridLogicalClock::last() const noexcept {
  return HlcTimestamp::unpack(packed_.load(std::memory_order_acquire));
}

std::uint64_t HybridLogicalClock::rejected_updates_total() const noexcept {
  return rejected_updates_total_.load(std::memory_order_relaxed);
}

std::uint64_t HybridLogicalClock::logical_overflow_waits_total() const noexcept {
  return logical_overflow_waits_total_.load(std::memory_order_relaxed);
}

}  // namespace faultline::clocks
