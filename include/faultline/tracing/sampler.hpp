// Sampler: decides, when a span starts, whether it is recorded and
// exported. The decision is made once per span, before any attribute is
// set, so an unsampled span costs next to nothing.
//
// The decision follows OpenTelemetry's three outcomes:
// - drop: not recorded, not sampled (the span is a no-op handle that still
//   carries a context for propagation);
// - record_only: recorded (attributes kept, processors see it) but the
//   sampled flag stays off, so exporters skip it and children downstream
//   are not sampled;
// - record_and_sample: recorded and the sampled flag set.
//
// This header holds the interface and the two constant samplers; the
// trace-id ratio, parent-based and rate-limiting samplers have their own
// headers.
//
//   AlwaysOnSampler sampler;
//   Tracer tracer(options_with(sampler));
//
// Thread-safety: should_sample() is called from every thread that starts
// spans; implementations must be safe for that.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "faultline/tracing/span_context.hpp"
#include "faultline/tracing/span_data.hpp"

namespace faultline::tracing {

enum class SamplingDecision : std::uint8_t { drop, record_only, record_and_sample };

struct SamplingParameters {
  // Null for a root span. May be invalid (a parent that was not usable).
  const SpanContext* parent = nullptr;
  TraceId trace_id;
  std::string_view name;
  SpanKind kind = SpanKind::internal;
};

// The decisions a sampler makes whatever the span, declared once when it
// is built, so the tracer can skip the virtual call (and the sampling
// parameters) on the hot path. A sampler that declares nothing is always
// asked. Each flag must be a promise: should_sample() returns drop (or,
// for samples_all, record_and_sample) in that case, every time.
struct SamplerShortcuts {
  // Every span: a root, or a child of any parent.
  bool drops_all = false;
  // A child of a valid parent whose sampled flag is off.
  bool drops_unsampled_local_parent = false;
  bool drops_unsampled_remote_parent = false;
  // Every span is recorded and sampled.
  bool samples_all = false;
};

class Sampler {
 public:
  virtual ~Sampler() = default;
  [[nodiscard]] virtual SamplingDecision should_sample(const SamplingParameters& parameters) noexcept = 0;
  // For logs and the file header, e.g. "TraceIdRatioBased{0.250000}".
  [[nodiscard]] virtual std::string description() const = 0;

  [[nodiscard]] const SamplerShortcuts& shortcuts() const noexcept { return shortcuts_; }

 protected:
  Sampler() = default;
  explicit Sampler(SamplerShortcuts shortcuts) noexcept : shortcuts_(shortcuts) {}
  Sampler(const Sampler&) = default;
  Sampler& operator=(const Sampler&) = default;

 private:
  SamplerShortcuts shortcuts_;
};

class AlwaysOnSampler final : public Sampler {
 public:
  AlwaysOnSampler() noexcept : Sampler(SamplerShortcuts{.samples_all = true}) {}
  SamplingDecision should_sample(const SamplingParameters&) noexcept override {
    return SamplingDecision::record_and_sample;
  }
  std::string description() const override { return "AlwaysOnSampler"; }
};

class AlwaysOffSampler final : public Sampler {
 public:
  AlwaysOffSampler() noexcept : Sampler(SamplerShortcuts{true, true, true}) {}
  SamplingDecision should_sample(const SamplingParameters&) noexcept override { return SamplingDecision::drop; }
  std::string description() const override { return "AlwaysOffSampler"; }
};

}  // namespace faultline::tracing
