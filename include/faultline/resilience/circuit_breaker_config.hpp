// CircuitBreakerConfig: how a CircuitBreaker decides to open and to heal.
//
// A breaker watches the outcomes of recent calls in a sliding window (the
// last `window_size` calls, or the last `window_size` seconds) and opens when,
// once at least `minimum_calls` are in the window, the share of failures or
// of slow calls reaches its threshold. It then refuses calls for a wait given
// by OpenWait (fixed, exponential per consecutive trip, or custom), lets
// `permitted_calls_in_half_open` probes through, and closes or reopens on
// their verdict. The fields follow resilience4j's names and defaults.
//
//   CircuitBreakerConfig config;
//   config.name = "inventory";
//   config.window_size = 20;
//   config.minimum_calls = 10;
//   config.slow_call_duration = 500ms;
//   config.wait_in_open = OpenWait::exponential(1s, 2.0, 60s);
//   CircuitBreaker breaker(config);   // throws ConfigError if invalid
//
// What counts as a failure: an ok outcome is always a success. A non-ok
// outcome is a failure when record_as_failure says so (by default: when its
// code is transient, see is_transient()). Outcomes it rejects (not_found,
// invalid_argument, ...) count as successes, because the backend answered:
// a caller's bad request must not open the circuit for everyone.
//
// Thread-safety: value types. A breaker copies its config at construction.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "faultline/core/clock.hpp"
#include "faultline/core/status.hpp"

namespace faultline::resilience {

enum class SlidingWindowType : std::uint8_t { count_based, time_based };

// How long a breaker stays open before it lets probes through, as a function
// of the number of consecutive trips. A trip is a move to open from closed or
// half-open; the count restarts at 1 after the breaker closes successfully,
// so a flapping backend is given more and more time while a healthy one that
// trips once is retried soon.
class OpenWait {
 public:
  // Always `wait`. Precondition (checked by validate()): wait >= 0.
  static OpenWait fixed(Duration wait);
  // initial * multiplier^(trips - 1), capped at `max`. Preconditions (checked
  // by validate()): initial >= 0, multiplier >= 1 and finite, max >= initial.
  static OpenWait exponential(Duration initial, double multiplier, Duration max);
  // Whatever `wait` answers; trips are counted from 1. A negative answer is
  // read as zero.
  static OpenWait custom(std::function<Duration(std::uint32_t consecutive_trips)> wait);

  // The wait for the `consecutive_trips`-th trip in a row (>= 1; 0 reads as 1).
  [[nodiscard]] Duration for_trip(std::uint32_t consecutive_trips) const;

  // Ok, or invalid_argument naming `field` (e.g. "circuit_breaker.wait_in_open").
  [[nodiscard]] Status validate(std::string_view field) const;

 private:
  enum class Kind : std::uint8_t { fixed, exponential, custom };
  OpenWait(Kind kind, Duration initial, double multiplier, Duration max,
           std::function<Duration(std::uint32_t)> custom);

  Kind kind_;
  Duration initial_;
  double multiplier_;
  Duration max_;
  std::function<Duration(std::uint32_t)> custom_;
};

struct CircuitBreakerConfig {
  // Bounds that keep a breaker's memory small whatever the config says.
  static constexpr std::uint32_t kWindowSizeCallsMax = 1'000'000;
  static constexpr std::uint32_t kWindowSizeSecondsMax = 86'400;
  static constexpr std::uint32_t kPermittedCallsInHalfOpenMax = 1'000'000;

  // Names the breaker in rejections ("circuit breaker 'NAME' is open"),
  // events and metrics.
  std::string name = "breaker";
  SlidingWindowType window_type = SlidingWindowType::count_based;
  // Calls (count-based) or seconds (time-based, 1-second buckets).
  std::uint32_t window_size = 100;
  // Calls in the window before rates count. For a count-based window a value
  // above window_size acts as window_size (the window never holds more).
  std::uint32_t minimum_calls = 100;
  // In (0, 100]: trip when the failure rate is >= this.
  double failure_rate_threshold_percent = 50;
  // In (0, 100]: trip when the slow-call rate is >= this.
  double slow_call_rate_threshold_percent = 100;
  // A call taking at least this long is slow. Unset: slow calls are not
  // tracked and a closed breaker reads no clock at all.
  std::optional<Duration> slow_call_duration;
  OpenWait wait_in_open = OpenWait::fixed(std::chrono::seconds(60));
  // Probes admitted in half-open; all must report before the verdict.
  std::uint32_t permitted_calls_in_half_open = 10;
  // Unset: stay half-open until the probes report (a dropped permit frees
  // its slot, so this never gets stuck). Set: the first call after this long
  // in half-open moves the breaker back to open.
  std::optional<Duration> max_wait_in_half_open;
  // Consulted for non-ok outcomes only. Null: is_transient(status.code()).
  std::function<bool(const Status&)> record_as_failure;

  // Ok, or invalid_argument naming the first bad field, e.g.
  // "circuit_breaker.window_size must be >= 1, got 0".
  [[nodiscard]] Status validate() const;
};

}  // namespace faultline::resilience
