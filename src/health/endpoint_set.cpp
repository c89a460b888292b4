#include "faultline/health/endpoint_set.hpp"

#include "faultline/core/result.hpp"
#include "faultline/resilience/config_error.hpp"

namespace faultline::health {
namespace {

Status unknown(std::string_view name) {
  return Status::not_found("no endpoint '" + std::string(name) + "' in the set");
}

}  // namespace

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
  (void)publish_locked();
}

Status EndpointSet::add(const std::string& name) {
  if (name.empty()) return Status::invalid_argument("endpoint name must not be empty");
  return change([&]() -> Result<bool> {
    if (!endpoints_.emplace(name, State{}).second) {
      return Status::already_exists("endpoint '" + name + "' is already in the set");
    }
    return true;
  });
}

Status EndpointSet::remove(std::string_view name) {
  return change([&]() -> Result<bool> {
    const auto it = endpoints_.find(name);
    if (it == endpoints_.end()) return unknown(name);
    endpoints_.erase(it);
    return true;
  });
}

Status EndpointSet::set_active_healthy(std::string_view name, bool healthy) {
  return change([&]() -> Result<bool> {
    const auto it = endpoints_.find(name);
    if (it == endpoints_.end()) return unknown(name);
    if (it->second.active_healthy == healthy) return false;
    it->second.active_healthy = healthy;
    return true;
  });
}

Status EndpointSet::set_ejected(std::string_view name, bool ejected) {
  return change([&]() -> Result<bool> {
    const auto it = endpoints_.find(name);
    if (it == endpoints_.end()) return unknown(name);
    if (it->second.ejected == ejected) return false;
    it->second.ejected = ejected;
    return true;
  });
}

template <class Mutate>
Status EndpointSet::change(Mutate&& mutate) {
  // notify_mutex_ is held from the change through its notification, so
  // listeners see snapshots in version order; mutex_ only while the state
  // changes, so a listener may still read the set.
  std::lock_guard notify(notify_mutex_);
  std::shared_ptr<const EndpointSnapshot> published;
  {
    std::lock_guard lock(mutex_);
    Result<bool> changed = mutate();
    if (!changed.ok()) return changed.status();
    if (!*changed) return Status();
    published = publish_locked();
  }
  for (const auto& [id, listener] : listeners_) listener(*published);
  return Status();
}

std::shared_ptr<const EndpointSnapshot> EndpointSet::snapshot() const {
  std::lock_guard lock(mutex_);
  return current_;
}

EndpointSet::SubscriptionId EndpointSet::subscribe(Listener listener) {
  std::lock_guard lock(notify_mutex_);
  const SubscriptionId id = next_subscription_++;
  listeners_.emplace_back(id, std::move(listener));
  return id;
}

bool EndpointSet::unsubscribe(SubscriptionId id) {
  std::lock_guard lock(notify_mutex_);
  for (auto it = listeners_.begin(); it != listeners_.end(); ++it) {
    if (it->first == id) {
      listeners_.erase(it);
      return true;
    }
  }
  return false;
}

std::shared_ptr<const EndpointSnapshot> EndpointSet::publish_locked() {
  std::vector<EndpointView> views;
  views.reserve(endpoints_.size());
  for (const auto& [name, state] : endpoints_) {
    views.push_back(EndpointView{name, state.active_healthy, state.ejected, state.load});
  }
  const std::uint64_t version = version_.load(std::memory_order_relaxed) + 1;
  current_ = std::make_shared<const EndpointSnapshot>(version, std::move(views),
                                                      config_.panic_threshold_percent);
  version_.store(version, std::memory_order_release);
  return current_;
}

}  // namespace faultline::health
