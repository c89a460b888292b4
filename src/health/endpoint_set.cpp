#include "faultline/health/endpoint_set.hpp"

#include "faultline/resilience/config_error.hpp"

namespace faultline::health {

Status EndpointSetConfig::validate() const {
  if (panic_threshold_percent > 100) {
    return Status::invalid_argument("endpoint_set.panic_threshold_percent must be in [0, 100], got " +
                                    std::to_string(panic_threshold_percent));
  }
  return Status();
}

EndpointSet::EndpointSet(EndpointSetConfig config)
    : config_((resilience::throw_if_invalid(config.validate()), config)) {
  std::lock_guard lock(mutex_);
  publish_locked();
}

Status EndpointSet::add(const std::string& name) {
  if (name.empty()) return Status::invalid_argument("endpoint name must not be empty");
  std::lock_guard lock(mutex_);
  if (!endpoints_.emplace(name, State{}).second) {
    return Status::already_exists("endpoint '" + name + "' is already in the set");
  }
  publish_locked();
  return Status();
}

Status EndpointSet::remove(std::string_view name) {
  std::lock_guard lock(mutex_);
  const auto it = endpoints_.find(name);
  if (it == endpoints_.end()) return Status::not_found("no endpoint '" + std::string(name) + "' in the set");
  endpoints_.erase(it);
  publish_locked();
  return Status();
}

Status EndpointSet::set_active_healthy(std::string_view name, bool healthy) {
  std::lock_guard lock(mutex_);
  const auto it = endpoints_.find(name);
  if (it == endpoints_.end()) return Status::not_found("no endpoint '" + std::string(name) + "' in the set");
  if (it->second.active_healthy == healthy) return Status();
  it->second.active_healthy = healthy;
  publish_locked();
  return Status();
}

Status EndpointSet::set_ejected(std::string_view name, bool ejected) {
  std::lock_guard lock(mutex_);
  const auto it = endpoints_.find(name);
  if (it == endpoints_.end()) return Status::not_found("no endpoint '" + std::string(name) + "' in the set");
  if (it->second.ejected == ejected) return Status();
  it->second.ejected = ejected;
  publish_locked();
  return Status();
}

std::shared_ptr<const EndpointSnapshot> EndpointSet::snapshot() const {
  std::lock_guard lock(mutex_);
  return current_;
}

EndpointSet::SubscriptionId EndpointSet::subscribe(Listener listener) {
  std::lock_guard lock(mutex_);
  const SubscriptionId id = next_subscription_++;
  listeners_.emplace_back(id, std::move(listener));
  return id;
}

bool EndpointSet::unsubscribe(SubscriptionId id) {
  std::lock_guard lock(mutex_);
  for (auto it = listeners_.begin(); it != listeners_.end(); ++it) {
    if (it->first == id) {
      listeners_.erase(it);
      return true;
    }
  }
  return false;
}

void EndpointSet::publish_locked() {
  std::vector<EndpointView> views;
  views.reserve(endpoints_.size());
  for (const auto& [name, state] : endpoints_) {
    views.push_back(EndpointView{name, state.active_healthy, state.ejected, state.load});
  }
  const std::uint64_t version = version_.load(std::memory_order_relaxed) + 1;
  current_ = std::make_shared<const EndpointSnapshot>(version, std::move(views),
                                                      config_.panic_threshold_percent);
  version_.store(version, std::memory_order_release);
  if (version == 1) return;  // the constructor's empty set is news to no one
  for (const auto& [id, listener] : listeners_) listener(*current_);
}

}  // namespace faultline::health
