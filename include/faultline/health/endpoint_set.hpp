// EndpointSet: the endpoints a client may call and which of them are
// usable now: the union of the active checker's verdict and the outlier
// detector's (usable = actively healthy AND not ejected), with Envoy's
// panic threshold.
//
// The active checker calls set_active_healthy() from its change callback;
// an OutlierDetector calls set_ejected() through connect_to(). Every
// change publishes a new immutable EndpointSnapshot (copy-on-write) and
// notifies subscribers with it. Readers take the snapshot and pick from it
// with a Picker (pickers.hpp); SnapshotReader makes that read one atomic
// load when nothing changed.
//
//   EndpointSet set({.panic_threshold_percent = 50});
//   set.add("a"); set.add("b"); set.add("c");
//   checker.on_change([&](const std::string& e, bool ok) { set.set_active_healthy(e, ok); });
//   PowerOfTwoChoicesPicker picker(random);
//   SnapshotReader reader(set);
//   const EndpointView* e = picker.pick(reader.current());
//   OutstandingRequest request(*e);   // while the call runs
//
// Thread-safety: every member is safe from any thread. Changes are
// serialized; listeners run on the changing thread, one change at a time,
// in version order. A listener may read the set (snapshot(), version())
// but must not change it or its subscriptions (that would deadlock), and
// should be quick: the next change waits for it.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "faultline/core/status.hpp"
#include "faultline/health/endpoint_snapshot.hpp"

namespace faultline::health {

struct EndpointSetConfig {
  // Below this share of usable endpoints (percent, 0..100), route to all
  // of them. Envoy: 50. 0 disables panic mode.
  std::uint32_t panic_threshold_percent = 50;

  // Ok, or invalid_argument naming the field.
  [[nodiscard]] Status validate() const;
};

class EndpointSet {
 public:
  using Listener = std::function<void(const EndpointSnapshot&)>;
  using SubscriptionId = std::uint64_t;

  // Throws resilience::ConfigError if config.validate() fails.
  explicit EndpointSet(EndpointSetConfig config = {});
  EndpointSet(const EndpointSet&) = delete;
  EndpointSet& operator=(const EndpointSet&) = delete;

  // A new endpoint starts actively healthy and not ejected (an active
  // checker that starts pessimistic marks it down on its first verdict).
  // invalid_argument for an empty name, already_exists for a duplicate.
  Status add(const std::string& name);
  // not_found for an unknown name.
  Status remove(std::string_view name);

  // The two verdicts. not_found for an unknown name; setting the current
  // value is ok and publishes nothing.
  Status set_active_healthy(std::string_view name, bool healthy);
  Status set_ejected(std::string_view name, bool ejected);

  // The current snapshot; never null.
  [[nodiscard]] std::shared_ptr<const EndpointSnapshot> snapshot() const;
  // The current snapshot's version: one atomic load.
  [[nodiscard]] std::uint64_t version() const noexcept {
    return version_.load(std::memory_order_acquire);
  }

  // `listener` runs on every change with the new snapshot (not at once).
  SubscriptionId subscribe(Listener listener);
  bool unsubscribe(SubscriptionId id);

  [[nodiscard]] const EndpointSetConfig& config() const noexcept { return config_; }

 private:
  struct State {
    bool active_healthy = true;
    bool ejected = false;
    std::shared_ptr<EndpointLoad> load = std::make_shared<EndpointLoad>();
  };

  // Runs `mutate` (returning whether it changed anything, or an error)
  // under the lock, then publishes and notifies.
  template <class Mutate>
  Status change(Mutate&& mutate);
  std::shared_ptr<const EndpointSnapshot> publish_locked();

  const EndpointSetConfig config_;
  std::mutex notify_mutex_;  // orders notifications; guards listeners_
  mutable std::mutex mutex_;  // guards the state
  std::map<std::string, State, std::less<>> endpoints_;
  std::shared_ptr<const EndpointSnapshot> current_;
  std::atomic<std::uint64_t> version_{0};
  std::vector<std::pair<SubscriptionId, Listener>> listeners_;
  SubscriptionId next_subscription_ = 1;
};

// A reader's cached snapshot: current() costs one atomic load while the
// set is unchanged and takes the set's lock only to fetch a new one.
// Thread-safety: one reader per thread (it is not synchronized); the set
// must outlive it. A reference from current() stays valid until the next
// current() call on the same reader.
class SnapshotReader {
 public:
  explicit SnapshotReader(const EndpointSet& set) : set_(&set), cached_(set.snapshot()) {}

  const EndpointSnapshot& current() {
    if (set_->version() != cached_->version()) cached_ = set_->snapshot();
    return *cached_;
  }
  [[nodiscard]] std::shared_ptr<const EndpointSnapshot> shared() {
    current();
    return cached_;
  }

 private:
  const EndpointSet* set_;
  std::shared_ptr<const EndpointSnapshot> cached_;
};

}  // namespace faultline::health
