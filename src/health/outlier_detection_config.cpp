#include "faultline/health/outlier_detection_config.hpp"

#include <cmath>
#include <sstream>

namespace faultline::health {
namespace {

std::string nanos(Duration d) { return std::to_string(d.count()) + "ns"; }

}  // namespace

Status OutlierDetectionConfig::validate() const {
  const std::string prefix = name.empty() ? "outlier_detection." : "outlier_detection '" + name + "'.";
  auto invalid = [&](const std::string& what) { return Status::invalid_argument(prefix + what); };
  if (consecutive_failures < 1) return invalid("consecutive_failures must be >= 1, got 0");
  if (interval <= Duration::zero()) return invalid("interval must be > 0, got " + nanos(interval));
  if (base_ejection_time <= Duration::zero()) {
    return invalid("base_ejection_time must be > 0, got " + nanos(base_ejection_time));
  }
  if (max_ejection_time < base_ejection_time) {
    return invalid("max_ejection_time must be >= base_ejection_time (" + nanos(base_ejection_time) +
                   "), got " + nanos(max_ejection_time));
  }
  if (max_ejection_percent > 100) {
    return invalid("max_ejection_percent must be in [0, 100], got " + std::to_string(max_ejection_percent));
  }
  if (success_rate_minimum_hosts < 1) return invalid("success_rate_minimum_hosts must be >= 1, got 0");
  if (success_rate_request_volume < 1) return invalid("success_rate_request_volume must be >= 1, got 0");
  if (!std::isfinite(success_rate_stdev_factor) || success_rate_stdev_factor <= 0) {
    std::ostringstream out;
    out << "success_rate_stdev_factor must be a finite number > 0, got " << success_rate_stdev_factor;
    return invalid(out.str());
  }
  if (slow_call_threshold && *slow_call_threshold <= Duration::zero()) {
    return invalid("slow_call_threshold must be > 0 when set, got " + nanos(*slow_call_threshold));
  }
  return Status();
}

}  // namespace faultline::health
