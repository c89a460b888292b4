// ParentBasedSampler: follows the parent's decision, so a trace is sampled
// everywhere or nowhere; only roots are decided afresh, by `root`.
//
// As the OpenTelemetry specification defines it, the parent's case picks
// the delegate: a remote parent (received in a header) sampled or not, a
// local parent (started in this process) sampled or not. The defaults keep
// the parent's sampled flag (always on when sampled, always off when not).
//
//   TraceIdRatioSampler ratio = *TraceIdRatioSampler::create(0.1);
//   ParentBasedSampler sampler(ratio);   // 10% of new traces, all of their spans
//
// The delegates must outlive the sampler.
//
// Thread-safety: as thread-safe as its delegates (the defaults are
// stateless).
#pragma once

#include <string>

#include "faultline/tracing/sampler.hpp"

namespace faultline::tracing {

struct ParentBasedDelegates {
  // Null members use the defaults above.
  Sampler* remote_parent_sampled = nullptr;
  Sampler* remote_parent_not_sampled = nullptr;
  Sampler* local_parent_sampled = nullptr;
  Sampler* local_parent_not_sampled = nullptr;
};

class ParentBasedSampler final : public Sampler {
 public:
  explicit ParentBasedSampler(Sampler& root, ParentBasedDelegates delegates = {});

  SamplingDecision should_sample(const SamplingParameters& parameters) noexcept override;
  // "ParentBased{root=...,remoteParentSampled=...,...}".
  std::string description() const override;

 private:
  Sampler& root_;
  Sampler& remote_parent_sampled_;
  Sampler& remote_parent_not_sampled_;
  Sampler& local_parent_sampled_;
  Sampler& local_parent_not_sampled_;
};

}  // namespace faultline::tracing
