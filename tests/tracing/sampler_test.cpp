// Samplers: the constant ones, the trace-id ratio, parent-based and the
// rate limiter, each decision shown on concrete ids, parents and times.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "faultline/core/manual_clock.hpp"
#include "faultline/tracing/parent_based_sampler.hpp"
#include "faultline/tracing/rate_limiting_sampler.hpp"
#include "faultline/tracing/trace_id_ratio_sampler.hpp"
#include "tracing/tracer_fixture.hpp"

namespace faultline::tracing {
namespace {

TraceId trace_id_with_low(std::uint64_t low) {
  TraceId id;
  id.bytes[0] = 0xab;
  for (int i = 15; i >= 8; --i) {
    id.bytes[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(low);
    low >>= 8;
  }
  return id;
}

SamplingDecision decide(Sampler& sampler, TraceId id, const SpanContext* parent = nullptr) {
  return sampler.should_sample(SamplingParameters{parent, id, "op", SpanKind::internal});
}

SpanContext parent_context(bool sampled, bool remote) {
  return SpanContext{trace_id_with_low(1), SpanId{{1, 2, 3, 4, 5, 6, 7, 8}}, TraceFlags::sampled_flags(sampled),
                     nullptr, remote};
}

constexpr auto kSample = SamplingDecision::record_and_sample;
constexpr auto kDrop = SamplingDecision::drop;

TEST(Samplers, AlwaysOnSamplesAndAlwaysOffDrops) {
  AlwaysOnSampler on;
  AlwaysOffSampler off;
  EXPECT_EQ(decide(on, trace_id_with_low(5)), kSample);
  EXPECT_EQ(decide(off, trace_id_with_low(5)), kDrop);
  EXPECT_EQ(on.description(), "AlwaysOnSampler");
  EXPECT_EQ(off.description(), "AlwaysOffSampler");
}

TEST(Samplers, TraceIdRatioComparesTheLowSixtyFourBitsWithTheThreshold) {
  auto quarter = *TraceIdRatioSampler::create(0.25);
  const std::uint64_t threshold = std::uint64_t{1} << 62;  // 0.25 * 2^64
  EXPECT_EQ(decide(quarter, trace_id_with_low(0)), kSample);
  EXPECT_EQ(decide(quarter, trace_id_with_low(threshold - 1)), kSample);
  EXPECT_EQ(decide(quarter, trace_id_with_low(threshold)), kDrop);
  EXPECT_EQ(decide(quarter, trace_id_with_low(~std::uint64_t{0})), kDrop);
  EXPECT_EQ(quarter.description(), "TraceIdRatioBased{0.250000}");
}

TEST(Samplers, TraceIdRatioZeroAndOneAreNeverAndAlways) {
  auto never = *TraceIdRatioSampler::create(0.0);
  auto always = *TraceIdRatioSampler::create(1.0);
  for (const std::uint64_t low : {std::uint64_t{0}, std::uint64_t{1} << 63, ~std::uint64_t{0}}) {
    EXPECT_EQ(decide(never, trace_id_with_low(low)), kDrop);
    EXPECT_EQ(decide(always, trace_id_with_low(low)), kSample);
  }
}

TEST(Samplers, TraceIdRatioRefusesRatiosOutsideZeroToOne) {
  for (const double bad : {-0.1, 1.0001, std::numeric_limits<double>::quiet_NaN(),
                           std::numeric_limits<double>::infinity()}) {
    const auto sampler = TraceIdRatioSampler::create(bad);
    ASSERT_FALSE(sampler.ok()) << bad;
    EXPECT_EQ(sampler.status().code(), StatusCode::invalid_argument);
  }
}

TEST(Samplers, TraceIdRatioSamplesAboutItsShareOfRandomTraces) {
  testing::TracerFixture f;
  auto tenth = *TraceIdRatioSampler::create(0.1);
  f.sampler.current = &tenth;
  int sampled = 0;
  for (int i = 0; i < 20000; ++i) sampled += f.tracer.start_span("x").context().sampled() ? 1 : 0;
  EXPECT_NEAR(sampled, 2000, 200);  // binomial sd ~42: far outside only if the ids are not random
}

TEST(Samplers, ParentBasedAsksTheRootSamplerOnlyForRoots) {
  auto never = *TraceIdRatioSampler::create(0.0);
  ParentBasedSampler sampler(never);
  EXPECT_EQ(decide(sampler, trace_id_with_low(0)), kDrop) << "a root: the root sampler decides";
  const auto sampled_parent = parent_context(true, false);
  EXPECT_EQ(decide(sampler, trace_id_with_low(0), &sampled_parent), kSample) << "follows the parent";
  const SpanContext invalid_parent;
  EXPECT_EQ(decide(sampler, trace_id_with_low(0), &invalid_parent), kDrop) << "an invalid parent is no parent";
}

TEST(Samplers, ParentBasedDefaultsKeepTheParentsFlag) {
  AlwaysOnSampler on;
  ParentBasedSampler sampler(on);
  for (const bool remote : {false, true}) {
    const auto sampled = parent_context(true, remote);
    const auto unsampled = parent_context(false, remote);
    EXPECT_EQ(decide(sampler, sampled.trace_id, &sampled), kSample);
    EXPECT_EQ(decide(sampler, unsampled.trace_id, &unsampled), kDrop);
  }
}

TEST(Samplers, ParentBasedPicksTheDelegateForEachOfTheFourParentCases) {
  struct Named final : Sampler {
    explicit Named(SamplingDecision d) : decision(d) {}
    SamplingDecision should_sample(const SamplingParameters&) noexcept override {
      ++calls;
      return decision;
    }
    std::string description() const override { return "Named"; }
    SamplingDecision decision;
    int calls = 0;
  };
  AlwaysOffSampler root;
  Named remote_sampled(SamplingDecision::record_only), remote_unsampled(kSample), local_sampled(kDrop),
      local_unsampled(SamplingDecision::record_only);
  ParentBasedSampler sampler(root, {.remote_parent_sampled = &remote_sampled,
                                    .remote_parent_not_sampled = &remote_unsampled,
                                    .local_parent_sampled = &local_sampled,
                                    .local_parent_not_sampled = &local_unsampled});
  const auto rs = parent_context(true, true), ru = parent_context(false, true);
  const auto ls = parent_context(true, false), lu = parent_context(false, false);
  EXPECT_EQ(decide(sampler, rs.trace_id, &rs), SamplingDecision::record_only);
  EXPECT_EQ(decide(sampler, ru.trace_id, &ru), kSample);
  EXPECT_EQ(decide(sampler, ls.trace_id, &ls), kDrop);
  EXPECT_EQ(decide(sampler, lu.trace_id, &lu), SamplingDecision::record_only);
  EXPECT_EQ(remote_sampled.calls + remote_unsampled.calls + local_sampled.calls + local_unsampled.calls, 4);
  EXPECT_NE(sampler.description().find("ParentBased{root=AlwaysOffSampler"), std::string::npos);
}

TEST(Samplers, ParentBasedKeepsATraceWholeAcrossATracer) {
  testing::TracerFixture f;
  auto half = *TraceIdRatioSampler::create(0.5);
  ParentBasedSampler sampler(half);
  f.sampler.current = &sampler;
  for (int i = 0; i < 50; ++i) {
    Span root = f.tracer.start_span("root");
    Span child = f.tracer.start_span("child", {.parent = &root.context()});
    Span grandchild = f.tracer.start_span("grandchild", {.parent = &child.context()});
    EXPECT_EQ(child.context().sampled(), root.context().sampled());
    EXPECT_EQ(grandchild.context().sampled(), root.context().sampled());
  }
}

TEST(Samplers, ShortcutsDeclareOnlyTheDecisionsThatHoldForEverySpan) {
  EXPECT_TRUE(AlwaysOffSampler().shortcuts().drops_all);
  EXPECT_FALSE(AlwaysOffSampler().shortcuts().samples_all);
  EXPECT_FALSE(AlwaysOnSampler().shortcuts().drops_unsampled_local_parent);
  EXPECT_TRUE(AlwaysOnSampler().shortcuts().samples_all);
  EXPECT_FALSE((*TraceIdRatioSampler::create(1.0)).shortcuts().samples_all) << "decides per span, so is asked";
  AlwaysOnSampler on;
  const auto defaults = ParentBasedSampler(on).shortcuts();
  EXPECT_FALSE(defaults.drops_all);
  EXPECT_TRUE(defaults.drops_unsampled_local_parent);
  EXPECT_TRUE(defaults.drops_unsampled_remote_parent);
  EXPECT_FALSE(defaults.samples_all) << "unsampled parents are dropped by default";
  EXPECT_TRUE(ParentBasedSampler(on, {.remote_parent_not_sampled = &on, .local_parent_not_sampled = &on})
                  .shortcuts()
                  .samples_all);
  auto half = *TraceIdRatioSampler::create(0.5);
  const auto custom = ParentBasedSampler(on, {.remote_parent_not_sampled = &half}).shortcuts();
  EXPECT_FALSE(custom.drops_unsampled_remote_parent) << "a delegate that decides per span is always asked";
  EXPECT_TRUE(custom.drops_unsampled_local_parent);
  AlwaysOffSampler off;
  EXPECT_TRUE(ParentBasedSampler(off, {.remote_parent_sampled = &off, .local_parent_sampled = &off})
                  .shortcuts()
                  .drops_all);
}

// A sampler that promises to sample every span is never asked, and its
// spans record.
TEST(Samplers, TheTracerDoesNotAskASamplerThatSamplesEverything) {
  testing::TracerFixture f;
  struct Promising final : Sampler {
    Promising() noexcept : Sampler(SamplerShortcuts{.samples_all = true}) {}
    SamplingDecision should_sample(const SamplingParameters&) noexcept override {
      ++calls;
      return SamplingDecision::record_and_sample;
    }
    std::string description() const override { return "Promising"; }
    int calls = 0;
  } promising;
  Tracer tracer(f.clock, f.random, promising, f.processor);
  Span span = tracer.start_span("kept");
  EXPECT_EQ(promising.calls, 0);
  EXPECT_TRUE(span.recording());
  EXPECT_TRUE(span.context().sampled());
}

// The tracer skips the sampler only where the sampler promised a drop: a
// custom delegate for unsampled parents is still asked, and may sample.
TEST(Samplers, TheTracerAsksADelegateThatMadeNoPromise) {
  testing::TracerFixture f;
  AlwaysOnSampler on;
  testing::SwitchableSampler delegate;  // always on, and counts its calls
  ParentBasedSampler sampler(on, {.local_parent_not_sampled = &delegate});
  Tracer tracer(f.clock, f.random, sampler, f.processor);
  const SpanContext unsampled{*parse_trace_id("4bf92f3577b34da6a3ce929d0e0e4736"), *parse_span_id("00f067aa0ba902b7"),
                              TraceFlags{}, nullptr, false};
  Span child = tracer.start_span("child", {.parent = &unsampled});
  EXPECT_EQ(delegate.calls.load(), 1);
  EXPECT_TRUE(child.context().sampled());
  const SpanContext remote_unsampled{unsampled.trace_id, unsampled.span_id, TraceFlags{}, nullptr, true};
  Span dropped = tracer.start_span("dropped", {.parent = &remote_unsampled});
  EXPECT_EQ(delegate.calls.load(), 1) << "the default remote delegate promised the drop";
  EXPECT_FALSE(dropped.recording());
  EXPECT_EQ(dropped.context().trace_id, unsampled.trace_id) << "a dropped child still carries the trace";
}

TEST(Samplers, RateLimitingAllowsTheBurstThenOnePerInterval) {
  ManualClock clock;
  auto sampler = *RateLimitingSampler::create({.spans_per_second = 10, .burst = 3}, clock);
  const auto id = trace_id_with_low(1);
  // A full bucket: three at once, then nothing.
  EXPECT_EQ(decide(*sampler, id), kSample);
  EXPECT_EQ(decide(*sampler, id), kSample);
  EXPECT_EQ(decide(*sampler, id), kSample);
  EXPECT_EQ(decide(*sampler, id), kDrop);
  // One interval (100 ms) later, exactly one more.
  clock.advance(std::chrono::milliseconds(99));
  EXPECT_EQ(decide(*sampler, id), kDrop);
  clock.advance(std::chrono::milliseconds(1));
  EXPECT_EQ(decide(*sampler, id), kSample);
  EXPECT_EQ(decide(*sampler, id), kDrop);
  // A quiet second refills the bucket but never beyond the burst.
  clock.advance(std::chrono::seconds(1));
  int sampled = 0;
  for (int i = 0; i < 10; ++i) sampled += decide(*sampler, id) == kSample ? 1 : 0;
  EXPECT_EQ(sampled, 3);
}

TEST(Samplers, RateLimitingHoldsItsRateOverTime) {
  ManualClock clock;
  auto sampler = *RateLimitingSampler::create({.spans_per_second = 100, .burst = 1}, clock);
  int sampled = 0;
  for (int ms = 0; ms < 10000; ++ms) {  // 10 s, 10 spans offered per ms
    for (int i = 0; i < 10; ++i) sampled += decide(*sampler, trace_id_with_low(1)) == kSample ? 1 : 0;
    clock.advance(std::chrono::milliseconds(1));
  }
  EXPECT_EQ(sampled, 1000);
}

TEST(Samplers, RateLimitingRefusesANonsenseConfig) {
  ManualClock clock;
  EXPECT_EQ(RateLimitingSampler::create({.spans_per_second = 0}, clock).status().code(),
            StatusCode::invalid_argument);
  EXPECT_EQ(RateLimitingSampler::create({.spans_per_second = std::nan("")}, clock).status().code(),
            StatusCode::invalid_argument);
  EXPECT_EQ(RateLimitingSampler::create({.spans_per_second = 5, .burst = 0}, clock).status().code(),
            StatusCode::invalid_argument);
  EXPECT_EQ((*RateLimitingSampler::create({.spans_per_second = 100, .burst = 10}, clock))->description(),
            "RateLimitingSampler{100.000000/s,burst=10}");
}

}  // namespace
}  // namespace faultline::tracing
