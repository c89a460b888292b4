// ProtectedClient: the demo's HTTP client behind a resilience pipeline.
//
// The same HttpClient the bare client uses, called through Faultline's
// recommended composition, outermost first:
//
//   total timeout -> retry (full-jitter backoff, shared budget) -> circuit breaker -> attempt
//   timeout
//
// Each attempt is bounded by the attempt timeout, which closes the socket
// when it fires; failed attempts are retried after a jittered backoff (or
// the server's Retry-After, when it fits in the deadline) while the retry
// budget allows; the breaker counts attempts and, once most fail, refuses
// calls at once ("fast-fail") until a few probes succeed again. Calls the
// breaker refuses are not retried: the open circuit is the answer.
//
// Traced (trace_with()), each get() is a trace of its own: a span for the
// logical request and a client span per attempt under it, so the retries
// and the backoff between them are visible; the attempt's context travels
// to the service in its traceparent header.
//
//   ProtectedClient client(http, clock, scheduler, ProtectedClientConfig::for_run(30s));
//   Result<HttpReply> reply = client.get(request_id, stop);
//
// Thread-safety: get() is safe from many threads at once (the policies are
// shared); subscribe to the events and call trace_with() before the load
// starts.
#pragma once

#include <cstdint>
#include <memory>
#include <stop_token>
#include <string>

#include "demo/http_client.hpp"
#include "faultline/core/clock.hpp"
#include "faultline/core/result.hpp"
#include "faultline/core/scheduler.hpp"
#include "faultline/resilience/circuit_breaker.hpp"
#include "faultline/resilience/pipeline.hpp"
#include "faultline/resilience/retry.hpp"
#include "faultline/resilience/retry_budget.hpp"
#include "faultline/resilience/timeout.hpp"
#include "faultline/tracing/tracer.hpp"

namespace faultline::demo {

struct ProtectedClientConfig {
  Duration total_timeout = std::chrono::milliseconds(1500);
  Duration attempt_timeout = std::chrono::milliseconds(250);
  std::uint32_t max_attempts = 3;
  Duration backoff_initial = std::chrono::milliseconds(25);
  Duration backoff_max = std::chrono::milliseconds(250);
  double budget_max_tokens = 20;
  double budget_token_ratio = 1.0;  // retries stop once more than half the attempts fail
  // 40 attempts and 60%: a 30% error burst almost never trips it by chance
  // (that would be 24 failures in 40, a 4-sigma streak), an outage trips it
  // within about 25 attempts.
  std::uint32_t breaker_window_calls = 40;
  std::uint32_t breaker_minimum_calls = 20;
  double breaker_failure_rate_percent = 60;
  Duration breaker_wait_in_open = std::chrono::milliseconds(500);
  std::uint32_t breaker_probes = 3;
  std::uint64_t seed = 1;

  // The demo's settings for a run of `run_length`. The breaker's open wait
  // scales with the run (250 ms up to 15 s, 500 ms for 30 s, 1 s for 60 s): short enough that
  // the breaker notices recovery soon, long enough that an outage costs the
  // service only a few probes a second.
  [[nodiscard]] static ProtectedClientConfig for_run(Duration run_length, std::uint64_t seed);
  // One line for the demo's intro.
  [[nodiscard]] std::string describe() const;
};

class ProtectedClient {
 public:
  // `canceller` runs the timeouts' stop requests; it must outlive this.
  ProtectedClient(HttpClient http, const Clock& clock, Scheduler& canceller,
                  ProtectedClientConfig config);

  // GET / through the pipeline. Attempts are tagged with `request_id` and
  // their attempt number, so the service's fault decisions match the bare
  // client's for the first attempt.
  [[nodiscard]] Result<HttpReply> get(std::uint64_t request_id, std::stop_token stop) const;

  // Records every later get() with `tracer`, which must outlive this.
  void trace_with(tracing::Tracer& tracer) noexcept { tracer_ = &tracer; }

  [[nodiscard]] resilience::CircuitState breaker_state() const;
  // False while the retry budget is too low to allow retries.
  [[nodiscard]] bool retries_allowed() const;
  resilience::EventHub<resilience::CircuitBreakerEvent>& breaker_events();
  resilience::EventHub<resilience::RetryEvent>& retry_events();
  [[nodiscard]] const ProtectedClientConfig& config() const noexcept { return config_; }

 private:
  using Pipeline = resilience::Pipeline<resilience::Timeout, resilience::Retry,
                                        resilience::CircuitBreaker, resilience::Timeout>;
  HttpClient http_;
  const Clock& clock_;
  ProtectedClientConfig config_;
  std::shared_ptr<resilience::RetryBudget> budget_;
  std::shared_ptr<resilience::Retry> retry_;
  std::shared_ptr<resilience::CircuitBreaker> breaker_;
  Pipeline pipeline_;
  tracing::Tracer* tracer_ = nullptr;
};

}  // namespace faultline::demo
