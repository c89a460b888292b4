// The circuit breaker's state machine, told as scenarios on a manual clock:
// a backend fails, the breaker trips, refuses, probes, heals.
#include "faultline/resilience/circuit_breaker.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <vector>

#include "faultline/core/manual_clock.hpp"

namespace faultline::resilience {
namespace {

using namespace std::chrono_literals;

const Status kOk;
Status down() { return Status::unavailable("backend down"); }

// A breaker that needs 5 calls in a 10-call window, trips at 50% failures,
// waits 10 s and then lets 2 probes through.
CircuitBreakerConfig small_config() {
  CircuitBreakerConfig config;
  config.name = "backend";
  config.window_size = 10;
  config.minimum_calls = 5;
  config.failure_rate_threshold_percent = 50;
  config.wait_in_open = OpenWait::fixed(10s);
  config.permitted_calls_in_half_open = 2;
  return config;
}

// Runs one call through the breaker; true if the function was called.
bool call(CircuitBreaker& breaker, const Status& outcome) {
  bool called = false;
  const Status result = breaker.execute([&] {
    called = true;
    return outcome;
  });
  EXPECT_EQ(called, result.reason() != kReasonCircuitOpen);
  return called;
}

void trip(CircuitBreaker& breaker) {
  for (int i = 0; i < 5 && breaker.state() == CircuitState::closed; ++i) call(breaker, down());
  ASSERT_EQ(breaker.state(), CircuitState::open);
}

// Opens the breaker, waits it out and moves it to half-open with one probe
// that the caller must record.
CircuitBreaker::Permit enter_half_open(CircuitBreaker& breaker, ManualClock& clock, Duration wait) {
  clock.advance(wait);
  CallContext context(clock);
  CircuitBreaker::Permit probe = breaker.try_acquire(context);
  EXPECT_TRUE(probe.admitted());
  EXPECT_EQ(breaker.state(), CircuitState::half_open);
  return probe;
}

// A clock that counts its readings, to prove when the breaker reads none.
class CountingClock final : public Clock {
 public:
  TimePoint now() const noexcept override {
    reads.fetch_add(1);
    return inner.now();
  }
  bool sleep_until(TimePoint deadline, std::stop_token stop) const override {
    return inner.sleep_until(deadline, std::move(stop));
  }
  ManualClock inner;
  mutable std::atomic<int> reads{0};
};

TEST(CircuitBreaker, StartsClosedAndPassesCallsThrough) {
  ManualClock clock;
  CircuitBreaker breaker(small_config(), clock);
  EXPECT_EQ(breaker.state(), CircuitState::closed);
  EXPECT_TRUE(call(breaker, kOk));
  EXPECT_TRUE(call(breaker, down()));
  EXPECT_EQ(breaker.config().name, "backend");
}

TEST(CircuitBreaker, TripsWhenTheFailureRateReachesTheThreshold) {
  ManualClock clock;
  CircuitBreaker breaker(small_config(), clock);
  call(breaker, kOk);
  call(breaker, kOk);
  call(breaker, down());
  call(breaker, down());
  EXPECT_EQ(breaker.state(), CircuitState::closed);  // 4 calls: below minimum_calls
  call(breaker, down());                              // 3 of 5 failed: 60% >= 50%
  EXPECT_EQ(breaker.state(), CircuitState::open);
}

TEST(CircuitBreaker, NeverTripsBeforeMinimumCalls) {
  ManualClock clock;
  CircuitBreaker breaker(small_config(), clock);
  for (int i = 0; i < 4; ++i) call(breaker, down());
  EXPECT_EQ(breaker.state(), CircuitState::closed);
  const CircuitBreakerMetrics metrics = breaker.metrics();
  EXPECT_EQ(metrics.buffered_calls, 4u);
  EXPECT_EQ(metrics.failure_rate_percent, -1);  // not enough calls to judge
  EXPECT_EQ(metrics.slow_call_rate_percent, -1);
}

TEST(CircuitBreaker, ExactlyAtTheThresholdTrips) {
  ManualClock clock;
  CircuitBreaker breaker(small_config(), clock);
  for (int i = 0; i < 5; ++i) call(breaker, kOk);
  for (int i = 0; i < 4; ++i) call(breaker, down());
  EXPECT_EQ(breaker.state(), CircuitState::closed);  // 4 of 9: 44%
  call(breaker, down());                              // 5 of 10: 50%
  EXPECT_EQ(breaker.state(), CircuitState::open);
}

TEST(CircuitBreaker, MinimumAboveACountWindowActsAsTheWindowSize) {
  ManualClock clock;
  CircuitBreakerConfig config = small_config();
  config.window_size = 4;
  config.minimum_calls = 100;  // the default; a 4-call window never holds 100
  CircuitBreaker breaker(config, clock);
  for (int i = 0; i < 4; ++i) call(breaker, down());
  EXPECT_EQ(breaker.state(), CircuitState::open);
}

TEST(CircuitBreaker, TripsOnTheSlowCallRate) {
  ManualClock clock;
  CircuitBreakerConfig config = small_config();
  config.slow_call_duration = 100ms;
  config.slow_call_rate_threshold_percent = 60;
  CircuitBreaker breaker(config, clock);
  auto call_taking = [&](Duration duration) {
    (void)breaker.execute([&] {
      clock.advance(duration);
      return kOk;
    });
  };
  call_taking(10ms);
  call_taking(10ms);
  call_taking(100ms);  // at least slow_call_duration: slow
  call_taking(500ms);
  EXPECT_EQ(breaker.state(), CircuitState::closed);
  call_taking(99ms);   // 2 of 5 slow: 40%
  EXPECT_EQ(breaker.state(), CircuitState::closed);
  call_taking(1s);     // 3 of 6: 50%
  EXPECT_EQ(breaker.state(), CircuitState::closed);
  call_taking(1s);     // 4 of 7: 57%
  call_taking(1s);     // 5 of 8: 62.5% >= 60%
  EXPECT_EQ(breaker.state(), CircuitState::open);
  const CircuitBreakerMetrics metrics = breaker.metrics();
  EXPECT_EQ(metrics.slow_calls_total, 5u);
  EXPECT_EQ(metrics.failed_calls_total, 0u);
  EXPECT_EQ(metrics.successful_calls_total, 8u);
}

TEST(CircuitBreaker, OpenRejectsFastWithReasonCodeAndTheTimeLeft) {
  ManualClock clock;
  CircuitBreaker breaker(small_config(), clock);
  trip(breaker);
  clock.advance(3s);
  int calls = 0;
  const Result<int> result = breaker.execute([&]() -> Result<int> { return ++calls; });
  EXPECT_EQ(calls, 0);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::unavailable);
  EXPECT_TRUE(is_rejection(result.status(), kReasonCircuitOpen));
  EXPECT_EQ(result.status().message(), "circuit breaker 'backend' is open");
  EXPECT_EQ(result.status().retry_after(), Duration(7s));

