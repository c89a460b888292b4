// The flaky-service scene: `faultline demo` as it stands today.
//
// A real HTTP service on 127.0.0.1 goes through a seeded fault schedule
// (healthy, errors, latency spikes, outage, recovery) while two clients
// send it the same open-loop load side by side:
//   bare       one attempt with a generous socket timeout, as most code does;
//   protected  the same HTTP client through Faultline's pipeline
//              (total timeout, retry with jitter and budget, circuit
//              breaker, attempt timeout).
// Meanwhile the service's capacity (workers per client on GET /capacity)
// drops by half for a while, and two more clients send it the same load:
//   static     at most 64 calls in flight, a limit set once and too high;
//   adaptive   an AdaptiveConcurrencyLimiter (GradientLimit) that learns
//              the limit from the round-trip times.
// The protected client's requests are traced (scene_tracing.hpp).
// A live view prints one line per second and every breaker transition as
// it happens; a summary compares the two clients at the end. The scene
// stops by itself after `duration` plus the few seconds the last calls need
// to finish, or early when `interrupted` turns true (Ctrl-C).
//
//   SceneOptions options;
//   options.duration = 30s;
//   return run_flaky_service_scene(options, std::cout, std::cerr);
//
// Thread-safety: run one scene at a time from one thread; it starts and
// joins its own threads (service, timers, workers, view).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <ostream>
#include <string>

#include "demo/text_format.hpp"
#include "faultline/core/clock.hpp"

namespace faultline::demo {

struct SceneOptions {
  Duration duration = std::chrono::seconds(30);  // FaultSchedule::kTotalMin..kTotalMax
  std::uint64_t seed = 1;
  double rate_per_second = 50;  // per client
  std::size_t workers_per_client = 64;
  // The bare client's one attempt waits this long at most.
  Duration bare_timeout = std::chrono::seconds(2);
  TextStyle style;
  // The protected client's requests and the service's answers to them are
  // traced into this file (OTLP/JSON lines); the summary ends with the
  // slowest retried request's waterfall. Empty: not traced.
  std::string trace_file = {};
  // Polled a few times a second; returning true ends the run early.
  std::function<bool()> interrupted;
};

// What run_flaky_service_scene() returns when Ctrl-C cut the run short
// (after printing the summary of what ran): 128 + SIGINT, as shells expect.
inline constexpr int kExitInterrupted = 130;

// Runs the scene, printing to `out`. Returns 0 when it ran to the end,
// kExitInterrupted when interrupted, 1 when it could not start (the
// message goes to `err`).
int run_flaky_service_scene(const SceneOptions& options, std::ostream& out, std::ostream& err);

}  // namespace faultline::demo
