// Core: injected time and the one error model.
#include <cassert>
#include <chrono>

#include <faultline/core/http_status.hpp>
#include <faultline/core/manual_clock.hpp>

int main() {
  // README-BEGIN
  using namespace std::chrono_literals;
  faultline::ManualClock clock;          // tests drive time; production uses SteadyClock
  const auto start = clock.now();
  clock.sleep_for(5s, {});               // returns at once: the clock just moves on
  assert(clock.now() - start == 5s);

  faultline::Status busy = faultline::status_from_http(503, "backend busy");
  assert(busy.code() == faultline::StatusCode::unavailable);
  assert(busy.transient());              // worth retrying
  assert(!faultline::status_from_http(404, "no such key").transient());  // never retried
  // README-END
  return 0;
}
