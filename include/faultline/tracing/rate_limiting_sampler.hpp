// RateLimitingSampler: samples at most `spans_per_second` on average, with
// up to `burst` at once after a quiet period, whatever the load; what is
// over the rate is dropped. Use it as ParentBasedSampler's root so a burst
// of traffic cannot flood the collector.
//
// A token bucket in GCRA form on the injected monotonic Clock: one atomic
// "theoretical arrival time" updated by compare-and-swap. It reads the
// clock once per decision (the one sampler here that must), never locks
// and never allocates, not even to drop. (resilience::RateLimiter is the
// same algorithm but builds a Status for each rejection, which a sampler
// dropping thousands of spans a second should not pay.)
//
//   auto sampler = RateLimitingSampler::create({.spans_per_second = 100, .burst = 10}, clock);
//
// Thread-safety: safe from any thread; the clock must outlive it.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

#include "faultline/core/clock.hpp"
#include "faultline/core/result.hpp"
#include "faultline/tracing/sampler.hpp"

namespace faultline::tracing {

struct RateLimitingSamplerConfig {
  double spans_per_second = 100;  // in (0, 1e9]
  std::uint32_t burst = 1;        // >= 1
};

class RateLimitingSampler final : public Sampler {
 public:
  // invalid_argument on a rate outside (0, 1e9] or a zero burst. Starts
  // with a full bucket. A unique_ptr because the atomic cannot move.
  static Result<std::unique_ptr<RateLimitingSampler>> create(RateLimitingSamplerConfig config, const Clock& clock);

  SamplingDecision should_sample(const SamplingParameters& parameters) noexcept override;
  // "RateLimitingSampler{100.000000/s,burst=10}".
  std::string description() const override;

 private:
  RateLimitingSampler(RateLimitingSamplerConfig config, const Clock& clock) noexcept;

  RateLimitingSamplerConfig config_;
  const Clock& clock_;
  std::int64_t interval_ns_;
  // How far ahead of now the bucket may be booked: (burst - 1) intervals.
  std::int64_t tolerance_ns_;
  // When the bucket is next empty-and-refilled; in Clock nanoseconds.
  std::atomic<std::int64_t> theoretical_arrival_ns_;
};

}  // namespace faultline::tracing