  clock.advance(6999ms);
  CallContext context(clock);
  const CircuitBreaker::Permit permit = breaker.try_acquire(context);
  EXPECT_FALSE(permit.admitted());
  EXPECT_EQ(permit.state(), CircuitState::open);
  EXPECT_EQ(permit.rejection().retry_after(), Duration(1ms));
}

TEST(CircuitBreaker, MovesToHalfOpenLazilyOnTheFirstCallAfterTheWait) {
  ManualClock clock;
  CircuitBreaker breaker(small_config(), clock);
  trip(breaker);
  clock.advance(10s);
  EXPECT_EQ(breaker.state(), CircuitState::open);  // no timer: nothing moved yet
  CallContext context(clock);
  CircuitBreaker::Permit probe = breaker.try_acquire(context);
  EXPECT_TRUE(probe.admitted());
  EXPECT_EQ(probe.state(), CircuitState::half_open);
  EXPECT_EQ(breaker.state(), CircuitState::half_open);
  probe.record(kOk);
}

TEST(CircuitBreaker, HalfOpenAdmitsExactlyThePermittedProbes) {
  ManualClock clock;
  CircuitBreaker breaker(small_config(), clock);
  trip(breaker);
  CircuitBreaker::Permit first = enter_half_open(breaker, clock, 10s);
  CallContext context(clock);
  CircuitBreaker::Permit second = breaker.try_acquire(context);
  EXPECT_TRUE(second.admitted());
  const CircuitBreaker::Permit third = breaker.try_acquire(context);
  ASSERT_FALSE(third.admitted());
  EXPECT_EQ(third.state(), CircuitState::half_open);
  EXPECT_TRUE(is_rejection(third.rejection(), kReasonCircuitOpen));
  EXPECT_EQ(third.rejection().code(), StatusCode::unavailable);
  EXPECT_FALSE(third.rejection().retry_after().has_value());  // no one knows when
  // A reported probe keeps its slot until the verdict: still no room.
  first.record(kOk);
  EXPECT_FALSE(breaker.try_acquire(context).admitted());
  second.record(kOk);
  EXPECT_EQ(breaker.state(), CircuitState::closed);
}

TEST(CircuitBreaker, GoodProbesCloseWithAFreshWindow) {
  ManualClock clock;
  CircuitBreaker breaker(small_config(), clock);
  trip(breaker);
  CircuitBreaker::Permit first = enter_half_open(breaker, clock, 10s);
  CallContext context(clock);
  CircuitBreaker::Permit second = breaker.try_acquire(context);
  first.record(kOk);
  second.record(down());  // 1 of 2 failed: 50% is still a failure verdict...
  EXPECT_EQ(breaker.state(), CircuitState::open);

  CircuitBreaker::Permit third = enter_half_open(breaker, clock, 10s);
  CircuitBreaker::Permit fourth = breaker.try_acquire(context);
  third.record(kOk);
  fourth.record(Status::not_found("no such key"));  // ...but a permanent error is an answer
  EXPECT_EQ(breaker.state(), CircuitState::closed);
  EXPECT_EQ(breaker.metrics().buffered_calls, 0u);
  // A fresh window: four failures are not enough to trip again.
  for (int i = 0; i < 4; ++i) call(breaker, down());
  EXPECT_EQ(breaker.state(), CircuitState::closed);
}

TEST(CircuitBreaker, ExponentialWaitGrowsPerConsecutiveTripAndRestartsAfterAClose) {
  ManualClock clock;
  CircuitBreakerConfig config = small_config();
  config.wait_in_open = OpenWait::exponential(1s, 2.0, 5s);
  config.permitted_calls_in_half_open = 1;
  CircuitBreaker breaker(config, clock);
  auto retry_after = [&] {
    CallContext context(clock);
    return breaker.try_acquire(context).rejection().retry_after().value_or(Duration(-1));
  };
  trip(breaker);
  EXPECT_EQ(retry_after(), Duration(1s));  // trip 1
  for (const Duration expected : {Duration(2s), Duration(4s), Duration(5s), Duration(5s)}) {
    const Duration previous = retry_after();
    enter_half_open(breaker, clock, previous).record(down());
    EXPECT_EQ(breaker.state(), CircuitState::open);
    EXPECT_EQ(retry_after(), expected);
  }
  enter_half_open(breaker, clock, 5s).record(kOk);
  EXPECT_EQ(breaker.state(), CircuitState::closed);
  trip(breaker);
  EXPECT_EQ(retry_after(), Duration(1s));  // the streak ended with the close
}

TEST(CircuitBreaker, CustomWaitSeesTheConsecutiveTripCountFromOne) {
  ManualClock clock;
  std::vector<std::uint32_t> asked;
  CircuitBreakerConfig config = small_config();
  config.permitted_calls_in_half_open = 1;
  config.wait_in_open = OpenWait::custom([&](std::uint32_t trips) {
    asked.push_back(trips);
    return Duration(std::chrono::seconds(3 * trips));
  });
  CircuitBreaker breaker(config, clock);
  trip(breaker);
  enter_half_open(breaker, clock, 3s).record(down());
  enter_half_open(breaker, clock, 6s).record(down());
  CallContext context(clock);
  EXPECT_EQ(breaker.try_acquire(context).rejection().retry_after(), Duration(9s));
  EXPECT_EQ(asked, (std::vector<std::uint32_t>{1, 2, 3}));
}

TEST(CircuitBreaker, ForcedOpenRefusesWithoutRetryAfterUntilReset) {
  ManualClock clock;
  CircuitBreaker breaker(small_config(), clock);
  breaker.force_open();
  EXPECT_EQ(breaker.state(), CircuitState::forced_open);
  clock.advance(1h);
  CallContext context(clock);
  const CircuitBreaker::Permit permit = breaker.try_acquire(context);
  ASSERT_FALSE(permit.admitted());
  EXPECT_TRUE(is_rejection(permit.rejection(), kReasonCircuitOpen));
  EXPECT_FALSE(permit.rejection().retry_after().has_value());
  EXPECT_FALSE(call(breaker, kOk));
  breaker.reset();
  EXPECT_EQ(breaker.state(), CircuitState::closed);
  EXPECT_TRUE(call(breaker, kOk));
}

TEST(CircuitBreaker, DisabledAdmitsEverythingAndRecordsNothing) {
  ManualClock clock;
  CircuitBreaker breaker(small_config(), clock);
  breaker.disable();
  for (int i = 0; i < 50; ++i) EXPECT_TRUE(call(breaker, down()));
  EXPECT_EQ(breaker.state(), CircuitState::disabled);
  const CircuitBreakerMetrics metrics = breaker.metrics();
  EXPECT_EQ(metrics.failed_calls_total, 0u);
  EXPECT_EQ(metrics.buffered_calls, 0u);
  EXPECT_EQ(metrics.state_transitions_total, 1u);
}

TEST(CircuitBreaker, ResetClosesWithAnEmptyWindowAndRestartsTheStreak) {
  ManualClock clock;
  CircuitBreakerConfig config = small_config();
  config.wait_in_open = OpenWait::exponential(1s, 10.0, 1h);
  config.permitted_calls_in_half_open = 1;
  CircuitBreaker breaker(config, clock);
  trip(breaker);
  enter_half_open(breaker, clock, 1s).record(down());  // trip 2: 10 s
  breaker.reset();
  EXPECT_EQ(breaker.state(), CircuitState::closed);
  EXPECT_EQ(breaker.metrics().buffered_calls, 0u);
  trip(breaker);
  CallContext context(clock);
  EXPECT_EQ(breaker.try_acquire(context).rejection().retry_after(), Duration(1s));

  // Resetting a closed breaker also empties its window.
  breaker.reset();
  for (int i = 0; i < 4; ++i) call(breaker, down());
  breaker.reset();
  call(breaker, down());
  EXPECT_EQ(breaker.state(), CircuitState::closed);
  EXPECT_EQ(breaker.metrics().buffered_calls, 1u);
}

TEST(CircuitBreaker, MaxWaitInHalfOpenSendsTheNextCallBackToOpen) {
  ManualClock clock;
  CircuitBreakerConfig config = small_config();
  config.wait_in_open = OpenWait::exponential(10s, 2.0, 1min);
  config.max_wait_in_half_open = 5s;
  CircuitBreaker breaker(config, clock);
  trip(breaker);
  CircuitBreaker::Permit stuck = enter_half_open(breaker, clock, 10s);
  clock.advance(4999ms);
  CallContext before(clock);
  EXPECT_TRUE(breaker.try_acquire(before).admitted());  // the second probe, dropped at once
  clock.advance(1ms);
  CallContext after(clock);
  const CircuitBreaker::Permit refused = breaker.try_acquire(after);
  EXPECT_FALSE(refused.admitted());
  EXPECT_EQ(breaker.state(), CircuitState::open);
  EXPECT_EQ(refused.rejection().retry_after(), Duration(20s));  // the second trip's wait
  stuck.record(kOk);  // too late: from the old half-open
  EXPECT_EQ(breaker.metrics().ignored_calls_total, 1u);
  EXPECT_EQ(breaker.state(), CircuitState::open);
}

TEST(CircuitBreaker, AnUnrecordedPermitGivesBackItsProbeSlot) {
  ManualClock clock;
  CircuitBreakerConfig config = small_config();
  config.permitted_calls_in_half_open = 1;
  CircuitBreaker breaker(config, clock);
  trip(breaker);
  { CircuitBreaker::Permit abandoned = enter_half_open(breaker, clock, 10s); }
  CallContext context(clock);
  CircuitBreaker::Permit probe = breaker.try_acquire(context);
  ASSERT_TRUE(probe.admitted());
  // Moving a permit moves the duty: the moved-from one frees nothing.
  CircuitBreaker::Permit moved = std::move(probe);
  EXPECT_FALSE(breaker.try_acquire(context).admitted());
  moved.record(kOk);
  EXPECT_EQ(breaker.state(), CircuitState::closed);
}

TEST(CircuitBreaker, AnExceptionFromTheFunctionFreesItsProbeSlot) {
  ManualClock clock;
  CircuitBreakerConfig config = small_config();
  config.permitted_calls_in_half_open = 1;
  CircuitBreaker breaker(config, clock);
  trip(breaker);
  clock.advance(10s);
  EXPECT_THROW((void)breaker.execute([]() -> Status { throw std::runtime_error("boom"); }),
               std::runtime_error);
  EXPECT_EQ(breaker.state(), CircuitState::half_open);
  EXPECT_TRUE(call(breaker, kOk));
  EXPECT_EQ(breaker.state(), CircuitState::closed);
}

TEST(CircuitBreaker, OutcomesFromAnOlderGenerationAreIgnored) {
  ManualClock clock;
  CircuitBreaker breaker(small_config(), clock);
  CallContext context(clock);
  CircuitBreaker::Permit slow_call = breaker.try_acquire(context);
  trip(breaker);
  slow_call.record(down());  // the breaker tripped while it ran
  CircuitBreakerMetrics metrics = breaker.metrics();
  EXPECT_EQ(metrics.ignored_calls_total, 1u);
  EXPECT_EQ(metrics.failed_calls_total, 5u);
  EXPECT_EQ(metrics.buffered_calls, 5u);

  // A probe from a half-open that reset() ended counts neither.
  CircuitBreaker::Permit probe = enter_half_open(breaker, clock, 10s);
  breaker.reset();
  probe.record(kOk);
  metrics = breaker.metrics();
  EXPECT_EQ(metrics.ignored_calls_total, 2u);
  EXPECT_EQ(metrics.successful_calls_total, 0u);
  EXPECT_EQ(metrics.buffered_calls, 0u);
}

TEST(CircuitBreaker, PermanentErrorsCountAsSuccessesByDefault) {
  ManualClock clock;
  CircuitBreaker breaker(small_config(), clock);
  for (int i = 0; i < 10; ++i) {
    call(breaker, i % 2 == 0 ? Status::not_found("k") : Status::invalid_argument("bad"));
  }
  EXPECT_EQ(breaker.state(), CircuitState::closed);
  const CircuitBreakerMetrics metrics = breaker.metrics();
  EXPECT_EQ(metrics.successful_calls_total, 10u);
  EXPECT_EQ(metrics.failure_rate_percent, 0);
  // The transient ones fail: internal, deadline_exceeded, resource_exhausted.
  call(breaker, Status::internal("x"));
  call(breaker, Status::deadline_exceeded("x"));
  call(breaker, Status::resource_exhausted("x"));
  EXPECT_EQ(breaker.metrics().failed_calls_total, 3u);
}

TEST(CircuitBreaker, RecordAsFailureDecidesWhatFails) {
  ManualClock clock;
  CircuitBreakerConfig config = small_config();
  std::atomic<int> asked{0};
  config.record_as_failure = [&](const Status& status) {
    ++asked;
    return status.code() == StatusCode::not_found;  // say a missing key means a lost replica
  };
  CircuitBreaker breaker(config, clock);
  call(breaker, kOk);  // never asked about successes
  EXPECT_EQ(asked.load(), 0);
  for (int i = 0; i < 4; ++i) call(breaker, down());  // not failures now
  EXPECT_EQ(breaker.metrics().failed_calls_total, 0u);
  for (int i = 0; i < 5; ++i) call(breaker, Status::not_found("k"));
  EXPECT_EQ(breaker.state(), CircuitState::open);  // 5 of 10
  EXPECT_EQ(asked.load(), 9);
}

TEST(CircuitBreaker, CountWindowForgetsFailuresThatFallOut) {
  ManualClock clock;
  CircuitBreakerConfig config = small_config();
  config.window_size = 4;
  config.minimum_calls = 4;
  CircuitBreaker breaker(config, clock);
  call(breaker, down());
  call(breaker, kOk);
  call(breaker, kOk);
  call(breaker, kOk);
  EXPECT_EQ(breaker.metrics().buffered_failed_calls, 1u);
  call(breaker, kOk);  // evicts the failure
  EXPECT_EQ(breaker.metrics().buffered_failed_calls, 0u);
  EXPECT_EQ(breaker.metrics().buffered_calls, 4u);
  call(breaker, down());
  EXPECT_EQ(breaker.state(), CircuitState::closed);  // 1 of 4
  call(breaker, down());
  EXPECT_EQ(breaker.state(), CircuitState::open);  // 2 of 4
}

TEST(CircuitBreaker, TimeWindowForgetsFailuresOlderThanTheWindow) {
  ManualClock clock;  // starts on a whole second
  CircuitBreakerConfig config = small_config();
  config.window_type = SlidingWindowType::time_based;
  config.window_size = 10;  // seconds
  config.minimum_calls = 4;
  CircuitBreaker breaker(config, clock);
  call(breaker, down());
  call(breaker, down());
  clock.advance(9999ms);  // still inside the window
  call(breaker, kOk);
  EXPECT_EQ(breaker.metrics().buffered_failed_calls, 2u);
  clock.advance(1ms);  // second 10: the first second fell out
  EXPECT_EQ(breaker.metrics().buffered_calls, 1u);
  call(breaker, kOk);
  call(breaker, kOk);
  call(breaker, down());  // 1 of 4 in the window
  EXPECT_EQ(breaker.state(), CircuitState::closed);
  call(breaker, down());  // 2 of 5
  EXPECT_EQ(breaker.state(), CircuitState::closed);
  call(breaker, down());  // 3 of 6
  EXPECT_EQ(breaker.state(), CircuitState::open);
}

TEST(CircuitBreaker, ListenersSeeEveryTransitionWithItsStates) {
  ManualClock clock;
  CircuitBreaker breaker(small_config(), clock);
  std::vector<CircuitBreakerEvent> events;
  breaker.events().subscribe([&](const CircuitBreakerEvent& event) { events.push_back(event); });
  using Kind = CircuitBreakerEvent::Kind;
  call(breaker, kOk);
  call(breaker, kOk);
  const TimePoint trip_time = clock.now();
  for (int i = 0; i < 3; ++i) call(breaker, down());
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].kind, Kind::failure_rate_exceeded);
  EXPECT_DOUBLE_EQ(events[0].failure_rate_percent, 60.0);
  EXPECT_EQ(events[1].kind, Kind::state_transition);
  EXPECT_EQ(events[1].from, CircuitState::closed);
  EXPECT_EQ(events[1].to, CircuitState::open);
  EXPECT_EQ(events[1].at, trip_time);
  EXPECT_EQ(events[1].breaker_name, "backend");

  call(breaker, kOk);  // refused
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[2].kind, Kind::call_rejected);
  EXPECT_EQ(events[2].from, CircuitState::open);

  clock.advance(10s);
  call(breaker, kOk);
  call(breaker, kOk);
  breaker.force_open();
  breaker.disable();
  breaker.reset();
  std::vector<std::pair<CircuitState, CircuitState>> transitions;
  for (const auto& event : events) {
    if (event.kind == Kind::state_transition) transitions.emplace_back(event.from, event.to);
  }
  using S = CircuitState;
  const std::vector<std::pair<S, S>> expected{
      {S::closed, S::open},        {S::open, S::half_open},   {S::half_open, S::closed},
      {S::closed, S::forced_open}, {S::forced_open, S::disabled}, {S::disabled, S::closed}};
  EXPECT_EQ(transitions, expected);
  EXPECT_EQ(breaker.metrics().state_transitions_total, 6u);
}

