#include "faultline/health/heartbeat_window.hpp"

#include <algorithm>
#include <cmath>

namespace faultline::health {

HeartbeatWindow::HeartbeatWindow(std::size_t capacity) : samples_(std::max<std::size_t>(capacity, 1), 0) {}

void HeartbeatWindow::add(Duration interval) {
  const std::int64_t nanos = std::max<std::int64_t>(interval.count(), 0);
  if (size_ == samples_.size()) {
    const std::int64_t oldest = samples_[next_];
    sum_ -= oldest;
    sum_of_squares_ -= static_cast<unsigned __int128>(oldest) * static_cast<unsigned __int128>(oldest);
  } else {
    ++size_;
  }
  samples_[next_] = nanos;
  sum_ += nanos;
  sum_of_squares_ += static_cast<unsigned __int128>(nanos) * static_cast<unsigned __int128>(nanos);
  next_ = (next_ + 1) % samples_.size();
}

double HeartbeatWindow::mean_ms() const noexcept {
  if (size_ == 0) return 0;
  return static_cast<double>(sum_) / static_cast<double>(size_) / 1e6;
}

double HeartbeatWindow::std_deviation_ms() const noexcept {
  if (size_ == 0) return 0;
  // Variance = E[x^2] - E[x]^2, in long double: the sums are exact, only
  // this last step rounds.
  const long double n = static_cast<long double>(size_);
  const long double mean = static_cast<long double>(sum_) / n;
  const long double variance = static_cast<long double>(sum_of_squares_) / n - mean * mean;
  if (variance <= 0) return 0;
  return static_cast<double>(std::sqrt(variance) / 1e6L);
}

}  // namespace faultline::health
