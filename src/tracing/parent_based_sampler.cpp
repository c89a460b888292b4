#include "faultline/tracing/parent_based_sampler.hpp"

namespace faultline::tracing {

namespace {
// Stateless, so one of each serves every ParentBasedSampler.
AlwaysOnSampler always_on;
AlwaysOffSampler always_off;

Sampler& or_default(Sampler* given, Sampler& fallback) { return given != nullptr ? *given : fallback; }

// A parent's case drops whatever the span when its delegate does; every
// case together only when the root's and all four delegates do (and the
// same for sampling every span).
SamplerShortcuts shortcuts_of(Sampler& root, const ParentBasedDelegates& delegates) {
  const auto drops_all = [](Sampler* given, Sampler& fallback) {
    return or_default(given, fallback).shortcuts().drops_all;
  };
  const bool local_unsampled = drops_all(delegates.local_parent_not_sampled, always_off);
  const bool remote_unsampled = drops_all(delegates.remote_parent_not_sampled, always_off);
  const bool all = root.shortcuts().drops_all && local_unsampled && remote_unsampled &&
                   drops_all(delegates.local_parent_sampled, always_on) &&
                   drops_all(delegates.remote_parent_sampled, always_on);
  const auto samples_all = [](Sampler* given, Sampler& fallback) {
    return or_default(given, fallback).shortcuts().samples_all;
  };
  const bool keeps_all = root.shortcuts().samples_all && samples_all(delegates.local_parent_not_sampled, always_off) &&
                         samples_all(delegates.remote_parent_not_sampled, always_off) &&
                         samples_all(delegates.local_parent_sampled, always_on) &&
                         samples_all(delegates.remote_parent_sampled, always_on);
  return SamplerShortcuts{all, local_unsampled, remote_unsampled, keeps_all};
}
}  // namespace

ParentBasedSampler::ParentBasedSampler(Sampler& root, ParentBasedDelegates delegates)
    : Sampler(shortcuts_of(root, delegates)),
      root_(root),
      remote_parent_sampled_(or_default(delegates.remote_parent_sampled, always_on)),
      remote_parent_not_sampled_(or_default(delegates.remote_parent_not_sampled, always_off)),
      local_parent_sampled_(or_default(delegates.local_parent_sampled, always_on)),
      local_parent_not_sampled_(or_default(delegates.local_parent_not_sampled, always_off)) {}

SamplingDecision ParentBasedSampler::should_sample(const SamplingParameters& parameters) noexcept {
  const SpanContext* parent = parameters.parent;
  if (parent == nullptr || !parent->valid()) return root_.should_sample(parameters);
  if (parent->remote) {
    return parent->sampled() ? remote_parent_sampled_.should_sample(parameters)
                             : remote_parent_not_sampled_.should_sample(parameters);
  }
  return parent->sampled() ? local_parent_sampled_.should_sample(parameters)
                           : local_parent_not_sampled_.should_sample(parameters);
}

std::string ParentBasedSampler::description() const {
  return "ParentBased{root=" + root_.description() + ",remoteParentSampled=" +
         remote_parent_sampled_.description() + ",remoteParentNotSampled=" +
         remote_parent_not_sampled_.description() + ",localParentSampled=" + local_parent_sampled_.description() +
         ",localParentNotSampled=" + local_parent_not_sampled_.description() + "}";
}

}  // namespace faultline::tracing
