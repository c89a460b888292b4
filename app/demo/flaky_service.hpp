// FlakyService: a real HTTP server on 127.0.0.1 that fails on purpose.
//
// The demo's struggling backend. It serves GET on any path with Boost.Beast,
// one request per connection, and asks its FaultSchedule how to misbehave
// for each request: wait (latency, spikes, hangs), answer 503 (with or
// without Retry-After), reset the connection, send garbage, or cut the body
// short. It also counts the requests that reached it, per client, so the
// demo can show how much load each client put on it while it struggled.
//
// Clients identify themselves with these headers, all optional:
//   X-Faultline-Client: bare        (name for the load counters)
//   X-Request-Id: 17                (keys the fault decision; see fault_schedule.hpp)
//   X-Attempt: 2                    (1-based attempt of that request)
//   traceparent, tracestate         (W3C Trace Context; see FlakyServiceConfig::tracer)
//
//   FlakyService service(FaultSchedule::standard(seed, 30s), SteadyClock::instance());
//   if (Status s = service.start(); !s.ok()) die(s);
//   get("http://127.0.0.1:" + std::to_string(service.port()) + "/");
//
// Thread-safety: start() and stop() from one owning thread; port(),
// origin(), elapsed() and load() are safe from any thread once started. The
// server runs on its own thread; the destructor stops it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "demo/capacity_plan.hpp"
#include "demo/fault_schedule.hpp"
#include "faultline/core/clock.hpp"
#include "faultline/core/status.hpp"
#include "faultline/tracing/tracer.hpp"

namespace faultline::demo {

struct FlakyServiceConfig {
  std::uint16_t port = 0;  // 0: an ephemeral port, read back with port()
  // Connections beyond this are closed at once: the server's memory and
  // thread time stay bounded whatever the clients do.
  std::size_t connections_max = 1024;
  // A client that sends nothing for this long is dropped (slow-loris bound).
  Duration read_timeout = std::chrono::seconds(5);
  // Without a plan, GET /capacity is served like any other path.
  std::optional<CapacityPlan> capacity = {};
  // When set, a request that carries a valid traceparent gets a server
  // span under it, named for what the schedule did to it. Untraced
  // requests are not recorded. Must outlive the service.
  tracing::Tracer* tracer = nullptr;
};

// Requests that reached the service from one client: in all, and per phase.
struct ClientLoad {
  std::uint64_t requests = 0;
  std::vector<std::uint64_t> requests_per_phase;
};

class FlakyService {
 public:
  // Names beyond this many distinct X-Faultline-Client values are counted
  // under "other", so a misbehaving client cannot grow the map.
  static constexpr std::size_t kClientNamesMax = 16;

  FlakyService(FaultSchedule schedule, const Clock& clock, FlakyServiceConfig config = {});
  ~FlakyService();
  FlakyService(const FlakyService&) = delete;
  FlakyService& operator=(const FlakyService&) = delete;

  // Binds 127.0.0.1:port, starts the schedule's clock and serves on a
  // thread of its own. Fails (unavailable) if the port cannot be bound.
  // Precondition: not started yet.
  Status start();
  // Stops serving and joins the thread; pending responses are dropped.
  // Idempotent.
  void stop();

  // Preconditions for these: start() succeeded.
  [[nodiscard]] std::uint16_t port() const noexcept;
  // When the schedule's time zero was (the moment start() bound the port).
  [[nodiscard]] TimePoint origin() const noexcept;
  [[nodiscard]] Duration elapsed() const noexcept;

  [[nodiscard]] const FaultSchedule& schedule() const noexcept { return schedule_; }
  // A snapshot of the load counters, by client name ("-" when unnamed).
  [[nodiscard]] std::map<std::string, ClientLoad> load() const;

 private:
  struct Impl;
  FaultSchedule schedule_;
  const Clock& clock_;
  FlakyServiceConfig config_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace faultline::demo
