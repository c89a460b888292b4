// HeartbeatWindow: the last N heartbeat inter-arrival times and their
// mean and standard deviation, for the phi-accrual failure detector.
//
// Use it through PhiAccrualDetector (phi_accrual_detector.hpp); it stands
// alone so its arithmetic can be tested on its own. The sums are kept in
// integer nanoseconds (the squares in 128 bits), so a window that slides
// for days never drifts the way running floating-point sums do.
//
// Thread-safety: a value type; not synchronized.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "faultline/core/clock.hpp"

namespace faultline::health {

class HeartbeatWindow {
 public:
  // Precondition: capacity >= 1 (the detector's config validates it).
  explicit HeartbeatWindow(std::size_t capacity);

  // Appends an interval, dropping the oldest once the window is full.
  // Negative intervals are clamped to zero (time never goes backwards).
  void add(Duration interval);

  [[nodiscard]] std::size_t size() const noexcept { return size_; }
  [[nodiscard]] std::size_t capacity() const noexcept { return samples_.size(); }
  // Both 0 for an empty window.
  [[nodiscard]] double mean_ms() const noexcept;
  // The population standard deviation, as Akka's detector uses.
  [[nodiscard]] double std_deviation_ms() const noexcept;

 private:
  std::vector<std::int64_t> samples_;  // a ring of nanosecond intervals
  std::size_t next_ = 0;
  std::size_t size_ = 0;
  std::int64_t sum_ = 0;
  unsigned __int128 sum_of_squares_ = 0;
};

}  // namespace faultline::health
