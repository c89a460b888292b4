// PhiAccrualDetector: how suspicious it is that a peer has not been heard
// from, as a number (Hayashibara et al., "The phi accrual failure
// detector", 2004), with the parameters and defaults of Akka's detector.
//
// Feed it heartbeat(now) each time the peer is heard from; ask phi(now) or
// is_available(now) whenever a decision is due. phi is
// -log10(1 - F(time since the last heartbeat)), F the normal distribution
// fitted to the recent inter-arrival times (mean plus the acceptable pause,
// standard deviation at least min_std_deviation). phi = 1 means about a 10%
// chance the peer is merely late, 8 about 1e-8: the threshold is a choice of
// how many wrong suspicions to accept. Like Akka, F is approximated by the
// logistic function (error < 1e-4 in F), and the interval that ends a
// suspicion is kept out of the history so one long outage does not teach
// the detector that long silences are normal.
//
// No clock is read: every call takes the time, so the Raft node, the
// simulator and tests drive it with whatever time they own.
//
// Thread-safety: not synchronized; one owner (e.g. the node's event loop)
// or an external lock.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include "faultline/core/clock.hpp"
#include "faultline/core/status.hpp"
#include "faultline/health/heartbeat_window.hpp"

namespace faultline::health {

struct PhiAccrualConfig {
  // Suspect the peer once phi reaches this. Akka: 8.
  double threshold = 8.0;
  // How many inter-arrival times the estimate uses. Akka: 1000.
  std::size_t max_sample_size = 1000;
  // A floor under the standard deviation, so a perfectly regular peer is
  // not suspected the moment one heartbeat is late. Akka: 100 ms.
  Duration min_std_deviation = std::chrono::milliseconds(100);
  // Silence beyond the usual interval that is still normal (GC pauses,
  // a slow network): added to the mean. Akka: 3 s.
  Duration acceptable_heartbeat_pause = std::chrono::seconds(3);
  // The expected interval before any has been measured; seeds the window
  // with two samples, mean -/+ mean/4, as Akka does. Akka's
  // heartbeat-interval: 1 s.
  Duration first_heartbeat_estimate = std::chrono::seconds(1);
  // For messages only.
  std::string name = {};

  // Ok, or invalid_argument naming the field ("phi_accrual.threshold must
  // be > 0, got 0").
  [[nodiscard]] Status validate() const;
};

class PhiAccrualDetector {
 public:
  // Throws resilience::ConfigError if config.validate() fails.
  explicit PhiAccrualDetector(PhiAccrualConfig config = {});

  // The peer was heard from at `now`. A time before the last heartbeat's
  // (a reordered message) is ignored.
  void heartbeat(TimePoint now);

  // 0 before the first heartbeat (nothing is known, nothing suspected).
  [[nodiscard]] double phi(TimePoint now) const noexcept;
  [[nodiscard]] bool is_available(TimePoint now) const noexcept {
    return phi(now) < config_.threshold;
  }

  // Forgets every heartbeat, as if just constructed (a peer that restarted).
  void reset();

  [[nodiscard]] const PhiAccrualConfig& config() const noexcept { return config_; }
  [[nodiscard]] std::optional<TimePoint> last_heartbeat() const noexcept { return last_; }
  [[nodiscard]] const HeartbeatWindow& window() const noexcept { return window_; }

 private:
  void refresh_estimate() noexcept;

  PhiAccrualConfig config_;
  HeartbeatWindow window_;
  std::optional<TimePoint> last_;
  // The normal distribution's parameters, recomputed on each heartbeat so
  // phi() costs one exp and one log10.
  double mean_ms_ = 0;
  double std_deviation_ms_ = 0;
};

// The formula alone: phi for `elapsed_ms` since the last heartbeat under a
// normal distribution N(mean_ms, std_deviation_ms), with Akka's logistic
// approximation. Precondition: std_deviation_ms > 0.
[[nodiscard]] double phi_of(double elapsed_ms, double mean_ms, double std_deviation_ms) noexcept;

}  // namespace faultline::health
