// OutlierDetector: passive health checking. Ejects an endpoint from
// service when the results of real calls say it is failing, with Envoy's
// outlier-detection semantics (see outlier_detection_config.hpp).
//
// Put record() around each call to an endpoint (or record(name, status)
// with the call's Status); the detector ejects inline after N consecutive
// failures, and every `interval` on the Scheduler runs the success-rate
// sweep. An ejection ends exactly when its time is up (a timer on the
// Scheduler), never later. Subscribers learn every ejection and return;
// connect_to() feeds them into an EndpointSet, whose usable endpoints are
// then the ones not ejected (and actively healthy).
//
//   OutlierDetector detector(config, scheduler);
//   detector.add_endpoint("replica-1");
//   detector.connect_to(endpoint_set);
//   Status s = call("replica-1");
//   detector.record("replica-1", s);
//
// Why a record() call and not a listener on the resilience policies: their
// events (breaker state changes, retry attempts) carry no endpoint and
// describe the policy, not each call; the caller that picked the endpoint
// is the one place that knows both the endpoint and the outcome.
//
// Thread-safety: every member is safe from any thread. Listeners run under
// the detector's lock, in the order the changes happened; they must be
// quick and must not call back into the detector. Destroy the detector on
// the scheduler's thread or after the scheduler has stopped: its timers
// point at it.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "faultline/core/scheduler.hpp"
#include "faultline/core/status.hpp"
#include "faultline/health/call_result.hpp"
#include "faultline/health/outlier_detection_config.hpp"

namespace faultline::health {

class EndpointSet;

enum class EjectionReason : std::uint8_t { consecutive_failures, success_rate };

struct OutlierEvent {
  std::string endpoint;
  bool ejected = false;  // true: ejected; false: returned to service
  // For an ejection: why, and until when.
  EjectionReason reason = EjectionReason::consecutive_failures;
  TimePoint until = {};
  TimePoint at = {};
};

// One endpoint's view, for tests, metrics and the demo.
struct EndpointOutlierStats {
  bool ejected = false;
  TimePoint ejected_until = {};
  // The last ejection lasted this many base times; +1 per ejection, -1 per
  // full interval back in service.
  std::uint32_t ejection_multiplier = 0;
  std::uint64_t ejections_total = 0;
  std::uint32_t consecutive_failures = 0;
  std::uint64_t interval_successes = 0;    // this interval so far
  std::uint64_t interval_failures = 0;
  std::optional<Duration> last_latency = {};
};

class OutlierDetector {
 public:
  using Listener = std::function<void(const OutlierEvent&)>;
  using SubscriptionId = std::uint64_t;

  // Throws resilience::ConfigError if config.validate() fails. Starts the
  // interval timer on `scheduler`, which must outlive the detector.
  OutlierDetector(OutlierDetectionConfig config, Scheduler& scheduler);
  ~OutlierDetector();
  OutlierDetector(const OutlierDetector&) = delete;
  OutlierDetector& operator=(const OutlierDetector&) = delete;

  // The set of endpoints; max_ejection_percent is a share of it.
  // already_exists / not_found on a repeated add or an unknown remove.
  Status add_endpoint(const std::string& name);
  Status remove_endpoint(std::string_view name);

  // not_found for an endpoint never added; ok otherwise.
  Status record(std::string_view endpoint, CallResult result);
  Status record(std::string_view endpoint, const Status& call_status,
                std::optional<Duration> latency = {}) {
    return record(endpoint, to_call_result(call_status, latency));
  }

  [[nodiscard]] bool is_ejected(std::string_view endpoint) const;
  [[nodiscard]] std::size_t ejected_count() const;
  [[nodiscard]] std::optional<EndpointOutlierStats> stats(std::string_view endpoint) const;

  SubscriptionId subscribe(Listener listener);
  bool unsubscribe(SubscriptionId id);

  // Mirrors every ejection and return into `set` (set_ejected), starting
  // with the current state. The set must outlive the subscription.
  SubscriptionId connect_to(EndpointSet& set);

  [[nodiscard]] const OutlierDetectionConfig& config() const noexcept { return config_; }

 private:
  struct Endpoint {
    EndpointOutlierStats stats;
    std::uint64_t ejection_generation = 0;  // stale un-eject timers check it
    TimerId uneject_timer = 0;
    std::optional<TimePoint> returned_at;   // when it last came back
  };

  void eject_locked(const std::string& name, Endpoint& endpoint, EjectionReason reason,
                    TimePoint now);
  void uneject_locked(const std::string& name, Endpoint& endpoint, TimePoint now);
  [[nodiscard]] bool may_eject_locked() const;
  void sweep();
  void sweep_success_rate_locked(TimePoint now);
  void publish_locked(const OutlierEvent& event);
  void schedule_sweep_locked();

  const OutlierDetectionConfig config_;
  Scheduler& scheduler_;
  mutable std::mutex mutex_;
  std::map<std::string, Endpoint, std::less<>> endpoints_;
  std::size_t ejected_ = 0;
  std::vector<std::pair<SubscriptionId, Listener>> listeners_;
  SubscriptionId next_subscription_ = 1;
  TimerId sweep_timer_ = 0;
  bool stopping_ = false;
};

}  // namespace faultline::health
