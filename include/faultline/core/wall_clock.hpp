// WallClock: the time of day, injected.
//
// Clock (clock.hpp) is monotonic and means nothing outside this process.
// Some algorithms need the calendar time other machines also read: the
// hybrid logical clock (clocks/hlc.hpp) stamps events with milliseconds
// since the Unix epoch so that timestamps from different nodes compare.
// That time can step backwards (NTP, an operator), and code reading it must
// cope; ManualWallClock lets a test make it do exactly that.
//
// Nothing in Faultline reads std::chrono::system_clock::now() except
// SystemWallClock below.
//
//   ManualWallClock wall(WallTimePoint(std::chrono::milliseconds(1'700'000'000'000)));
//   wall.advance(std::chrono::milliseconds(5));
//   wall.step_back(std::chrono::milliseconds(20));   // an NTP correction
//
// Thread-safety: every WallClock is safe to call from any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>

#include "faultline/core/clock.hpp"

namespace faultline {

// Nanoseconds since the Unix epoch.
using WallTimePoint = std::chrono::time_point<std::chrono::system_clock, Duration>;

class WallClock {
 public:
  virtual ~WallClock() = default;

  // Calendar time. May go backwards between two calls.
  [[nodiscard]] virtual WallTimePoint now() const noexcept = 0;

  // Blocks for about `duration` (a manual clock advances instead). Used to
  // wait for the time of day to move on, never for timers.
  virtual void sleep_for(Duration duration) const = 0;
};

// std::chrono::system_clock.
class SystemWallClock final : public WallClock {
 public:
  [[nodiscard]] WallTimePoint now() const noexcept override;
  void sleep_for(Duration duration) const override;

  // A process-wide instance, for callers that do not inject a clock.
  static const SystemWallClock& instance() noexcept;
};

// A wall clock that moves only when told to, forwards or backwards.
// sleep_for() advances it by the duration and returns at once.
class ManualWallClock final : public WallClock {
 public:
  explicit ManualWallClock(WallTimePoint start) noexcept
      : nanos_(start.time_since_epoch().count()) {}

  [[nodiscard]] WallTimePoint now() const noexcept override {
    return WallTimePoint(Duration(nanos_.load(std::memory_order_acquire)));
  }
  void sleep_for(Duration duration) const override;

  // Precondition: duration >= 0.
  void advance(Duration duration) noexcept;
  // Moves the clock backwards, as an NTP step does. Precondition: duration >= 0.
  void step_back(Duration duration) noexcept;
  // Any time, earlier or later.
  void set(WallTimePoint when) noexcept;

 private:
  mutable std::atomic<std::int64_t> nanos_;
};

}  // namespace faultline
