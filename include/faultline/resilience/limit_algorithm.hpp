// LimitAlgorithm: how an adaptive concurrency limiter learns its limit.
//
// A static concurrency limit is wrong the day traffic or latency changes. A
// limit algorithm instead learns it from what each finished call reports: its
// round-trip time, how many calls were in flight, and whether it was dropped
// (timed out, or refused by an overloaded server). Three ship here, each a
// small pure class with no clock, no randomness and no threads, so a test
// drives it with a synthetic trace and checks every step:
//
// - AimdLimit (aimd_limit.hpp): loss-based, as TCP Reno;
// - VegasLimit (vegas_limit.hpp): delay-based, from queueing estimated with
//   the minimum and current RTT, as TCP Vegas;
// - GradientLimit (gradient_limit.hpp): the ratio of long-term to short-term
//   RTT, clamped, with a queue allowance and smoothing.
//
// Every algorithm gathers samples into a window of about one round trip (as
// many samples as the current limit) and moves the limit once per window,
// from the window's average RTT, largest in-flight count and any drop. A
// limit moved on every sample would react to calls admitted before its last
// move, and overshoot: with a limit of 50, fifty samples are already on
// their way when it changes.
//
// AdaptiveConcurrencyLimiter (adaptive_concurrency_limiter.hpp) feeds one of
// them and enforces its limit; write your own by deriving from
// LimitAlgorithm.
//
//   AimdLimit aimd(AimdLimitConfig{.initial_limit = 10, .timeout = 50ms});
//   std::uint32_t limit = aimd.update(LimitSample{.rtt = 12ms, .in_flight = 9});
//
// Thread-safety: not synchronized; one owner (the limiter serializes its
// updates).
#pragma once

#include <cstdint>
#include <string_view>

#include "faultline/core/clock.hpp"
#include "faultline/core/status.hpp"

namespace faultline::resilience {

// What one finished call tells the algorithm.
struct LimitSample {
  Duration rtt = Duration::zero();  // the call's round-trip time, >= 0
  std::uint32_t in_flight = 0;      // calls in flight when it finished, itself included
  bool dropped = false;             // timed out or refused for overload
};

// One round trip's samples, summarized.
class SampleWindow {
 public:
  // Adds a sample; true when the window holds at least `size` samples.
  bool add(const LimitSample& sample, double size) noexcept {
    ++count_;
    rtt_sum_ns_ += static_cast<double>(sample.rtt.count());
    if (sample.in_flight > max_in_flight_) max_in_flight_ = sample.in_flight;
    dropped_ = dropped_ || sample.dropped;
    return count_ >= size;
  }
  [[nodiscard]] std::uint32_t count() const noexcept { return count_; }
  [[nodiscard]] double average_rtt_ns() const noexcept {
    return count_ == 0 ? 0.0 : rtt_sum_ns_ / count_;
  }
  [[nodiscard]] std::uint32_t max_in_flight() const noexcept { return max_in_flight_; }
  [[nodiscard]] bool dropped() const noexcept { return dropped_; }
  void reset() noexcept { *this = SampleWindow(); }

 private:
  std::uint32_t count_ = 0;
  double rtt_sum_ns_ = 0;
  std::uint32_t max_in_flight_ = 0;
  bool dropped_ = false;
};

class LimitAlgorithm {
 public:
  virtual ~LimitAlgorithm() = default;
  // The current limit, always within the configured [min_limit, max_limit].
  [[nodiscard]] virtual std::uint32_t limit() const noexcept = 0;
  // Learns from one sample; returns the limit, which moves at most once
  // per window.
  virtual std::uint32_t update(const LimitSample& sample) noexcept = 0;
  [[nodiscard]] virtual std::string_view name() const noexcept = 0;
};

// The bounds every algorithm shares; `prefix` names the config in messages
// ("aimd_limit.min_limit must be >= 1, got 0").
[[nodiscard]] Status validate_limit_bounds(std::string_view prefix, std::uint32_t initial_limit,
                                           std::uint32_t min_limit, std::uint32_t max_limit);

}  // namespace faultline::resilience
