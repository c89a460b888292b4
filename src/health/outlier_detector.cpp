#include "faultline/health/outlier_detector.hpp"

#include <algorithm>
#include <cmath>
#include <utility>

#include "faultline/health/endpoint_set.hpp"
#include "faultline/resilience/config_error.hpp"

namespace faultline::health {
namespace {

Status unknown_endpoint(std::string_view name) {
  return Status::not_found("outlier detector has no endpoint '" + std::string(name) + "'");
}

}  // namespace

OutlierDetector::OutlierDetector(OutlierDetectionConfig config, Scheduler& scheduler)
    : config_((resilience::throw_if_invalid(config.validate()), std::move(config))),
      scheduler_(scheduler) {
  std::lock_guard lock(mutex_);
  schedule_sweep_locked();
}

OutlierDetector::~OutlierDetector() {
  std::lock_guard lock(mutex_);
  stopping_ = true;
  scheduler_.cancel(sweep_timer_);
  for (auto& [name, endpoint] : endpoints_) {
    if (endpoint.uneject_timer != 0) scheduler_.cancel(endpoint.uneject_timer);
  }
}

Status OutlierDetector::add_endpoint(const std::string& name) {
  if (name.empty()) return Status::invalid_argument("endpoint name must not be empty");
  std::lock_guard lock(mutex_);
  if (!endpoints_.emplace(name, Endpoint{}).second) {
    return Status::already_exists("outlier detector already has endpoint '" + name + "'");
  }
  return Status();
}

Status OutlierDetector::remove_endpoint(std::string_view name) {
  std::lock_guard lock(mutex_);
  const auto it = endpoints_.find(name);
  if (it == endpoints_.end()) return unknown_endpoint(name);
  if (it->second.stats.ejected) --ejected_;
  if (it->second.uneject_timer != 0) scheduler_.cancel(it->second.uneject_timer);
  endpoints_.erase(it);
  return Status();
}

Status OutlierDetector::record(std::string_view name, CallResult result) {
  std::lock_guard lock(mutex_);
  const auto it = endpoints_.find(name);
  if (it == endpoints_.end()) return unknown_endpoint(name);
  if (result.outcome == CallOutcome::ignored) return Status();
  Endpoint& endpoint = it->second;
  EndpointOutlierStats& stats = endpoint.stats;
  if (result.latency) stats.last_latency = result.latency;
  bool failed = result.outcome == CallOutcome::failure;
  if (!failed && result.latency && config_.slow_call_threshold &&
      *result.latency > *config_.slow_call_threshold) {
    failed = true;
  }
  if (!failed) {
    ++stats.interval_successes;
    stats.consecutive_failures = 0;
    return Status();
  }
  ++stats.interval_failures;
  ++stats.consecutive_failures;
  if (config_.enforce_consecutive_failures && !stats.ejected &&
      stats.consecutive_failures >= config_.consecutive_failures && may_eject_locked()) {
    eject_locked(it->first, endpoint, EjectionReason::consecutive_failures, scheduler_.clock().now());
  }
  return Status();
}

bool OutlierDetector::is_ejected(std::string_view name) const {
  std::lock_guard lock(mutex_);
  const auto it = endpoints_.find(name);
  return it != endpoints_.end() && it->second.stats.ejected;
}

std::size_t OutlierDetector::ejected_count() const {
  std::lock_guard lock(mutex_);
  return ejected_;
}

std::optional<EndpointOutlierStats> OutlierDetector::stats(std::string_view name) const {
  std::lock_guard lock(mutex_);
  const auto it = endpoints_.find(name);
  if (it == endpoints_.end()) return std::nullopt;
  return it->second.stats;
}

OutlierDetector::SubscriptionId OutlierDetector::subscribe(Listener listener) {
  std::lock_guard lock(mutex_);
  const SubscriptionId id = next_subscription_++;
  listeners_.emplace_back(id, std::move(listener));
  return id;
}

bool OutlierDetector::unsubscribe(SubscriptionId id) {
  std::lock_guard lock(mutex_);
  for (auto it = listeners_.begin(); it != listeners_.end(); ++it) {
    if (it->first == id) {
      listeners_.erase(it);
      return true;
    }
  }
  return false;
}

OutlierDetector::SubscriptionId OutlierDetector::connect_to(EndpointSet& set) {
  std::lock_guard lock(mutex_);
  for (const auto& [name, endpoint] : endpoints_) {
    (void)set.set_ejected(name, endpoint.stats.ejected);  // endpoints the set lacks are its business
  }
  const SubscriptionId id = next_subscription_++;
  listeners_.emplace_back(id, [&set](const OutlierEvent& event) {
    (void)set.set_ejected(event.endpoint, event.ejected);
  });
  return id;
}

bool OutlierDetector::may_eject_locked() const {
  // Envoy lets one endpoint go even when the percentage rounds to none;
  // beyond that, the ejected share after this ejection must stay within
  // the maximum.
  if (ejected_ == 0) return true;
  return (ejected_ + 1) * 100 <= static_cast<std::size_t>(config_.max_ejection_percent) * endpoints_.size();
}

void OutlierDetector::eject_locked(const std::string& name, Endpoint& endpoint, EjectionReason reason,
                                   TimePoint now) {
  EndpointOutlierStats& stats = endpoint.stats;
  // The multiplier stops growing once the cap is reached, so forgiveness
  // (one step per healthy interval) is not pushed back indefinitely.
  const auto cap = static_cast<std::uint32_t>(
      (config_.max_ejection_time.count() + config_.base_ejection_time.count() - 1) /
      config_.base_ejection_time.count());
  stats.ejection_multiplier = std::min(stats.ejection_multiplier + 1, std::max<std::uint32_t>(cap, 1));
  const Duration duration =
      std::min(config_.base_ejection_time * stats.ejection_multiplier, config_.max_ejection_time);
  stats.ejected = true;
  stats.ejected_until = now + duration;
  stats.consecutive_failures = 0;
  ++stats.ejections_total;
  ++ejected_;
  const std::uint64_t generation = ++endpoint.ejection_generation;
  endpoint.uneject_timer = scheduler_.schedule_at(stats.ejected_until, [this, name, generation] {
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    const auto it = endpoints_.find(name);
    if (it == endpoints_.end() || !it->second.stats.ejected ||
        it->second.ejection_generation != generation) {
      return;
    }
    uneject_locked(it->first, it->second, scheduler_.clock().now());
  });
  publish_locked(OutlierEvent{name, true, reason, stats.ejected_until, now});
}

void OutlierDetector::uneject_locked(const std::string& name, Endpoint& endpoint, TimePoint now) {
  endpoint.stats.ejected = false;
  endpoint.stats.consecutive_failures = 0;
  endpoint.uneject_timer = 0;
  endpoint.returned_at = now;
  --ejected_;
  publish_locked(OutlierEvent{name, false, EjectionReason::consecutive_failures, {}, now});
}

void OutlierDetector::schedule_sweep_locked() {
  sweep_timer_ = scheduler_.schedule_after(config_.interval, [this] { sweep(); });
}

void OutlierDetector::sweep() {
  std::lock_guard lock(mutex_);
  if (stopping_) return;
  const TimePoint now = scheduler_.clock().now();
  for (auto& [name, endpoint] : endpoints_) {
    EndpointOutlierStats& stats = endpoint.stats;
    // Forgive one step for each full interval spent back in service.
    if (!stats.ejected && stats.ejection_multiplier > 0 && endpoint.returned_at &&
        now - *endpoint.returned_at >= config_.interval) {
      --stats.ejection_multiplier;
    }
  }
  if (config_.enforce_success_rate) sweep_success_rate_locked(now);
  for (auto& [name, endpoint] : endpoints_) {
    endpoint.stats.interval_successes = 0;
    endpoint.stats.interval_failures = 0;
  }
  schedule_sweep_locked();
}

void OutlierDetector::sweep_success_rate_locked(TimePoint now) {
  struct Candidate {
    double rate;
    std::map<std::string, Endpoint, std::less<>>::iterator it;
  };
  std::vector<Candidate> candidates;
  for (auto it = endpoints_.begin(); it != endpoints_.end(); ++it) {
    const EndpointOutlierStats& stats = it->second.stats;
    const std::uint64_t volume = stats.interval_successes + stats.interval_failures;
    if (stats.ejected || volume < config_.success_rate_request_volume) continue;
    candidates.push_back({100.0 * static_cast<double>(stats.interval_successes) / static_cast<double>(volume), it});
  }
  if (candidates.size() < config_.success_rate_minimum_hosts) return;
  double sum = 0;
  for (const Candidate& c : candidates) sum += c.rate;
  const double mean = sum / static_cast<double>(candidates.size());
  double squares = 0;
  for (const Candidate& c : candidates) squares += (c.rate - mean) * (c.rate - mean);
  const double stdev = std::sqrt(squares / static_cast<double>(candidates.size()));
  const double threshold = mean - config_.success_rate_stdev_factor * stdev;
  // Worst first, so the ejection cap takes the worst endpoints out.
  std::stable_sort(candidates.begin(), candidates.end(),
                   [](const Candidate& a, const Candidate& b) { return a.rate < b.rate; });
  for (const Candidate& c : candidates) {
    if (c.rate >= threshold) break;
    if (!may_eject_locked()) break;
    eject_locked(c.it->first, c.it->second, EjectionReason::success_rate, now);
  }
}

void OutlierDetector::publish_locked(const OutlierEvent& event) {
  for (const auto& [id, listener] : listeners_) listener(event);
}

}  // namespace faultline::health
