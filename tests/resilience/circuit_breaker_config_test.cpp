// A bad breaker configuration is refused where it is written, with a message
// that names the field; OpenWait computes the waits it promises.
#include "faultline/resilience/circuit_breaker_config.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include "faultline/core/manual_clock.hpp"
#include "faultline/resilience/circuit_breaker.hpp"
#include "faultline/resilience/config_error.hpp"

namespace faultline::resilience {
namespace {

using namespace std::chrono_literals;

struct BadConfig {
  std::string what;
  std::function<void(CircuitBreakerConfig&)> spoil;
  std::string field;  // must appear in the message
};

std::vector<BadConfig> bad_configs() {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  return {
      {"empty name", [](auto& c) { c.name.clear(); }, "circuit_breaker.name"},
      {"zero window", [](auto& c) { c.window_size = 0; }, "circuit_breaker.window_size"},
      {"huge count window", [](auto& c) { c.window_size = 2'000'000; }, "circuit_breaker.window_size"},
      {"huge time window",
       [](auto& c) {
         c.window_type = SlidingWindowType::time_based;
         c.window_size = 100'000;
       },
       "circuit_breaker.window_size"},
      {"zero minimum", [](auto& c) { c.minimum_calls = 0; }, "circuit_breaker.minimum_calls"},
      {"failure threshold 0", [](auto& c) { c.failure_rate_threshold_percent = 0; },
       "circuit_breaker.failure_rate_threshold_percent"},
      {"failure threshold > 100", [](auto& c) { c.failure_rate_threshold_percent = 100.5; },
       "circuit_breaker.failure_rate_threshold_percent"},
      {"failure threshold negative", [](auto& c) { c.failure_rate_threshold_percent = -5; },
       "circuit_breaker.failure_rate_threshold_percent"},
      {"failure threshold NaN", [nan](auto& c) { c.failure_rate_threshold_percent = nan; },
       "circuit_breaker.failure_rate_threshold_percent"},
      {"slow threshold 0", [](auto& c) { c.slow_call_rate_threshold_percent = 0; },
       "circuit_breaker.slow_call_rate_threshold_percent"},
      {"slow threshold > 100", [](auto& c) { c.slow_call_rate_threshold_percent = 101; },
       "circuit_breaker.slow_call_rate_threshold_percent"},
      {"slow threshold NaN", [nan](auto& c) { c.slow_call_rate_threshold_percent = nan; },
       "circuit_breaker.slow_call_rate_threshold_percent"},
      {"negative slow duration", [](auto& c) { c.slow_call_duration = -1ms; },
       "circuit_breaker.slow_call_duration"},
      {"zero slow duration", [](auto& c) { c.slow_call_duration = 0ms; },
       "circuit_breaker.slow_call_duration"},
      {"negative fixed wait", [](auto& c) { c.wait_in_open = OpenWait::fixed(-1s); },
       "circuit_breaker.wait_in_open"},
      {"negative initial wait",
       [](auto& c) { c.wait_in_open = OpenWait::exponential(-1s, 2.0, 10s); },
       "circuit_breaker.wait_in_open.initial"},
      {"multiplier below 1",
       [](auto& c) { c.wait_in_open = OpenWait::exponential(1s, 0.5, 10s); },
       "circuit_breaker.wait_in_open.multiplier"},
      {"multiplier NaN", [nan](auto& c) { c.wait_in_open = OpenWait::exponential(1s, nan, 10s); },
       "circuit_breaker.wait_in_open.multiplier"},
      {"multiplier infinite",
       [inf](auto& c) { c.wait_in_open = OpenWait::exponential(1s, inf, 10s); },
       "circuit_breaker.wait_in_open.multiplier"},
      {"max below initial", [](auto& c) { c.wait_in_open = OpenWait::exponential(10s, 2.0, 1s); },
       "circuit_breaker.wait_in_open.max"},
      {"empty custom wait", [](auto& c) { c.wait_in_open = OpenWait::custom(nullptr); },
       "circuit_breaker.wait_in_open.custom"},
      {"zero probes", [](auto& c) { c.permitted_calls_in_half_open = 0; },
       "circuit_breaker.permitted_calls_in_half_open"},
      {"negative half-open wait", [](auto& c) { c.max_wait_in_half_open = -1s; },
       "circuit_breaker.max_wait_in_half_open"},
      {"zero half-open wait", [](auto& c) { c.max_wait_in_half_open = 0s; },
       "circuit_breaker.max_wait_in_half_open"},
  };
}

TEST(CircuitBreakerConfig, DefaultsAreValid) {
  EXPECT_TRUE(CircuitBreakerConfig{}.validate().ok());
  CircuitBreakerConfig edges;
  edges.window_size = 1;
  edges.minimum_calls = 1;
  edges.failure_rate_threshold_percent = 100;
  edges.slow_call_rate_threshold_percent = 0.001;
  edges.wait_in_open = OpenWait::fixed(0s);
  edges.permitted_calls_in_half_open = 1;
  EXPECT_TRUE(edges.validate().ok()) << edges.validate();
}

TEST(CircuitBreakerConfig, EveryBadFieldIsNamedInTheMessage) {
  for (const BadConfig& bad : bad_configs()) {
    SCOPED_TRACE(bad.what);
    CircuitBreakerConfig config;
    bad.spoil(config);
    const Status status = config.validate();
    ASSERT_EQ(status.code(), StatusCode::invalid_argument);
    EXPECT_NE(status.message().find(bad.field + " must be"), std::string_view::npos)
        << status.message();
    EXPECT_NE(status.message().find(", got "), std::string_view::npos) << status.message();
  }
}

TEST(CircuitBreakerConfig, TheBreakerRefusesABadConfigAtConstruction) {
  ManualClock clock;
  for (const BadConfig& bad : bad_configs()) {
    SCOPED_TRACE(bad.what);
    CircuitBreakerConfig config;
    bad.spoil(config);
    try {
      CircuitBreaker breaker(config, clock);
      ADD_FAILURE() << "accepted";
    } catch (const ConfigError& error) {
      EXPECT_NE(std::string(error.what()).find(bad.field), std::string::npos) << error.what();
    }
  }
}

TEST(CircuitBreakerConfig, MessagesReadWell) {
  CircuitBreakerConfig config;
  config.window_size = 0;
  EXPECT_EQ(config.validate().message(), "circuit_breaker.window_size must be >= 1, got 0");
  config = CircuitBreakerConfig{};
  config.failure_rate_threshold_percent = 150;
  EXPECT_EQ(config.validate().message(),
            "circuit_breaker.failure_rate_threshold_percent must be in (0, 100], got 150");
  config = CircuitBreakerConfig{};
  config.wait_in_open = OpenWait::exponential(1s, 0.5, 10s);
  EXPECT_EQ(config.validate().message(),
            "circuit_breaker.wait_in_open.multiplier must be >= 1 and finite, got 0.5");
}

TEST(CircuitBreakerOpenWait, FixedIsTheSameForEveryTrip) {
  const OpenWait wait = OpenWait::fixed(30s);
  EXPECT_EQ(wait.for_trip(1), Duration(30s));
  EXPECT_EQ(wait.for_trip(1000), Duration(30s));
}

TEST(CircuitBreakerOpenWait, ExponentialGrowsAndSaturatesAtMax) {
  const OpenWait wait = OpenWait::exponential(1s, 2.0, 1min);
  EXPECT_EQ(wait.for_trip(0), Duration(1s));  // read as the first trip
  EXPECT_EQ(wait.for_trip(1), Duration(1s));
  EXPECT_EQ(wait.for_trip(2), Duration(2s));
  EXPECT_EQ(wait.for_trip(6), Duration(32s));
  EXPECT_EQ(wait.for_trip(7), Duration(1min));
  EXPECT_EQ(wait.for_trip(std::numeric_limits<std::uint32_t>::max()), Duration(1min));
  const OpenWait flat = OpenWait::exponential(5s, 1.0, 1h);
  EXPECT_EQ(flat.for_trip(100), Duration(5s));
}

TEST(CircuitBreakerOpenWait, CustomIsAskedWithTheTripAndClampedAtZero) {
  const OpenWait wait = OpenWait::custom([](std::uint32_t trips) {
    return trips == 3 ? Duration(-5s) : Duration(std::chrono::seconds(trips));
  });
  EXPECT_EQ(wait.for_trip(2), Duration(2s));
  EXPECT_EQ(wait.for_trip(3), Duration::zero());
}

}  // namespace
}  // namespace faultline::resilience
