#include "demo/latency_recorder.hpp"

#include <algorithm>
#include <bit>
#include <cmath>

#include "faultline/core/assert.hpp"

namespace faultline::demo {
namespace {

constexpr std::uint64_t kSubBuckets = std::uint64_t{1} << LatencyRecorder::kSubBucketBits;

}  // namespace

std::size_t LatencyRecorder::bucket_of(std::uint64_t micros) noexcept {
  if (micros < kSubBuckets) return static_cast<std::size_t>(micros);            // exact region
  const auto magnitude = static_cast<std::size_t>(std::bit_width(micros) - 1);  // >= kSubBucketBits
  const std::size_t shift = magnitude - kSubBucketBits;
  const std::size_t sub = static_cast<std::size_t>(micros >> shift) - kSubBuckets;
  return std::min(kSubBuckets + shift * kSubBuckets + sub, kBuckets - 1);
}

Duration LatencyRecorder::bucket_midpoint(std::size_t bucket) noexcept {
  FAULTLINE_ASSERT(bucket < kBuckets, "bucket out of range");
  if (bucket < kSubBuckets) return std::chrono::microseconds(bucket);
  const std::size_t shift = (bucket - kSubBuckets) / kSubBuckets;
  const std::uint64_t sub = (bucket - kSubBuckets) % kSubBuckets;
  const std::uint64_t low = (kSubBuckets + sub) << shift;
  const std::uint64_t width = std::uint64_t{1} << shift;
  // Midpoint in nanoseconds keeps half a microsecond of precision.
  return Duration(static_cast<std::int64_t>(low * 1000 + width * 500));
}

void LatencyRecorder::record(Duration latency) noexcept {
  latency = std::max(latency, Duration::zero());
  const auto micros = static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::microseconds>(latency).count());
  counts_[bucket_of(micros)] += 1;
  count_ += 1;
  min_ = std::min(min_, latency);
  max_ = std::max(max_, latency);
  total_ += latency;
}

void LatencyRecorder::merge(const LatencyRecorder& other) noexcept {
  for (std::size_t i = 0; i < kBuckets; ++i) counts_[i] += other.counts_[i];
  count_ += other.count_;
  min_ = std::min(min_, other.min_);
  max_ = std::max(max_, other.max_);
  total_ += other.total_;
}

Duration LatencyRecorder::mean() const noexcept {
  return empty() ? Duration::zero() : total_ / static_cast<std::int64_t>(count_);
}

Duration LatencyRecorder::percentile(double percent) const noexcept {
  if (empty()) return Duration::zero();
  percent = std::clamp(percent, 0.0, 100.0);
  if (percent >= 100.0) return max_;
  // The smallest sample with at least `percent` of samples at or below it.
  const auto rank = std::max<std::uint64_t>(
      1, static_cast<std::uint64_t>(std::ceil(percent / 100.0 * static_cast<double>(count_))));
  std::uint64_t seen = 0;
  for (std::size_t i = 0; i < kBuckets; ++i) {
    seen += counts_[i];
    if (seen >= rank) return std::clamp(bucket_midpoint(i), min_, max_);
  }
  return max_;
}

}  // namespace faultline::demo
