// Links the installed faultline::resilience and runs a retry to a result.
#include <cstdio>

#include <faultline/core/manual_clock.hpp>
#include <faultline/resilience/retry.hpp>

int main() {
  faultline::ManualClock clock;
  faultline::resilience::RetryConfig config;
  config.max_attempts = 3;
  faultline::resilience::Retry retry(config, clock);
  int calls = 0;
  faultline::Status status = retry.execute([&] {
    return ++calls < 3 ? faultline::Status::unavailable("not yet") : faultline::Status();
  });
  std::printf("consumer: %s after %d calls\n", status.to_string().c_str(), calls);
  return status.ok() && calls == 3 ? 0 : 1;
}
