// EventHub: listeners for a policy's events (state changes, retries,
// rejections).
//
// Every policy owns one EventHub per event type. Listeners run synchronously
// on the thread that caused the event, so they must be quick and must not
// call back into the same policy. When no listener is registered, publishing
// costs one relaxed atomic load: policies publish on their hot paths freely.
//
//   breaker.events().subscribe([](const CircuitBreakerEvent& e) { log(e); });
//
// Thread-safety: subscribe(), unsubscribe() and publish() are safe from any
// thread, concurrently.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

namespace faultline::resilience {

template <class Event>
class EventHub {
 public:
  using Listener = std::function<void(const Event&)>;
  using SubscriptionId = std::uint64_t;

  SubscriptionId subscribe(Listener listener) {
    std::lock_guard lock(mutex_);
    auto next = std::make_shared<std::vector<Entry>>(*listeners_);
    const SubscriptionId id = next_id_++;
    next->push_back(Entry{id, std::move(listener)});
    listeners_ = std::move(next);
    has_listeners_.store(true, std::memory_order_release);
    return id;
  }

  bool unsubscribe(SubscriptionId id) {
    std::lock_guard lock(mutex_);
    auto next = std::make_shared<std::vector<Entry>>();
    for (const auto& entry : *listeners_) {
      if (entry.id != id) next->push_back(entry);
    }
    const bool removed = next->size() != listeners_->size();
    has_listeners_.store(!next->empty(), std::memory_order_release);
    listeners_ = std::move(next);
    return removed;
  }

  [[nodiscard]] bool has_listeners() const noexcept {
    return has_listeners_.load(std::memory_order_acquire);
  }

  // `make_event` is called only when someone listens, so building an event
  // (strings, timestamps) costs nothing otherwise.
  template <class MakeEvent>
  void publish_lazy(MakeEvent&& make_event) const {
    if (!has_listeners()) return;
    publish(make_event());
  }

  void publish(const Event& event) const {
    if (!has_listeners()) return;
    std::shared_ptr<const std::vector<Entry>> snapshot;
    {
      std::lock_guard lock(mutex_);
      snapshot = listeners_;
    }
    // Called outside the lock, on a snapshot: a listener may subscribe.
    for (const auto& entry : *snapshot) entry.listener(event);
  }

 private:
  struct Entry {
    SubscriptionId id;
    Listener listener;
  };
  mutable std::mutex mutex_;
  std::shared_ptr<const std::vector<Entry>> listeners_ = std::make_shared<std::vector<Entry>>();
  std::atomic<bool> has_listeners_{false};
  SubscriptionId next_id_ = 1;
};

}  // namespace faultline::resilience
