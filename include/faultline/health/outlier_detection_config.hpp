// OutlierDetectionConfig: when the outlier detector ejects an endpoint and
// for how long. Names and defaults follow Envoy's outlier_detection
// (config.cluster.v3.OutlierDetection).
//
// Thread-safety: a value type.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "faultline/core/clock.hpp"
#include "faultline/core/status.hpp"

namespace faultline::health {

struct OutlierDetectionConfig {
  // Eject after this many failures in a row (Envoy's consecutive_5xx).
  std::uint32_t consecutive_failures = 5;
  bool enforce_consecutive_failures = true;

  // The success-rate sweep runs every interval; it also forgives (see
  // base_ejection_time).
  Duration interval = std::chrono::seconds(10);

  // An ejection lasts base_ejection_time x the endpoint's ejection
  // multiplier, capped at max_ejection_time. The multiplier goes up by one
  // at each ejection and down by one for each full interval the endpoint
  // then stays in service, so a flapping endpoint stays out longer and a
  // recovered one is eventually forgiven.
  Duration base_ejection_time = std::chrono::seconds(30);
  Duration max_ejection_time = std::chrono::seconds(300);

  // At most this share of the endpoints is ejected at once, so a total
  // outage does not empty the pool. As in Envoy, one endpoint may always
  // be ejected when none is (three replicas at 10% still eject one).
  std::uint32_t max_ejection_percent = 10;

  // Success-rate ejection: at each sweep, over the endpoints with at least
  // success_rate_request_volume calls in the interval (and only if there
  // are at least success_rate_minimum_hosts of them), eject those whose
  // success rate is below mean - success_rate_stdev_factor x stdev.
  // Envoy's stdev_factor is 1900 in thousandths; here it is 1.9.
  bool enforce_success_rate = true;
  std::uint32_t success_rate_minimum_hosts = 5;
  std::uint32_t success_rate_request_volume = 100;
  double success_rate_stdev_factor = 1.9;

  // When set, a successful call slower than this counts as a failure.
  std::optional<Duration> slow_call_threshold = {};

  // For messages only.
  std::string name = {};

  // Ok, or invalid_argument naming the field and the bad value.
  [[nodiscard]] Status validate() const;
};

}  // namespace faultline::health
