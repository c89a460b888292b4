// TraceIdRatioSampler: samples a fixed fraction of traces, decided by the
// trace id alone, so every service with the same ratio makes the same
// decision for the same trace without talking to the others.
//
// The last 8 bytes of the trace id, read as a big-endian unsigned number,
// are compared with ratio × 2^64: below samples. Those are the bytes W3C
// Trace Context Level 2 asks to be random, and this tracer draws all 16 at
// random. A higher ratio samples a superset of what a lower one samples.
// It reads no clock and never allocates.
//
//   auto sampler = TraceIdRatioSampler::create(0.25);   // Result: ratio in [0, 1]
//
// Thread-safety: immutable; safe from any thread.
#pragma once

#include <cstdint>
#include <string>

#include "faultline/core/result.hpp"
#include "faultline/tracing/sampler.hpp"

namespace faultline::tracing {

class TraceIdRatioSampler final : public Sampler {
 public:
  // invalid_argument unless 0 <= ratio <= 1 (NaN included).
  static Result<TraceIdRatioSampler> create(double ratio);

  SamplingDecision should_sample(const SamplingParameters& parameters) noexcept override;
  // "TraceIdRatioBased{0.250000}", as the OpenTelemetry SDKs write it.
  std::string description() const override;
  [[nodiscard]] double ratio() const noexcept { return ratio_; }

 private:
  TraceIdRatioSampler(double ratio, std::uint64_t threshold, bool all) noexcept
      : ratio_(ratio), threshold_(threshold), all_(all) {}

  double ratio_;
  // Sampled when the id's low 64 bits are below this.
  std::uint64_t threshold_;
  // ratio 1: the threshold 2^64 does not fit.
  bool all_;
};

}  // namespace faultline::tracing
