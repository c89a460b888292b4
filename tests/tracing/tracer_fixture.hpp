// A Tracer over a manual wall clock that counts its reads, a seeded random
// source, a switchable sampler and an in-memory processor: what every
// tracer test starts from.
//
// Thread-safety: the clock and processor are thread-safe; the fixture is
// built and torn down by one thread.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <vector>

#include "faultline/core/random.hpp"
#include "faultline/core/wall_clock.hpp"
#include "faultline/tracing/sampler.hpp"
#include "faultline/tracing/span_processor.hpp"
#include "faultline/tracing/tracer.hpp"

namespace faultline::tracing::testing {

// 2026-12-02T06:00:00Z.
inline const WallTimePoint kStart{std::chrono::seconds(1'796'191'200)};

class CountingWallClock final : public WallClock {
 public:
  [[nodiscard]] WallTimePoint now() const noexcept override {
    reads_.fetch_add(1, std::memory_order_relaxed);
    return manual_.now();
  }
  void sleep_for(Duration duration) const override { manual_.sleep_for(duration); }
  void advance(Duration duration) noexcept { manual_.advance(duration); }
  void step_back(Duration duration) noexcept { manual_.step_back(duration); }
  [[nodiscard]] int reads() const noexcept { return reads_.load(std::memory_order_relaxed); }

 private:
  ManualWallClock manual_{kStart};
  mutable std::atomic<int> reads_{0};
};

// Delegates to whichever sampler the test sets.
class SwitchableSampler final : public Sampler {
 public:
  SamplingDecision should_sample(const SamplingParameters& parameters) noexcept override {
    ++calls;
    return current->should_sample(parameters);
  }
  std::string description() const override { return current->description(); }

  AlwaysOnSampler always_on;
  AlwaysOffSampler always_off;
  // Set before spans start; read from any thread.
  Sampler* current = &always_on;
  std::atomic<int> calls{0};
};

struct TracerFixture {
  CountingWallClock clock;
  SharedRandom random{42};
  SwitchableSampler sampler;
  InMemorySpanProcessor processor;
  Tracer tracer{clock, random, sampler, processor,
                TracerConfig{.scope_name = "test", .resource = Resource::make("svc", "i-1", "host-a")}};

  std::vector<std::unique_ptr<SpanData>> finished() { return processor.take(); }
};

}  // namespace faultline::tracing::testing
