#include "faultline/tracing/trace_id_ratio_sampler.hpp"

#include <cmath>
#include <cstdio>

namespace faultline::tracing {

Result<TraceIdRatioSampler> TraceIdRatioSampler::create(double ratio) {
  if (!(ratio >= 0.0 && ratio <= 1.0)) {
    return Status::invalid_argument("trace-id ratio must be in [0, 1], got " + std::to_string(ratio));
  }
  if (ratio == 1.0) return TraceIdRatioSampler(ratio, 0, true);
  // ratio < 1, so ratio * 2^64 < 2^64 and the conversion is defined.
  const auto threshold = static_cast<std::uint64_t>(std::ldexp(ratio, 64));
  return TraceIdRatioSampler(ratio, threshold, false);
}

SamplingDecision TraceIdRatioSampler::should_sample(const SamplingParameters& parameters) noexcept {
  if (all_) return SamplingDecision::record_and_sample;
  std::uint64_t low = 0;
  for (std::size_t i = 8; i < TraceId::kBytes; ++i) low = (low << 8) | parameters.trace_id.bytes[i];
  return low < threshold_ ? SamplingDecision::record_and_sample : SamplingDecision::drop;
}

std::string TraceIdRatioSampler::description() const {
  char text[64];
  std::snprintf(text, sizeof text, "TraceIdRatioBased{%f}", ratio_);
  return text;
}

}  // namespace faultline::tracing
