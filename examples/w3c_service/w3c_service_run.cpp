#include "w3c_service_run.hpp"

#include <csignal>
#include <pthread.h>

#include "faultline/core/wall_clock.hpp"
#include "w3c_service.hpp"
#include "w3c_service_tracing.hpp"

namespace faultline::examples {

int run_w3c_service(const W3cServiceRunOptions& options, std::ostream& out, std::ostream& err) {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  const std::uint64_t seed = options.seed.value_or(static_cast<std::uint64_t>(
      SystemWallClock::instance().now().time_since_epoch().count()));
  auto tracing = W3cServiceTracing::create({.seed = seed, .trace_file = options.trace_file});
  if (!tracing.ok()) {
    err << "w3c-service: " << tracing.status().message() << '\n';
    return 1;
  }
  auto service = W3cService::start({.host = options.host, .port = options.port}, (*tracing)->tracer());
  if (!service.ok()) {
    err << "w3c-service: " << service.status().message() << '\n';
    return 1;
  }
  out << "W3C Trace Context test service listening on http://" << options.host << ':' << (*service)->port()
      << "/test\n"
      << "Run the suite with: python3 test/test.py http://" << options.host << ':' << (*service)->port()
      << "/test  (Ctrl-C stops)\n";
  if (!options.trace_file.empty()) out << "Spans go to " << options.trace_file << '\n';
  out.flush();
  int received = 0;
  sigwait(&signals, &received);
  out << "stopping\n";
  (*service)->stop();
  return 0;
}

}  // namespace faultline::examples