TEST(CircuitBreaker, SlowCallRateEventCarriesTheRate) {
  ManualClock clock;
  CircuitBreakerConfig config = small_config();
  config.slow_call_duration = 1s;
  config.minimum_calls = 2;
  CircuitBreaker breaker(config, clock);
  std::vector<CircuitBreakerEvent> events;
  breaker.events().subscribe([&](const CircuitBreakerEvent& event) { events.push_back(event); });
  for (int i = 0; i < 2; ++i) {
    CallContext context(clock);
    breaker.try_acquire(context).record(kOk, 2s);
  }
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].kind, CircuitBreakerEvent::Kind::slow_call_rate_exceeded);
  EXPECT_DOUBLE_EQ(events[0].slow_call_rate_percent, 100.0);
  EXPECT_DOUBLE_EQ(events[0].failure_rate_percent, 0.0);
  EXPECT_EQ(events[1].to, CircuitState::open);
}

TEST(CircuitBreaker, MetricsAreExact) {
  ManualClock clock;
  CircuitBreakerConfig config = small_config();
  config.slow_call_duration = 1s;
  config.failure_rate_threshold_percent = 80;
  config.slow_call_rate_threshold_percent = 80;
  CircuitBreaker breaker(config, clock);
  CallContext context(clock);
  breaker.try_acquire(context).record(kOk);
  breaker.try_acquire(context).record(kOk, 1s);      // slow
  breaker.try_acquire(context).record(down(), 2s);   // slow and failed
  breaker.try_acquire(context).record(down());
  breaker.try_acquire(context).record(Status::not_found("k"));
  CircuitBreakerMetrics metrics = breaker.metrics();
  EXPECT_EQ(metrics.state, CircuitState::closed);
  EXPECT_EQ(metrics.buffered_calls, 5u);
  EXPECT_EQ(metrics.buffered_failed_calls, 2u);
  EXPECT_EQ(metrics.buffered_slow_calls, 2u);
  EXPECT_DOUBLE_EQ(metrics.failure_rate_percent, 40.0);
  EXPECT_DOUBLE_EQ(metrics.slow_call_rate_percent, 40.0);
  EXPECT_EQ(metrics.successful_calls_total, 3u);
  EXPECT_EQ(metrics.failed_calls_total, 2u);
  EXPECT_EQ(metrics.slow_calls_total, 2u);
  EXPECT_EQ(metrics.rejected_calls_total, 0u);
  EXPECT_EQ(metrics.ignored_calls_total, 0u);
  EXPECT_EQ(metrics.state_transitions_total, 0u);

  breaker.force_open();
  for (int i = 0; i < 3; ++i) EXPECT_FALSE(breaker.try_acquire(context).admitted());
  metrics = breaker.metrics();
  EXPECT_EQ(metrics.state, CircuitState::forced_open);
  EXPECT_EQ(metrics.rejected_calls_total, 3u);
  EXPECT_EQ(metrics.buffered_calls, 5u);  // the window is kept for the post-mortem
  EXPECT_EQ(metrics.state_transitions_total, 1u);
}

