// Health benchmarks: what picking an endpoint and asking a failure
// detector cost the caller, read against an uncontended atomic increment
// measured in the same binary (BM_Baseline_AtomicIncrement). The issue's
// targets:
//   - picking from a healthy set of 100 with power of two choices:
//     <= 10x the baseline;
//   - phi, given the current time: <= 20x the baseline.
// The other pickers, a pick with its OutstandingRequest, a heartbeat and
// an outlier-detector record() are measured for context.
// docs/BENCHMARKS.md holds the figures and the command.

#include <benchmark/benchmark.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>

#include "faultline/core/manual_clock.hpp"
#include "faultline/core/manual_scheduler.hpp"
#include "faultline/core/random.hpp"
#include "faultline/health/endpoint_set.hpp"
#include "faultline/health/outlier_detector.hpp"
#include "faultline/health/phi_accrual_detector.hpp"
#include "faultline/health/pickers.hpp"

namespace {

using namespace faultline;
using namespace faultline::health;

std::atomic<std::uint64_t> baseline_counter{0};

void BM_Baseline_AtomicIncrement(benchmark::State& state) {
  for (auto _ : state) baseline_counter.fetch_add(1, std::memory_order_relaxed);
}
BENCHMARK(BM_Baseline_AtomicIncrement);

void fill(EndpointSet& set, int n) {
  for (int i = 0; i < n; ++i) {
    std::string name = "endpoint-";
    name += std::to_string(i);
    (void)set.add(name);
  }
}

template <class MakePicker>
void pick_from_100(benchmark::State& state, MakePicker make) {
  EndpointSet set;
  fill(set, 100);
  SnapshotReader reader(set);
  Random random(42);
  auto picker = make(random);
  for (auto _ : state) benchmark::DoNotOptimize(picker.pick(reader.current()));
}

void BM_Pick_PowerOfTwoChoices_Healthy100(benchmark::State& state) {
  pick_from_100(state, [](Random& r) { return PowerOfTwoChoicesPicker(r); });
}
BENCHMARK(BM_Pick_PowerOfTwoChoices_Healthy100);

void BM_Pick_RoundRobin_Healthy100(benchmark::State& state) {
  pick_from_100(state, [](Random&) { return RoundRobinPicker(); });
}
BENCHMARK(BM_Pick_RoundRobin_Healthy100);

void BM_Pick_Random_Healthy100(benchmark::State& state) {
  pick_from_100(state, [](Random& r) { return RandomPicker(r); });
}
BENCHMARK(BM_Pick_Random_Healthy100);

// O(n): scans all 100 counters.
void BM_Pick_LeastOutstanding_Healthy100(benchmark::State& state) {
  pick_from_100(state, [](Random&) { return LeastOutstandingPicker(); });
}
BENCHMARK(BM_Pick_LeastOutstanding_Healthy100);

// The whole client-side cost of a call's routing: pick, count the request
// in flight, give it back.
void BM_PickAndTrack_PowerOfTwoChoices_Healthy100(benchmark::State& state) {
  EndpointSet set;
  fill(set, 100);
  SnapshotReader reader(set);
  Random random(42);
  PowerOfTwoChoicesPicker picker(random);
  for (auto _ : state) {
    OutstandingRequest request(*picker.pick(reader.current()));
    benchmark::DoNotOptimize(request);
  }
}
BENCHMARK(BM_PickAndTrack_PowerOfTwoChoices_Healthy100);

// A full window (1000 samples) of slightly irregular heartbeats.
PhiAccrualDetector warmed_detector(TimePoint& last) {
  PhiAccrualDetector detector;
  ManualClock clock;
  Random random(7);
  for (int i = 0; i < 1100; ++i) {
    detector.heartbeat(clock.now());
    clock.advance(std::chrono::milliseconds(900) + random.uniform_duration(Duration::zero(), std::chrono::milliseconds(200)));
  }
  last = *detector.last_heartbeat();
  return detector;
}

void BM_Phi_GivenNow(benchmark::State& state) {
  TimePoint last;
  PhiAccrualDetector detector = warmed_detector(last);
  TimePoint now = last;
  for (auto _ : state) {
    now += Duration(1000);  // a new time each call: nothing to fold away
    benchmark::DoNotOptimize(detector.phi(now));
  }
}
BENCHMARK(BM_Phi_GivenNow);

void BM_Phi_Heartbeat(benchmark::State& state) {
  TimePoint last;
  PhiAccrualDetector detector = warmed_detector(last);
  TimePoint now = last;
  for (auto _ : state) {
    now += std::chrono::seconds(1);
    detector.heartbeat(now);
  }
}
BENCHMARK(BM_Phi_Heartbeat);

void BM_Outlier_RecordSuccess(benchmark::State& state) {
  ManualScheduler scheduler;
  OutlierDetector detector(OutlierDetectionConfig{}, scheduler);
  for (int i = 0; i < 100; ++i) (void)detector.add_endpoint("endpoint-" + std::to_string(i));
  const std::string name = "endpoint-42";
  for (auto _ : state) benchmark::DoNotOptimize(detector.record(name, CallResult::success()));
}
BENCHMARK(BM_Outlier_RecordSuccess);

}  // namespace

BENCHMARK_MAIN();
