// The limit algorithms driven by synthetic traces: each test feeds samples
// whose RTTs are measured on a ManualClock, as a limiter would measure them,
// and checks the limit moves the way the algorithm says it should.
#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <string>

#include "faultline/core/manual_clock.hpp"
#include "faultline/resilience/aimd_limit.hpp"
#include "faultline/resilience/config_error.hpp"
#include "faultline/resilience/gradient_limit.hpp"
#include "faultline/resilience/vegas_limit.hpp"

namespace faultline::resilience {
namespace {

using namespace std::chrono_literals;

// Times one call on the manual clock: it starts now and lasts `rtt`.
LimitSample timed_call(ManualClock& clock, Duration rtt, std::uint32_t in_flight,
                       bool dropped = false) {
  const TimePoint start = clock.now();
  clock.advance(rtt);
  return LimitSample{.rtt = clock.now() - start, .in_flight = in_flight, .dropped = dropped};
}

// A server with `capacity` workers and a queue, each call taking `base`
// alone: with `limit` calls in flight, a call waits for limit/capacity
// service times. The caller always has more work than the limit allows.
Duration queueing_rtt(Duration base, std::uint32_t limit, std::uint32_t capacity) {
  const double load = std::max(1.0, static_cast<double>(limit) / capacity);
  return Duration(static_cast<std::int64_t>(static_cast<double>(base.count()) * load));
}

struct Range {
  std::uint32_t low = UINT32_MAX;
  std::uint32_t high = 0;
  void add(std::uint32_t v) {
    low = std::min(low, v);
    high = std::max(high, v);
  }
};

// Runs `warmup` then `measured` samples of the saturated server; returns
// the range of limits seen after warmup.
Range run_saturated(LimitAlgorithm& algorithm, std::uint32_t capacity, Duration base,
                    Duration timeout = Duration::max(), int warmup = 5000, int measured = 5000) {
  ManualClock clock;
  Range range;
  for (int i = 0; i < warmup + measured; ++i) {
    const std::uint32_t limit = algorithm.limit();
    const Duration rtt = queueing_rtt(base, limit, capacity);
    algorithm.update(timed_call(clock, rtt, limit, rtt > timeout));
    if (i >= warmup) range.add(algorithm.limit());
  }
  return range;
}

std::string config_error_message(const std::function<void()>& construct) {
  try {
    construct();
  } catch (const ConfigError& error) {
    return error.what();
  }
  return "(no ConfigError)";
}

// ---- AIMD ------------------------------------------------------------------

TEST(AimdLimit, GrowsByAboutOnePerLimitsWorthOfSuccesses) {
  ManualClock clock;
  AimdLimit aimd(AimdLimitConfig{.initial_limit = 10, .max_limit = 100});
  for (int i = 0; i < 10; ++i) aimd.update(timed_call(clock, 5ms, 10));
  EXPECT_EQ(aimd.limit(), 11u);  // ten successes at full use: one round trip, +1
  for (int i = 0; i < 200; ++i) aimd.update(timed_call(clock, 5ms, aimd.limit()));
  EXPECT_GT(aimd.limit(), 20u);
}

TEST(AimdLimit, ARoundTripOfDropsCutsTheLimitOnceNotOncePerDroppedCall) {
  ManualClock clock;
  AimdLimit aimd(AimdLimitConfig{.initial_limit = 20, .backoff_ratio = 0.5});
  // One overload: every call of the round trip times out.
  for (int i = 0; i < 19; ++i) aimd.update(timed_call(clock, 5ms, 20, /*dropped=*/true));
  EXPECT_EQ(aimd.limit(), 20u);
  aimd.update(timed_call(clock, 5ms, 20, true));
  EXPECT_EQ(aimd.limit(), 10u);
  // A round trip of the new limit with one drop in it: a new cut.
  for (int i = 0; i < 9; ++i) aimd.update(timed_call(clock, 5ms, 10));
  aimd.update(timed_call(clock, 5ms, 10, true));
  EXPECT_EQ(aimd.limit(), 5u);
}

TEST(AimdLimit, ACallSlowerThanTheTimeoutCountsAsADrop) {
  ManualClock clock;
  AimdLimit aimd(AimdLimitConfig{.initial_limit = 10, .backoff_ratio = 0.9, .timeout = 50ms});
  for (int i = 0; i < 9; ++i) aimd.update(timed_call(clock, 20ms, 10));
  aimd.update(timed_call(clock, 51ms, 10));
  EXPECT_EQ(aimd.limit(), 9u);
}

TEST(AimdLimit, DoesNotGrowWhileMostOfTheLimitIsUnused) {
  ManualClock clock;
  AimdLimit aimd(AimdLimitConfig{.initial_limit = 40});
  for (int i = 0; i < 1000; ++i) aimd.update(timed_call(clock, 5ms, 3));
  EXPECT_EQ(aimd.limit(), 40u);
}

TEST(AimdLimit, StaysWithinFloorAndCeiling) {
  ManualClock clock;
  AimdLimit aimd(AimdLimitConfig{.initial_limit = 5, .min_limit = 3, .max_limit = 8});
  for (int i = 0; i < 1000; ++i) aimd.update(timed_call(clock, 5ms, aimd.limit(), true));
  EXPECT_EQ(aimd.limit(), 3u);
  for (int i = 0; i < 1000; ++i) aimd.update(timed_call(clock, 5ms, aimd.limit()));
  EXPECT_EQ(aimd.limit(), 8u);
}

TEST(AimdLimit, SawtoothsCloseToCapacityOnASteadyServer) {
  // 20 workers, 10ms a call; calls queued past 1.5 service times time out.
  AimdLimit aimd(AimdLimitConfig{.initial_limit = 5, .backoff_ratio = 0.9, .timeout = 15ms});
  const Range range = run_saturated(aimd, 20, 10ms, 15ms);
  // Calls start timing out past 30 in flight (30 / 20 x 10ms = 15ms): it
  // climbs one past that, is cut by 10%, and climbs again.
  EXPECT_GE(range.low, 20u * 9 / 10);
  EXPECT_LE(range.high, 31u);
}

TEST(AimdLimit, RejectsInvalidParametersByName) {
  EXPECT_EQ(config_error_message([] { AimdLimit(AimdLimitConfig{.backoff_ratio = 1.0}); }),
            "invalid_argument: aimd_limit.backoff_ratio must be in [0.5, 1), got 1.000000");
  EXPECT_NE(config_error_message([] { AimdLimit(AimdLimitConfig{.min_limit = 0}); })
                .find("aimd_limit.min_limit must be >= 1"),
            std::string::npos);
  EXPECT_NE(config_error_message([] {
              AimdLimit(AimdLimitConfig{.initial_limit = 50, .max_limit = 10});
            }).find("aimd_limit.initial_limit must be in [min_limit, max_limit]"),
            std::string::npos);
  EXPECT_NE(config_error_message([] { AimdLimit(AimdLimitConfig{.timeout = 0ms}); })
                .find("aimd_limit.timeout must be > 0"),
            std::string::npos);
}

// ---- Vegas -----------------------------------------------------------------

TEST(VegasLimit, GrowsWhileThereIsNoQueue) {
  ManualClock clock;
  VegasLimit vegas(VegasLimitConfig{.initial_limit = 10, .max_limit = 200});
  for (int i = 0; i < 10; ++i) vegas.update(timed_call(clock, 10ms, vegas.limit()));
  EXPECT_EQ(vegas.limit(), 16u);  // no queue at all: + beta
  for (int i = 0; i < 200; ++i) vegas.update(timed_call(clock, 10ms, vegas.limit()));
  EXPECT_GT(vegas.limit(), 50u);
  EXPECT_EQ(vegas.baseline(), 10ms);
}

TEST(VegasLimit, ShrinksWhenRttShowsAQueueBeyondBeta) {
  ManualClock clock;
  VegasLimit vegas(VegasLimitConfig{.initial_limit = 40});
  vegas.update(timed_call(clock, 10ms, 40));  // the baseline: no queue
  const std::uint32_t before = vegas.limit();
  // Twice the baseline with ~40 in flight: about 20 calls are queued.
  for (int i = 0; i < 200; ++i) vegas.update(timed_call(clock, 20ms, vegas.limit()));
  EXPECT_LT(vegas.limit(), before - 5);
}

TEST(VegasLimit, HoldsBetweenAlphaAndBeta) {
  ManualClock clock;
  VegasLimit vegas(VegasLimitConfig{.initial_limit = 20, .alpha = 3, .beta = 6});
  vegas.update(timed_call(clock, 10ms, 20));
  const std::uint32_t before = vegas.limit();
  // limit x (1 - 10/12.5) = 0.2 x limit: four or five of ~22 queued.
  for (int i = 0; i < 50; ++i) vegas.update(timed_call(clock, 12'500us, vegas.limit()));
  EXPECT_NEAR(vegas.limit(), before, 1.0);
}

TEST(VegasLimit, ShrinksOnDrops) {
  ManualClock clock;
  VegasLimit vegas(VegasLimitConfig{.initial_limit = 100});
  for (int i = 0; i < 100; ++i) vegas.update(timed_call(clock, 10ms, 100, i == 50));
  EXPECT_EQ(vegas.limit(), 98u);  // log10(100) = 2 for a window with a drop
}

TEST(VegasLimit, AServiceThatBecomesSlowerForGoodGetsANewBaseline) {
  ManualClock clock;
  // A floor above beta: see the last test for one below it.
  VegasLimit vegas(VegasLimitConfig{.initial_limit = 20, .min_limit = 8, .baseline_window_samples = 100});
  vegas.update(timed_call(clock, 1ms, 20));
  // Every call now takes 10ms even alone: against the old baseline each
  // looks queued, and the limit falls to its floor...
  std::uint32_t lowest = vegas.limit();
  for (int i = 0; i < 3000; ++i) {
    vegas.update(timed_call(clock, 10ms, vegas.limit()));
    lowest = std::min(lowest, vegas.limit());
  }
  EXPECT_EQ(lowest, 8u);
  // ...where the calls are measured again, and it grows back.
  EXPECT_EQ(vegas.baseline(), 10ms);
  EXPECT_GT(vegas.limit(), 20u);
}

TEST(VegasLimit, KnownWeaknessAFloorBelowBetaHoldsAStaleBaseline) {
  ManualClock clock;
  VegasLimit vegas(VegasLimitConfig{.initial_limit = 20, .min_limit = 1, .baseline_window_samples = 100});
  vegas.update(timed_call(clock, 1ms, 20));
  for (int i = 0; i < 3000; ++i) vegas.update(timed_call(clock, 10ms, vegas.limit()));
  // At 6 the stale baseline shows 6 x 0.9 = 5.4 queued calls, within
  // [alpha, beta]: the limit holds there and never reaches the floor that
  // would re-measure. Documented in docs/resilience.md; a periodic probe
  // at low concurrency (as Envoy's filter does) would fix it.
  EXPECT_EQ(vegas.limit(), 6u);
  EXPECT_EQ(vegas.baseline(), 1ms);
}

TEST(VegasLimit, StaysWithinFloorAndCeiling) {
  ManualClock clock;
  VegasLimit vegas(VegasLimitConfig{.initial_limit = 5, .min_limit = 3, .max_limit = 8});
  for (int i = 0; i < 1000; ++i) vegas.update(timed_call(clock, 10ms, vegas.limit(), true));
  EXPECT_EQ(vegas.limit(), 3u);
  for (int i = 0; i < 1000; ++i) vegas.update(timed_call(clock, 10ms, vegas.limit()));
  EXPECT_EQ(vegas.limit(), 8u);
}

TEST(VegasLimit, SettlesNearCapacityOnASteadyServer) {
  VegasLimit vegas(VegasLimitConfig{.initial_limit = 5});
  const Range range = run_saturated(vegas, 20, 10ms);
  // Capacity plus a queue of alpha..beta calls, give or take one step.
  EXPECT_GE(range.low, 20u + 1);
  EXPECT_LE(range.high, 20u + 8);
}

TEST(VegasLimit, RejectsInvalidParametersByName) {
  EXPECT_NE(config_error_message([] { VegasLimit(VegasLimitConfig{.alpha = 6, .beta = 3}); })
                .find("vegas_limit.alpha must be in [0, beta)"),
            std::string::npos);
  EXPECT_NE(config_error_message([] { VegasLimit(VegasLimitConfig{.smoothing = 0}); })
                .find("vegas_limit.smoothing must be in (0, 1]"),
            std::string::npos);
  EXPECT_NE(config_error_message([] { VegasLimit(VegasLimitConfig{.baseline_window_samples = 0}); })
                .find("vegas_limit.baseline_window_samples must be >= 1"),
            std::string::npos);
}

// ---- Gradient --------------------------------------------------------------

TEST(GradientLimit, GrowsByTheQueueAllowanceWhileRttIsSteady) {
  ManualClock clock;
  GradientLimit gradient(GradientLimitConfig{.initial_limit = 10, .queue_allowance = 4,
                                             .smoothing = 0.5});
  for (int i = 0; i < 10; ++i) gradient.update(timed_call(clock, 10ms, 10));
  EXPECT_EQ(gradient.limit(), 12u);  // 10 + 0.5 x 4
  for (int i = 0; i < 500; ++i) gradient.update(timed_call(clock, 10ms, gradient.limit()));
  EXPECT_GT(gradient.limit(), 40u);
}

TEST(GradientLimit, ShrinksWhenShortTermRttRisesPastTheTolerance) {
  ManualClock clock;
  GradientLimit gradient(GradientLimitConfig{.initial_limit = 50, .tolerance = 1.5});
  for (int i = 0; i < 50; ++i) gradient.update(timed_call(clock, 10ms, 50));
  const std::uint32_t before = gradient.limit();
  for (int i = 0; i < 400; ++i) gradient.update(timed_call(clock, 40ms, gradient.limit()));
  EXPECT_LT(gradient.limit(), before / 2);
  EXPECT_NEAR(gradient.long_rtt_ns(), 10e6, 1.0);
}

TEST(GradientLimit, ShrinksByAtMostHalfPerStep) {
  ManualClock clock;
  GradientLimit gradient(GradientLimitConfig{.initial_limit = 100, .queue_allowance = 0,
                                             .smoothing = 1.0});
  for (int i = 0; i < 100; ++i) gradient.update(timed_call(clock, 10ms, 100));
  for (int i = 0; i < 100; ++i) gradient.update(timed_call(clock, 1s, 100));  // a hundredfold RTT
  EXPECT_EQ(gradient.limit(), 50u);
}

TEST(GradientLimit, StaysWithinFloorAndCeiling) {
  ManualClock clock;
  GradientLimit gradient(GradientLimitConfig{.initial_limit = 5, .min_limit = 3, .max_limit = 8});
  for (int i = 0; i < 1000; ++i) gradient.update(timed_call(clock, 10ms, gradient.limit(), true));
  EXPECT_EQ(gradient.limit(), 3u);
  for (int i = 0; i < 1000; ++i) gradient.update(timed_call(clock, 10ms, gradient.limit()));
  EXPECT_EQ(gradient.limit(), 8u);
}

TEST(GradientLimit, DoesNotGrowWhileMostOfTheLimitIsUnused) {
  ManualClock clock;
  GradientLimit gradient(GradientLimitConfig{.initial_limit = 40});
  for (int i = 0; i < 1000; ++i) gradient.update(timed_call(clock, 5ms, 3));
  EXPECT_EQ(gradient.limit(), 40u);
}

TEST(GradientLimit, SettlesNearCapacityOnASteadyServer) {
  GradientLimit gradient(GradientLimitConfig{.initial_limit = 5});
  const Range range = run_saturated(gradient, 20, 10ms);
  EXPECT_GE(range.low, 20u);
  EXPECT_LE(range.high, 20u * 2);
  EXPECT_LE(range.high - range.low, 8u);
}

TEST(GradientLimit, RejectsInvalidParametersByName) {
  EXPECT_NE(config_error_message([] { GradientLimit(GradientLimitConfig{.tolerance = 0.9}); })
                .find("gradient_limit.tolerance must be in [1, 10]"),
            std::string::npos);
  EXPECT_NE(config_error_message([] {
              GradientLimit(GradientLimitConfig{.baseline_window_samples = 0});
            }).find("gradient_limit.baseline_window_samples must be >= 1"),
            std::string::npos);
  EXPECT_NE(config_error_message([] { GradientLimit(GradientLimitConfig{.queue_allowance = -1}); })
                .find("gradient_limit.queue_allowance must be in [0, 1e6]"),
            std::string::npos);
}

}  // namespace
}  // namespace faultline::resilience
