// Resilience: a pipeline around a flaky call.
#include <cassert>
#include <memory>
#include <string>

#include <faultline/core/manual_clock.hpp>
#include <faultline/resilience/resilience.hpp>

int main() {
  faultline::ManualClock clock;
  int calls = 0;
  auto flaky_call = [&](faultline::resilience::CallContext&) -> faultline::Result<std::string> {
    if (++calls < 3) return faultline::Status::unavailable("connection reset");
    return std::string("hello");
  };
  // README-BEGIN
  using namespace faultline::resilience;
  using namespace std::chrono_literals;

  RetryConfig retry_config;
  retry_config.max_attempts = 4;
  retry_config.backoff = Backoff::exponential(50ms).with_jitter(Jitter::full).with_max_delay(1s);
  retry_config.budget = std::make_shared<RetryBudget>();   // share one budget across calls

  CircuitBreakerConfig breaker_config;
  breaker_config.name = "greeter";
  breaker_config.window_size = 20;
  breaker_config.minimum_calls = 10;
  breaker_config.wait_in_open = OpenWait::exponential(1s, 2.0, 30s);

  auto pipeline = make_pipeline(clock,
      std::make_shared<Timeout>(TimeoutConfig{.timeout = 2s, .name = "total"}, clock),
      std::make_shared<Retry>(retry_config, clock),
      std::make_shared<CircuitBreaker>(breaker_config, clock),
      std::make_shared<Timeout>(TimeoutConfig{.timeout = 300ms, .name = "attempt"}, clock));

  faultline::Result<std::string> reply = pipeline.execute(flaky_call);
  assert(reply.ok() && *reply == "hello");   // two transient failures, retried
  // README-END
  assert(calls == 3);
  return 0;
}
