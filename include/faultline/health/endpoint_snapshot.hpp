// EndpointSnapshot: one immutable view of an EndpointSet: every endpoint
// with its verdicts, the usable ones, and whether the set is in panic.
//
// Pickers choose from routable(): the usable endpoints, or, in panic (the
// usable share below the panic threshold, as Envoy does), all of them,
// because sending everything to the few survivors would overload them
// too. A snapshot never changes; the set publishes a new one on every
// change (copy-on-write), so reading one needs no lock.
//
// Each endpoint carries a live counter of outstanding requests, shared by
// every snapshot of the same set: an OutstandingRequest built from the
// picked endpoint counts a call until it is finished or destroyed.
// The least-outstanding and power-of-two pickers read these counters.
//
// Thread-safety: a snapshot is immutable and safe to read from any thread;
// the outstanding counters are atomics.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace faultline::health {

// The live part of an endpoint, shared across snapshots.
struct EndpointLoad {
  std::atomic<std::int64_t> outstanding{0};
};

struct EndpointView {
  std::string name;
  bool active_healthy = true;  // the active checker's verdict
  bool ejected = false;        // the outlier detector's verdict
  std::shared_ptr<EndpointLoad> load;

  [[nodiscard]] bool usable() const noexcept { return active_healthy && !ejected; }
  [[nodiscard]] std::int64_t outstanding() const noexcept {
    return load->outstanding.load(std::memory_order_relaxed);
  }
};

// Counts one request against an endpoint while it lives. Movable, not
// copyable; finish() or the destructor gives the count back exactly once.
class OutstandingRequest {
 public:
  OutstandingRequest() = default;
  explicit OutstandingRequest(const EndpointView& endpoint);
  OutstandingRequest(OutstandingRequest&& other) noexcept;
  OutstandingRequest& operator=(OutstandingRequest&& other) noexcept;
  OutstandingRequest(const OutstandingRequest&) = delete;
  OutstandingRequest& operator=(const OutstandingRequest&) = delete;
  ~OutstandingRequest() { finish(); }

  void finish() noexcept;
  [[nodiscard]] bool active() const noexcept { return load_ != nullptr; }

 private:
  std::shared_ptr<EndpointLoad> load_;  // keeps a removed endpoint's counter alive
};

class EndpointSnapshot {
 public:
  // `endpoints` sorted by name, names unique; panic_threshold_percent in
  // [0, 100].
  EndpointSnapshot(std::uint64_t version, std::vector<EndpointView> endpoints,
                   std::uint32_t panic_threshold_percent);

  // Starts at 1 and grows by one with every change of the set.
  [[nodiscard]] std::uint64_t version() const noexcept { return version_; }
  // Every endpoint, by name.
  [[nodiscard]] std::span<const EndpointView> all() const noexcept { return endpoints_; }
  // Usable endpoints (active-healthy and not ejected), by name.
  [[nodiscard]] std::span<const EndpointView* const> usable() const noexcept { return usable_; }
  // True when the usable share is below the panic threshold (and the set
  // is not empty).
  [[nodiscard]] bool panic() const noexcept { return panic_; }
  // What to route to: usable(), or every endpoint in panic.
  [[nodiscard]] std::span<const EndpointView* const> routable() const noexcept {
    return panic_ ? std::span<const EndpointView* const>(all_) : std::span<const EndpointView* const>(usable_);
  }
  // Null if no endpoint has that name.
  [[nodiscard]] const EndpointView* find(std::string_view name) const noexcept;

 private:
  std::uint64_t version_;
  std::vector<EndpointView> endpoints_;
  std::vector<const EndpointView*> all_;
  std::vector<const EndpointView*> usable_;
  bool panic_ = false;
};

}  // namespace faultline::health
