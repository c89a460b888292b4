// The flaky-service scene's replica lane: three copies of a healthy HTTP
// service on 127.0.0.1 behind Faultline's health module, one of which the
// scene takes down and brings back.
//
// Each call picks a replica from a health::EndpointSet with a
// least-outstanding picker (ties go round robin), and its result goes into
// a health::OutlierDetector connected to the set (passive checking: five
// failures in a row eject a replica). An ActiveChecker probes every
// replica's /readyz a few times a second and feeds set_active_healthy
// (active checking). A replica is routed to only while it is both
// actively healthy and not ejected. Every verdict change becomes a note for
// the live view, through `notes`.
//
//   ReplicaSet replicas(timers, clock, [&](std::string text, Tone tone) { ... });
//   replicas.start();
//   replicas.call(id, clock.now() + 1s);   // on the load's workers
//   replicas.take_down(1); replicas.bring_back(1);   // on one thread
//
// Thread-safety: call() and the readers are safe from any thread;
// start(), take_down() and bring_back() from one thread at a time. The
// TimerThread must outlive the set.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "demo/http_client.hpp"
#include "demo/replica_traffic.hpp"
#include "demo/text_format.hpp"
#include "demo/timer_thread.hpp"
#include "faultline/core/clock.hpp"
#include "faultline/core/status.hpp"
#include "faultline/health/active_checker.hpp"
#include "faultline/health/endpoint_set.hpp"
#include "faultline/health/http_server.hpp"
#include "faultline/health/outlier_detector.hpp"
#include "faultline/health/pickers.hpp"

namespace faultline::demo {

class ReplicaSet {
 public:
  static constexpr std::size_t kReplicas = 3;
  using NoteSink = std::function<void(std::string text, Tone tone)>;

  ReplicaSet(TimerThread& timers, const Clock& clock, ReplicaOutagePlan plan, NoteSink notes);
  ~ReplicaSet();
  ReplicaSet(const ReplicaSet&) = delete;
  ReplicaSet& operator=(const ReplicaSet&) = delete;

  // Starts the replicas and the health checks.
  Status start();
  // Takes the replica down (its listener and connections close) or back.
  void take_down(std::size_t replica);
  Status bring_back(std::size_t replica);
  // Applies the plan at this point of the run (down, then back), once each.
  void follow_plan(Duration since_start);

  // One call of the lane: pick, GET /, record the result.
  void call(std::uint64_t request_id, Duration since_start, TimePoint deadline);

  [[nodiscard]] const ReplicaOutagePlan& plan() const noexcept { return plan_; }
  [[nodiscard]] ReplicaTraffic& traffic() noexcept { return traffic_; }
  [[nodiscard]] const ReplicaTraffic& traffic() const noexcept { return traffic_; }
  // "down, ejected", "unhealthy", "" ... one per replica, for the view.
  [[nodiscard]] std::vector<std::string> states() const;
  [[nodiscard]] std::vector<std::uint16_t> ports() const;
  [[nodiscard]] std::string describe() const;

 private:
  struct Replica {
    std::string name;
    std::unique_ptr<health::HttpServer> server;
    std::unique_ptr<HttpClient> client;
    std::atomic<bool> up{false};
  };
  [[nodiscard]] std::size_t index_of(std::string_view name) const;

  TimerThread& timers_;
  const Clock& clock_;
  ReplicaOutagePlan plan_;
  NoteSink notes_;
  std::vector<std::unique_ptr<Replica>> replicas_;
  ReplicaTraffic traffic_;
  health::EndpointSet set_;
  health::LeastOutstandingPicker picker_;
  // Destroyed on the timer thread (its timers point at it).
  std::unique_ptr<health::OutlierDetector> detector_;
  std::unique_ptr<health::ActiveChecker> checker_;  // after the set it feeds
  bool taken_down_ = false;
  bool brought_back_ = false;
};

}  // namespace faultline::demo
