// Many threads on one breaker (run under ThreadSanitizer): the lock-free
// closed path loses no outcome, the windows' totals stay equal to what they
// hold, the derived success count never goes back, and contention never
// lets more probes out than permitted.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <string>
#include <thread>
#include <vector>

#include "faultline/core/manual_clock.hpp"
#include "faultline/resilience/circuit_breaker.hpp"
#include "faultline/resilience/detail/count_window.hpp"
#include "faultline/resilience/detail/time_window.hpp"

namespace faultline::resilience {
namespace {

using namespace std::chrono_literals;

constexpr int kThreads = 8;
constexpr int kCallsPerThread = 20'000;

template <class Body>
void run_threads(Body body) {
  std::vector<std::thread> threads;
  threads.reserve(kThreads);
  for (int t = 0; t < kThreads; ++t) threads.emplace_back([&body, t] { body(t); });
  for (auto& thread : threads) thread.join();
}

class CircuitBreakerConcurrency : public ::testing::TestWithParam<SlidingWindowType> {};

TEST_P(CircuitBreakerConcurrency, ClosedBreakerCountsEveryCallExactly) {
  ManualClock clock;
  CircuitBreakerConfig config;
  config.name = "hammered";
  config.window_type = GetParam();
  config.window_size = GetParam() == SlidingWindowType::count_based ? 1000 : 10;
  config.minimum_calls = 100;
  // Every thread fails one call in three, so no window is ever all failures.
  config.failure_rate_threshold_percent = 100;
  CircuitBreaker breaker(config, clock);

  run_threads([&](int) {
    for (int i = 0; i < kCallsPerThread; ++i) {
      (void)breaker.execute([i] { return i % 3 == 0 ? Status::unavailable("down") : Status(); });
    }
  });
  CircuitBreakerMetrics metrics = breaker.metrics();
  EXPECT_EQ(metrics.state, CircuitState::closed);
  EXPECT_EQ(metrics.successful_calls_total + metrics.failed_calls_total,
            std::uint64_t{kThreads} * kCallsPerThread);
  EXPECT_EQ(metrics.failed_calls_total, std::uint64_t{kThreads} * ((kCallsPerThread + 2) / 3));
  EXPECT_EQ(metrics.ignored_calls_total, 0u);
  if (GetParam() == SlidingWindowType::count_based) {
    EXPECT_EQ(metrics.buffered_calls, 1000u);
  } else {
    EXPECT_EQ(metrics.buffered_calls, std::uint64_t{kThreads} * kCallsPerThread);  // one second
  }

  // Recount through the public API: overwrite the whole window with a known
  // pattern. Any drift in the running totals would show here.
  if (GetParam() == SlidingWindowType::time_based) clock.advance(1min);
  for (int i = 0; i < 1000; ++i) {
    (void)breaker.execute([i] { return i % 4 == 0 ? Status::unavailable("down") : Status(); });
  }
  metrics = breaker.metrics();
  EXPECT_EQ(metrics.buffered_calls, 1000u);
  EXPECT_EQ(metrics.buffered_failed_calls, 250u);
  EXPECT_DOUBLE_EQ(metrics.failure_rate_percent, 25.0);
}

// successful_calls_total is derived (window records minus failures), so a
// reader racing with failures in flight may see it lag, but never go back
// and never exceed the truth; once the calls are done it is exact.
TEST_P(CircuitBreakerConcurrency, SuccessfulTotalNeverGoesBackAndEndsExact) {
  ManualClock clock;
  CircuitBreakerConfig config;
  config.name = "watched";
  config.window_type = GetParam();
  config.window_size = 10;
  config.minimum_calls = 100;
  config.failure_rate_threshold_percent = 100;  // one call in three fails: never trips
  CircuitBreaker breaker(config, clock);

  const std::uint64_t successes_in_the_end =
      std::uint64_t{kThreads} * (kCallsPerThread - (kCallsPerThread + 2) / 3);
  std::atomic<bool> callers_done{false};
  std::atomic<int> went_back{0};
  std::atomic<int> overcounted{0};
  std::thread reader([&] {
    std::uint64_t last = 0;
    while (!callers_done.load()) {
      const std::uint64_t successes = breaker.metrics().successful_calls_total;
      if (successes < last) went_back.fetch_add(1);
      if (successes > successes_in_the_end) overcounted.fetch_add(1);
      last = successes;
    }
  });
  run_threads([&](int t) {
    for (int i = 0; i < kCallsPerThread; ++i) {
      // The time-based window moves on now and then, under the callers.
      if (t == 0 && i % 1000 == 0) clock.advance(700ms);
      (void)breaker.execute([i] { return i % 3 == 0 ? Status::unavailable("down") : Status(); });
    }
  });
  callers_done.store(true);
  reader.join();
  EXPECT_EQ(went_back.load(), 0);
  EXPECT_EQ(overcounted.load(), 0);
  const CircuitBreakerMetrics metrics = breaker.metrics();
  EXPECT_EQ(metrics.state, CircuitState::closed);
  EXPECT_EQ(metrics.failed_calls_total, std::uint64_t{kThreads} * ((kCallsPerThread + 2) / 3));
  EXPECT_EQ(metrics.successful_calls_total, successes_in_the_end);
}

INSTANTIATE_TEST_SUITE_P(BothWindows, CircuitBreakerConcurrency,
                         ::testing::Values(SlidingWindowType::count_based,
                                           SlidingWindowType::time_based),
                         [](const ::testing::TestParamInfo<SlidingWindowType>& info) {
                           return info.param == SlidingWindowType::count_based ? "CountBased"
                                                                               : "TimeBased";
                         });

TEST(CircuitBreakerConcurrencyWindow, TotalsEqualARecountEvenAcrossClears) {
  detail::CountWindow window(257);
  std::atomic<bool> writers_done{false};
  std::thread clearer([&] {
    while (!writers_done.load()) {
      window.clear();
      std::this_thread::yield();
    }
  });
  run_threads([&](int t) {
    for (int i = 0; i < kCallsPerThread; ++i) {
      window.record(detail::make_outcome((i + t) % 3 == 0, (i * 7 + t) % 5 == 0));
    }
  });
  writers_done.store(true);
  clearer.join();
  EXPECT_EQ(window.snapshot(), window.recount());
  for (int i = 0; i < 257; ++i) window.record(detail::make_outcome(i < 100, false));
  EXPECT_EQ(window.snapshot(), (detail::WindowSnapshot{257, 100, 0}));
  EXPECT_EQ(window.recount(), (detail::WindowSnapshot{257, 100, 0}));
}

// Writers record while the clock moves the time window on under them, some
// with readings two seconds late (threads that stalled after reading the
// clock). Whatever the interleaving, the running totals end equal to the
// sum of the buckets in the window, and no record is lost.
TEST(CircuitBreakerConcurrencyWindow, TimeWindowTotalsEqualItsBucketsAcrossSeconds) {
  ManualClock clock;
  detail::TimeWindow window(5);
  std::atomic<bool> writers_done{false};
  std::thread ticker([&] {
    while (!writers_done.load()) {
      clock.advance(250ms);
      std::this_thread::yield();
    }
  });
  run_threads([&](int t) {
    for (int i = 0; i < kCallsPerThread; ++i) {
      const TimePoint reading = (i + t) % 7 == 0 ? clock.now() - 2s : clock.now();
      window.record(reading, detail::make_outcome((i + t) % 3 == 0, (i * 7 + t) % 5 == 0));
    }
  });
  writers_done.store(true);
  ticker.join();
  EXPECT_EQ(window.records_total(), std::uint64_t{kThreads} * kCallsPerThread);
  // A reading before any recorded second: the window ending at the newest.
  EXPECT_EQ(window.totals(), window.snapshot(TimePoint{}));
  // And it keeps counting exactly from there.
  window.clear();
  for (int i = 0; i < 100; ++i) window.record(clock.now(), detail::make_outcome(i < 40, i < 10));
  EXPECT_EQ(window.totals(), (detail::WindowSnapshot{100, 40, 10}));
  EXPECT_EQ(window.snapshot(clock.now()), (detail::WindowSnapshot{100, 40, 10}));
}

TEST(CircuitBreakerConcurrencyProbes, ContentionNeverLetsOutMoreProbesThanPermitted) {
  ManualClock clock;
  CircuitBreakerConfig config;
  config.name = "flapping";
  config.window_size = 10;
  config.minimum_calls = 5;
  config.failure_rate_threshold_percent = 50;
  config.wait_in_open = OpenWait::fixed(0s);  // probes are due at once: maximum churn
  config.permitted_calls_in_half_open = 3;
  CircuitBreaker breaker(config, clock);
  std::atomic<std::uint64_t> transitions_seen{0};
  breaker.events().subscribe([&](const CircuitBreakerEvent& event) {
    if (event.kind == CircuitBreakerEvent::Kind::state_transition) transitions_seen.fetch_add(1);
  });

  std::atomic<int> probes_in_flight{0};
  std::atomic<int> probes_in_flight_max{0};
  std::atomic<std::uint64_t> probes_admitted{0};
  std::atomic<std::uint64_t> recorded{0};
  std::atomic<std::uint64_t> rejected{0};
  constexpr int kIterations = 4000;
  run_threads([&](int t) {
    for (int i = 0; i < kIterations; ++i) {
      CallContext context(clock);
      CircuitBreaker::Permit permit = breaker.try_acquire(context);
      if (!permit.admitted()) {
        rejected.fetch_add(1);
        continue;
      }
      const bool probe = permit.state() == CircuitState::half_open;
      if (probe) {
        probes_admitted.fetch_add(1);
        const int now_in_flight = probes_in_flight.fetch_add(1) + 1;
        int seen = probes_in_flight_max.load();
        while (now_in_flight > seen && !probes_in_flight_max.compare_exchange_weak(seen, now_in_flight)) {
        }
        std::this_thread::yield();
        // Leave before reporting: once reported, the slot may go to a new probe.
        probes_in_flight.fetch_sub(1);
      }
      if ((i + t) % 11 == 0) continue;  // dropped unrecorded
      recorded.fetch_add(1);
      permit.record((i * 13 + t) % 5 < 2 ? Status() : Status::unavailable("down"));
    }
  });
  RecordProperty("probes_admitted", std::to_string(probes_admitted.load()));
  RecordProperty("probes_in_flight_max", probes_in_flight_max.load());
  EXPECT_LE(probes_in_flight_max.load(), 3);
  EXPECT_GT(probes_admitted.load(), 0u);  // the scenario did reach half-open
  const CircuitBreakerMetrics metrics = breaker.metrics();
  EXPECT_EQ(metrics.successful_calls_total + metrics.failed_calls_total + metrics.ignored_calls_total,
            recorded.load());
  EXPECT_EQ(metrics.rejected_calls_total, rejected.load());
  EXPECT_EQ(metrics.state_transitions_total, transitions_seen.load());
  EXPECT_GT(metrics.state_transitions_total, 0u);
}

}  // namespace
}  // namespace faultline::resilience
