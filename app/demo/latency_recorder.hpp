// LatencyRecorder: a fixed-size latency histogram with percentiles.
//
// The demo records every call's latency here and reads p50/p90/p99/max for
// the live view (one recorder per second) and the summary (one per run).
// Memory is fixed (1024 buckets, 8 KiB) whatever the number of samples:
// buckets are log-linear in microseconds, 32 per power of two, so any
// percentile is within about 1.6% of the true sample (exact below 32 us).
// count(), min(), max() and total() are exact.
//
//   LatencyRecorder recorder;
//   recorder.record(3ms);
//   Duration p99 = recorder.percentile(99);
//
// Thread-safety: a value type, not synchronized; callers that share one
// lock around it (ClientStats does).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

#include "faultline/core/clock.hpp"

namespace faultline::demo {

class LatencyRecorder {
 public:
  static constexpr std::size_t kSubBucketBits = 5;
  static constexpr std::size_t kBuckets = 1024;

  // Negative latencies count as zero; latencies beyond ~19 hours land in the
  // last bucket (max() stays exact).
  void record(Duration latency) noexcept;
  void merge(const LatencyRecorder& other) noexcept;
  void reset() noexcept { *this = LatencyRecorder(); }

  [[nodiscard]] std::uint64_t count() const noexcept { return count_; }
  [[nodiscard]] bool empty() const noexcept { return count_ == 0; }
  // Zero when empty.
  [[nodiscard]] Duration min() const noexcept { return empty() ? Duration::zero() : min_; }
  [[nodiscard]] Duration max() const noexcept { return max_; }
  // The sum of all recorded latencies: time callers spent waiting.
  [[nodiscard]] Duration total() const noexcept { return total_; }
  [[nodiscard]] Duration mean() const noexcept;

  // The latency at or below which `percent` (in [0, 100]) of the samples
  // fall; zero when empty. percentile(100) is max().
  [[nodiscard]] Duration percentile(double percent) const noexcept;

 private:
  static std::size_t bucket_of(std::uint64_t micros) noexcept;
  // The midpoint of a bucket's range, in nanoseconds.
  static Duration bucket_midpoint(std::size_t bucket) noexcept;

  std::array<std::uint64_t, kBuckets> counts_{};
  std::uint64_t count_ = 0;
  Duration min_ = Duration::max();
  Duration max_ = Duration::zero();
  Duration total_ = Duration::zero();
};

}  // namespace faultline::demo
