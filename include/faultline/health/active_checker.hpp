// ActiveChecker: probes a set of endpoints and reports when a verdict flips.
//
// Each endpoint has its own probe (HTTP GET, TCP connect or a custom async
// function), interval, jitter, timeout and thresholds (probe_config.hpp).
// All endpoints share one Scheduler for their timers and one Asio
// io_context for their sockets: thousands of endpoints cost thousands of
// timers and sockets on one event loop, never a thread each. A probe's
// result goes through a ThresholdTracker; when the verdict flips, the
// callback hears (endpoint name, healthy). That callback is how a healthy
// endpoint set learns about active verdicts.
//
//   boost::asio::io_context io;
//   AsioScheduler scheduler(io);
//   ActiveChecker checker(scheduler, &io, Random(seed),
//                         [&](const std::string& name, bool healthy) { set.set_active_healthy(name, healthy); });
//   checker.add(config);     // Status: invalid_argument on a bad config
//   io.run();
//
// Tests drive the timing with a ManualScheduler and custom probes (no
// io_context needed: pass nullptr and HTTP/TCP probes are refused).
//
// Thread-safety: add(), remove() and the readers are safe from any thread.
// The callback runs on the scheduler's thread (custom probes, timeouts) or
// the io_context's thread (HTTP and TCP results); with an AsioScheduler on
// the same io_context, the usual setup, that is one thread. Never call
// remove() expecting an in-flight probe to be awaited: its result is
// dropped. No callback runs after the destructor returns (it waits for one
// in progress, so do not destroy the checker from its own callback). The
// scheduler and io_context must outlive the checker.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "faultline/core/random.hpp"
#include "faultline/core/scheduler.hpp"
#include "faultline/core/status.hpp"
#include "faultline/health/probe_config.hpp"

namespace boost::asio {
class io_context;
}  // namespace boost::asio

namespace faultline::health {

// One endpoint as the checker sees it now.
struct EndpointHealth {
  std::string name;
  bool healthy = false;
  std::uint32_t consecutive_successes = 0;
  std::uint32_t consecutive_failures = 0;
  std::uint64_t probes = 0;          // completed
  std::uint64_t failed_probes = 0;
  std::string last_error = {};       // empty after a success
};

struct ActiveCheckerStats {
  std::uint64_t probes_started = 0;
  std::uint64_t probes_succeeded = 0;
  std::uint64_t probes_failed = 0;
  std::uint64_t verdict_flips = 0;
};

class ActiveChecker {
 public:
  using VerdictCallback = std::function<void(const std::string& endpoint, bool healthy)>;

  // `io` runs HTTP and TCP probes; nullptr allows custom probes only.
  ActiveChecker(Scheduler& scheduler, boost::asio::io_context* io, Random random, VerdictCallback on_verdict);
  ~ActiveChecker();
  ActiveChecker(const ActiveChecker&) = delete;
  ActiveChecker& operator=(const ActiveChecker&) = delete;

  // Starts probing. invalid_argument for a bad config (see
  // EndpointCheckConfig::validate), already_exists for a name in use,
  // failed_precondition for an HTTP/TCP probe without an io_context.
  Status add(EndpointCheckConfig config);
  // Stops probing; a probe in flight is abandoned. not_found if unknown.
  Status remove(const std::string& name);

  [[nodiscard]] std::optional<EndpointHealth> health(const std::string& name) const;
  [[nodiscard]] std::vector<EndpointHealth> endpoints() const;  // sorted by name
  [[nodiscard]] std::size_t size() const;
  [[nodiscard]] ActiveCheckerStats stats() const;

 private:
  struct State;
  std::shared_ptr<State> state_;
};

}  // namespace faultline::health