TEST(CircuitBreaker, HalfOpenMetricsCountTheProbesSoFar) {
  ManualClock clock;
  CircuitBreakerConfig config = small_config();
  config.permitted_calls_in_half_open = 3;
  CircuitBreaker breaker(config, clock);
  trip(breaker);
  enter_half_open(breaker, clock, 10s).record(down());
  const CircuitBreakerMetrics metrics = breaker.metrics();
  EXPECT_EQ(metrics.state, CircuitState::half_open);
  EXPECT_EQ(metrics.buffered_calls, 1u);
  EXPECT_EQ(metrics.buffered_failed_calls, 1u);
  EXPECT_EQ(metrics.failure_rate_percent, -1);
}

TEST(CircuitBreaker, AClosedCountBasedBreakerReadsNoClock) {
  CountingClock clock;
  CircuitBreaker breaker(small_config(), clock);
  CallContext context(clock);
  for (int i = 0; i < 3; ++i) (void)breaker.execute(context, [] { return kOk; });
  (void)breaker.execute(context, [] { return down(); });
  EXPECT_EQ(clock.reads.load(), 0);
}

TEST(CircuitBreaker, SlowTrackingReadsTheClockTwicePerCall) {
  CountingClock clock;
  CircuitBreakerConfig config = small_config();
  config.slow_call_duration = 1s;
  CircuitBreaker breaker(config, clock);
  CallContext context(clock);
  (void)breaker.execute(context, [&](CallContext& c) {
    clock.inner.advance(2s);
    EXPECT_EQ(&c, &context);
    return kOk;
  });
  EXPECT_EQ(clock.reads.load(), 2);
  EXPECT_EQ(breaker.metrics().slow_calls_total, 1u);
}

TEST(CircuitBreaker, ATimeBasedBreakerReadsTheClockOncePerCall) {
  CountingClock clock;
  CircuitBreakerConfig config = small_config();
  config.window_type = SlidingWindowType::time_based;
  CircuitBreaker breaker(config, clock);
  for (int i = 0; i < 3; ++i) {
    CallContext context(clock);
    (void)breaker.execute(context, [] { return down(); });
  }
  EXPECT_EQ(clock.reads.load(), 3);
}

TEST(CircuitBreaker, StateNamesAreStable) {
  EXPECT_EQ(circuit_state_name(CircuitState::closed), "closed");
  EXPECT_EQ(circuit_state_name(CircuitState::open), "open");
  EXPECT_EQ(circuit_state_name(CircuitState::half_open), "half_open");
  EXPECT_EQ(circuit_state_name(CircuitState::forced_open), "forced_open");
  EXPECT_EQ(circuit_state_name(CircuitState::disabled), "disabled");
}

}  // namespace
}  // namespace faultline::resilience
