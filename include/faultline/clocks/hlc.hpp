// HybridLogicalClock: timestamps that respect causality and read as times.
//
// An HLC (Kulkarni, Demirbas et al., 2014) issues timestamps that are never
// smaller than the local physical clock, grow on every event, and, after a
// message is received, exceed the sender's timestamp: causal order like a
// Lamport clock, yet within a bounded distance of real time, so a timestamp
// can answer "as of 10:42:07". Spanner-style snapshot reads, CockroachDB's
// MVCC and trace ordering use them.
//
// Guarantees of this implementation:
// - Monotonic: now() and update() return strictly increasing timestamps on
//   one clock, even when the physical clock steps backwards.
// - Bounded drift: a remote timestamp more than max_offset ahead of our
//   physical clock is refused (out_of_range, reason "CLOCK_OFFSET_EXCEEDED")
//   and counted, instead of dragging every node's clock into the future.
// - Self-fencing: update(remote, peer) samples each peer's offset; when most
//   peers are ahead by more than fence_offset_fraction × max_offset,
//   should_fence() turns true (see offset_monitor.hpp).
// - No wrap: when the 16-bit logical counter is exhausted within one
//   millisecond, the call waits for the physical clock to move on (after a
//   backwards step of the physical clock, that wait can last as long as the
//   step; it needs 65,536 events within the step to happen at all).
//
// Reads the physical time once per call (except while waiting out an
// overflow). The wall clock is injected: SystemWallClock in production,
// ManualWallClock in tests and the simulator.
//
//   HybridLogicalClock clock(SystemWallClock::instance());
//   HlcTimestamp stamp = clock.now();                  // stamp a local event
//   auto merged = clock.update(remote_stamp, peer);    // on receive
//   if (!merged.ok()) reject_message(merged.status());
//
// Thread-safety: lock-free (one atomic word, compare-and-swap); every
// member is safe from any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>

#include "faultline/clocks/hlc_timestamp.hpp"
#include "faultline/clocks/offset_monitor.hpp"
#include "faultline/core/result.hpp"
#include "faultline/core/wall_clock.hpp"

namespace faultline::clocks {

struct HlcConfig {
  // As CockroachDB's default. In (0, 1 hour].
  std::chrono::milliseconds max_offset = std::chrono::milliseconds(500);
  // Peers ahead by more than this fraction of max_offset count towards
  // fencing. In (0, 1].
  double fence_offset_fraction = 0.8;
  // Peers whose offsets update(remote, peer) samples; <= kPeerCountMax.
  std::size_t peer_count = 0;

  [[nodiscard]] Status validate() const;
};

class HybridLogicalClock {
 public:
  // Precondition: config.validate() is ok (checked). `wall` must outlive
  // the clock.
  explicit HybridLogicalClock(const WallClock& wall, HlcConfig config = {});

  // A local or send event.
  [[nodiscard]] HlcTimestamp now();

  // A receive event: a timestamp above both `remote` and every earlier one.
  // out_of_range (reason "CLOCK_OFFSET_EXCEEDED") when remote is more than
  // max_offset ahead of our physical clock; the clock is then unchanged.
  [[nodiscard]] Result<HlcTimestamp> update(HlcTimestamp remote) {
    return update(remote, kNoPeer);
  }
  // As above, and records the peer's offset. Precondition:
  // peer_index < config().peer_count.
  //
  // Inline, over an out-of-line core that returns the packed stamp in one
  // register: a Result (it holds a Status) is returned through memory, and
  // building it where the caller can see it lets the compiler keep the
  // accepted path, which every received message takes, in registers.
  [[nodiscard]] Result<HlcTimestamp> update(HlcTimestamp remote, std::size_t peer_index) {
    const std::uint64_t packed = update_packed(remote, peer_index);
    if (packed != kRefused) [[likely]] return HlcTimestamp::unpack(packed);
    return refusal(remote);
  }

  // The last timestamp issued, without issuing one.
  [[nodiscard]] HlcTimestamp last() const noexcept;

  // Most peers are far ahead: this node should fence itself.
  [[nodiscard]] bool should_fence() const noexcept { return monitor_.should_fence(); }
  [[nodiscard]] const OffsetMonitor& offset_monitor() const noexcept { return monitor_; }

  // Remote timestamps refused for exceeding max_offset.
  [[nodiscard]] std::uint64_t rejected_updates_total() const noexcept;
  // Times a call waited for the physical clock because the logical
  // counter was exhausted.
  [[nodiscard]] std::uint64_t logical_overflow_waits_total() const noexcept;

  [[nodiscard]] const HlcConfig& config() const noexcept { return config_; }

 private:
  static constexpr std::size_t kNoPeer = static_cast<std::size_t>(-1);
  // Every issued stamp is above the initial 0, so 0 can mean "refused".
  static constexpr std::uint64_t kRefused = 0;

  [[nodiscard]] std::uint64_t physical_ms() const noexcept;
  // update() without the Result: the packed stamp, or kRefused (counted).
  [[nodiscard]] std::uint64_t update_packed(HlcTimestamp remote, std::size_t peer_index);
  [[nodiscard]] Result<HlcTimestamp> refusal(HlcTimestamp remote) const;
  void wait_past(std::uint64_t wall_ms, std::uint64_t physical);

  const WallClock& wall_;
  HlcConfig config_;
  OffsetMonitor monitor_;
  // The last timestamp issued, packed. Invariant: never decreases.
  std::atomic<std::uint64_t> packed_{0};
  std::atomic<std::uint64_t> rejected_updates_total_{0};
  std::atomic<std::uint64_t> logical_overflow_waits_total_{0};
};

}  // namespace faultline::clocks
