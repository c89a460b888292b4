// Backoff: how long a retry waits before its next attempt.
//
// Strategies: constant, linear, exponential; each optionally jittered the
// ways the literature names them (full, equal, decorrelated: see
// docs/resilience.md) and capped by a maximum delay. Jitter spreads the
// retries of many clients so they do not arrive in synchronized waves.
// Randomness comes from the caller's seeded generator, so a run with a
// given seed waits the same delays every time.
//
//   auto backoff = Backoff::exponential(100ms, 2.0).with_jitter(Jitter::full).with_max_delay(5s);
//   Duration wait = backoff.delay(/*retry=*/1, /*previous=*/Duration::zero(), random);
//
// Thread-safety: a Backoff is an immutable value; delay() is const and safe
// from any thread given a thread-safe generator (SharedRandom).
#pragma once

#include <cstdint>
#include <string_view>

#include "faultline/core/clock.hpp"
#include "faultline/core/random.hpp"
#include "faultline/core/status.hpp"

namespace faultline::resilience {

enum class BackoffKind : std::uint8_t { constant, linear, exponential };

enum class Jitter : std::uint8_t {
  none,          // exactly the base delay
  full,          // uniform in [0, base]
  equal,         // base/2 + uniform in [0, base/2]
  decorrelated,  // uniform in [initial, 3 x previous delay], capped
};

[[nodiscard]] std::string_view jitter_name(Jitter jitter) noexcept;

class Backoff {
 public:
  static Backoff constant(Duration delay) noexcept;
  // initial, initial + increment, initial + 2 x increment, ...
  static Backoff linear(Duration initial, Duration increment) noexcept;
  // initial, initial x multiplier, initial x multiplier^2, ...
  static Backoff exponential(Duration initial, double multiplier = 2.0) noexcept;

  [[nodiscard]] Backoff with_jitter(Jitter jitter) const noexcept;
  // Caps every delay, jittered or not. Default: 30 s.
  [[nodiscard]] Backoff with_max_delay(Duration max_delay) const noexcept;

  // Ok, or invalid_argument naming the bad field (negative durations,
  // multiplier below 1 or not finite, a cap below the initial delay).
  [[nodiscard]] Status validate() const;

  // The un-jittered delay before retry number `retry` (1 is the first
  // retry), capped at max_delay().
  [[nodiscard]] Duration base_delay(std::uint32_t retry) const noexcept;

  // The delay before retry number `retry`. `previous` is the delay this
  // call waited last time (decorrelated jitter grows from it; zero at first).
  // Always within [0, max_delay()].
  template <class Generator>
  [[nodiscard]] Duration delay(std::uint32_t retry, Duration previous, Generator& random) const {
    const Duration base = base_delay(retry);
    switch (jitter_) {
      case Jitter::none:
        return base;
      case Jitter::full:
        return random.uniform_duration(Duration::zero(), base);
      case Jitter::equal:
        return base / 2 + random.uniform_duration(Duration::zero(), base - base / 2);
      case Jitter::decorrelated:
        return decorrelated(previous, random.uniform_unit());
    }
    return base;
  }

  [[nodiscard]] BackoffKind kind() const noexcept { return kind_; }
  [[nodiscard]] Jitter jitter() const noexcept { return jitter_; }
  [[nodiscard]] Duration initial_delay() const noexcept { return initial_; }
  [[nodiscard]] Duration max_delay() const noexcept { return max_delay_; }

 private:
  Backoff(BackoffKind kind, Duration initial, Duration increment, double multiplier) noexcept
      : kind_(kind), initial_(initial), increment_(increment), multiplier_(multiplier) {}
  [[nodiscard]] Duration decorrelated(Duration previous, double unit) const noexcept;

  BackoffKind kind_;
  Jitter jitter_ = Jitter::none;
  Duration initial_;
  Duration increment_;
  double multiplier_;
  Duration max_delay_ = std::chrono::seconds(30);
};

}  // namespace faultline::resilience
