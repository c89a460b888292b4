// HealthRegistry: the named checks a service runs to say how it is doing.
//
// Checks are grouped as Kubernetes groups its probes:
// - startup: has the service finished starting? Until every startup check
//   has passed once, the other groups are not run (a slow start must not be
//   mistaken for a dead process); after that, startup checks stop.
// - liveness: is the process still able to make progress? A failure means
//   "restart me". Checks not yet run count as passing: nothing is known to
//   be wrong, and failing them would restart a process that is only slow.
// - readiness: should traffic be routed here now? A failure means "take me
//   out of rotation", not restart. Not ready until startup has completed
//   and every readiness check has passed.
//
// Each check runs in the background every `period`, never on the caller's
// thread: an asynchronous check is started and reports through its
// callback; a blocking check runs on a worker thread of its own. A check
// that has not answered within its `timeout` is reported failed at once,
// and is not started again until that run returns, so a hung dependency
// costs one thread at most and never piles up. The HTTP endpoints
// (health_http_handler.hpp) only read these cached results, so they answer
// at once whatever the checks do.
//
//   HealthRegistry registry(scheduler, SystemWallClock::instance());
//   registry.add("wal", ProbeKind::liveness, [&] { return wal.writable(); });
//   registry.add_async("leader", ProbeKind::readiness, [&](CheckDone done) { node.ping(std::move(done)); },
//                      {.timeout = 500ms, .period = 2s});
//   registry.start();
//
// Thread-safety: every member is safe from any thread. The scheduler must
// outlive the registry. A blocking check still running when the registry
// is destroyed is left to finish on its (detached) thread; its result is
// dropped.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "faultline/core/scheduler.hpp"
#include "faultline/core/status.hpp"
#include "faultline/core/wall_clock.hpp"

namespace faultline::health {

enum class ProbeKind : std::uint8_t { liveness, readiness, startup };
// "liveness", "readiness", "startup".
[[nodiscard]] std::string_view probe_kind_name(ProbeKind kind) noexcept;

// Reports a check's outcome exactly once, from any thread.
using CheckDone = std::function<void(Status)>;
using AsyncCheck = std::function<void(CheckDone)>;
using BlockingCheck = std::function<Status()>;

struct CheckOptions {
  Duration timeout = std::chrono::seconds(1);
  Duration period = std::chrono::seconds(10);

  // invalid_argument unless timeout > 0 and period > 0.
  [[nodiscard]] Status validate(std::string_view check_name) const;
};

enum class CheckState : std::uint8_t { pending, passing, failing };
// "pending", "pass", "fail" (the words /health uses).
[[nodiscard]] std::string_view check_state_name(CheckState state) noexcept;

// One check as last seen.
struct CheckReport {
  std::string name;
  ProbeKind kind = ProbeKind::liveness;
  CheckState state = CheckState::pending;
  std::string last_error = {};      // of the latest run; empty if it passed
  Duration last_duration = Duration::zero();  // the timeout, for a run that timed out
  std::optional<WallTimePoint> last_change = {};  // when `state` last changed
  bool running = false;             // a run is in flight (perhaps hung)
  std::uint64_t runs = 0;           // completed or timed out
};

// What one probe endpoint answers: ok, and the checks behind the answer.
struct ProbeVerdict {
  bool ok = false;
  bool startup_complete = false;
  std::vector<CheckReport> checks = {};  // this group's checks, by name
};

class HealthRegistry {
 public:
  HealthRegistry(Scheduler& scheduler, const WallClock& wall_clock);
  ~HealthRegistry();
  HealthRegistry(const HealthRegistry&) = delete;
  HealthRegistry& operator=(const HealthRegistry&) = delete;

  // invalid_argument for an empty name, an empty function or bad options;
  // already_exists for a name in use (names are unique across groups).
  Status add(std::string name, ProbeKind kind, BlockingCheck check, CheckOptions options = {});
  Status add_async(std::string name, ProbeKind kind, AsyncCheck check, CheckOptions options = {});

  // Runs every eligible check now, then each every `period`. Checks added
  // later start at once. Idempotent.
  void start();
  // Starts every eligible check that is not already running, now.
  void run_now();

  [[nodiscard]] bool startup_complete() const;
  [[nodiscard]] ProbeVerdict verdict(ProbeKind kind) const;
  [[nodiscard]] std::vector<CheckReport> reports() const;  // all checks, by name

 private:
  struct State;
  std::shared_ptr<State> state_;
};

}  // namespace faultline::health
