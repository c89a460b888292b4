#include "faultline/resilience/circuit_breaker_config.hpp"

#include <cmath>
#include <cstdio>
#include <string>
#include <utility>

#include "faultline/core/assert.hpp"

namespace faultline::resilience {
namespace {

std::string format_number(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%g", value);
  return buffer;
}

std::string format_duration(Duration duration) { return std::to_string(duration.count()) + "ns"; }

Status invalid(std::string_view field, std::string_view requirement, const std::string& got) {
  std::string message(field);
  message.append(" must be ").append(requirement).append(", got ").append(got);
  return Status::invalid_argument(message);
}

// NaN fails every comparison, so "in (0, 100]" written as a positive test
// rejects it too.
Status check_percent(std::string_view field, double percent) {
  if (percent > 0 && percent <= 100) return Status();
  return invalid(field, "in (0, 100]", format_number(percent));
}

Status check_positive(std::string_view field, const std::optional<Duration>& duration) {
  if (!duration || *duration > Duration::zero()) return Status();
  return invalid(field, "> 0 when set", format_duration(*duration));
}

Status check_window(const CircuitBreakerConfig& config) {
  const bool by_count = config.window_type == SlidingWindowType::count_based;
  const std::uint32_t max = by_count ? CircuitBreakerConfig::kWindowSizeCallsMax
                                     : CircuitBreakerConfig::kWindowSizeSecondsMax;
  const char* field = "circuit_breaker.window_size";
  if (config.window_size < 1) return invalid(field, ">= 1", std::to_string(config.window_size));
  if (config.window_size > max) {
    return invalid(field, by_count ? "<= 1000000 calls" : "<= 86400 seconds",
                   std::to_string(config.window_size));
  }
  if (config.minimum_calls < 1) {
    return invalid("circuit_breaker.minimum_calls", ">= 1", std::to_string(config.minimum_calls));
  }
  return Status();
}

Status check_half_open(const CircuitBreakerConfig& config) {
  const char* field = "circuit_breaker.permitted_calls_in_half_open";
  const std::uint32_t permitted = config.permitted_calls_in_half_open;
  if (permitted < 1) return invalid(field, ">= 1", std::to_string(permitted));
  if (permitted > CircuitBreakerConfig::kPermittedCallsInHalfOpenMax) {
    return invalid(field, "<= 1000000", std::to_string(permitted));
  }
  return check_positive("circuit_breaker.max_wait_in_half_open", config.max_wait_in_half_open);
}

}  // namespace

OpenWait::OpenWait(Kind kind, Duration initial, double multiplier, Duration max,
                   std::function<Duration(std::uint32_t)> custom)
    : kind_(kind), initial_(initial), multiplier_(multiplier), max_(max), custom_(std::move(custom)) {}

OpenWait OpenWait::fixed(Duration wait) { return OpenWait(Kind::fixed, wait, 1.0, wait, nullptr); }

OpenWait OpenWait::exponential(Duration initial, double multiplier, Duration max) {
  return OpenWait(Kind::exponential, initial, multiplier, max, nullptr);
}

OpenWait OpenWait::custom(std::function<Duration(std::uint32_t consecutive_trips)> wait) {
  return OpenWait(Kind::custom, Duration::zero(), 1.0, Duration::zero(), std::move(wait));
}

Duration OpenWait::for_trip(std::uint32_t consecutive_trips) const {
  const std::uint32_t trips = consecutive_trips == 0 ? 1 : consecutive_trips;
  switch (kind_) {
    case Kind::fixed:
      return initial_;
    case Kind::exponential: {
      // In double, so a long streak saturates at max instead of overflowing.
      const double grown = static_cast<double>(initial_.count()) *
                           std::pow(multiplier_, static_cast<double>(trips - 1));
      if (!(grown < static_cast<double>(max_.count()))) return max_;
      return Duration(static_cast<Duration::rep>(grown));
    }
    case Kind::custom: {
      FAULTLINE_ASSERT(custom_ != nullptr, "OpenWait::custom without a function");
      const Duration wait = custom_(trips);
      return wait < Duration::zero() ? Duration::zero() : wait;
    }
  }
  FAULTLINE_ASSERT(false, "unknown OpenWait kind");
  return initial_;
}

Status OpenWait::validate(std::string_view field) const {
  const std::string base(field);
  switch (kind_) {
    case Kind::fixed:
      if (initial_ < Duration::zero()) return invalid(base, ">= 0", format_duration(initial_));
      return Status();
    case Kind::exponential:
      if (initial_ < Duration::zero()) {
        return invalid(base + ".initial", ">= 0", format_duration(initial_));
      }
      if (!(multiplier_ >= 1.0) || !std::isfinite(multiplier_)) {
        return invalid(base + ".multiplier", ">= 1 and finite", format_number(multiplier_));
      }
      if (max_ < initial_) {
        return invalid(base + ".max", ">= initial (" + format_duration(initial_) + ")",
                       format_duration(max_));
      }
      return Status();
    case Kind::custom:
      if (custom_ == nullptr) return invalid(base + ".custom", "a function", "an empty one");
      return Status();
  }
  return Status::internal("unknown OpenWait kind");
}

Status CircuitBreakerConfig::validate() const {
  if (name.empty()) return invalid("circuit_breaker.name", "non-empty", "\"\"");
  if (Status status = check_window(*this); !status.ok()) return status;
  if (Status status = check_percent("circuit_breaker.failure_rate_threshold_percent",
                                    failure_rate_threshold_percent);
      !status.ok()) {
    return status;
  }
  if (Status status = check_percent("circuit_breaker.slow_call_rate_threshold_percent",
                                    slow_call_rate_threshold_percent);
      !status.ok()) {
    return status;
  }
  if (Status status = check_positive("circuit_breaker.slow_call_duration", slow_call_duration);
      !status.ok()) {
    return status;
  }
  if (Status status = wait_in_open.validate("circuit_breaker.wait_in_open"); !status.ok()) {
    return status;
  }
  return check_half_open(*this);
}

}  // namespace faultline::resilience
