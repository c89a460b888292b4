// Can one event-loop thread actively check 10,000 endpoints every second?
//
// A whole-process run, not a Google Benchmark: a forked child serves the
// endpoints from a few HTTP listeners on 127.0.0.1 (its own process, so the
// two ends do not share a descriptor limit and the server's work is not
// counted against the checker); the parent runs the ActiveChecker with every
// endpoint on one io_context thread, warms up, then measures that thread's
// CPU time (CLOCK_THREAD_CPUTIME_ID through pthread_getcpuclockid) and the
// probes completed over the measured window.
//
//   faultline_health_active_bench [--endpoints 10000] [--seconds 10]
//                                 [--listeners 10] [--probe http|tcp]
//
// Prints one line per figure; exits non-zero if setup fails.
#include "faultline/core/asio.hpp"

#include <pthread.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <future>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "faultline/core/asio_scheduler.hpp"
#include "faultline/health/active_checker.hpp"
#include "faultline/health/http_server.hpp"

namespace {

using namespace std::chrono_literals;
using faultline::health::ActiveChecker;

struct Options {
  int endpoints = 10'000;
  int seconds = 10;
  int listeners = 10;
  bool tcp = false;
};

Options parse(int argc, char** argv) {
  Options options;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    const std::string value = argv[i + 1];
    if (flag == "--endpoints") options.endpoints = std::atoi(value.c_str());
    else if (flag == "--seconds") options.seconds = std::atoi(value.c_str());
    else if (flag == "--listeners") options.listeners = std::atoi(value.c_str());
    else if (flag == "--probe") options.tcp = value == "tcp";
    else {
      std::fprintf(stderr, "unknown flag %s\n", flag.c_str());
      std::exit(2);
    }
  }
  return options;
}

void raise_descriptor_limit() {
  rlimit limit{};
  getrlimit(RLIMIT_NOFILE, &limit);
  limit.rlim_cur = limit.rlim_max;
  setrlimit(RLIMIT_NOFILE, &limit);
  std::printf("descriptor limit: %llu\n", static_cast<unsigned long long>(limit.rlim_cur));
}

// The loop thread's own user and system time, read on that thread.
std::pair<double, double> loop_rusage(boost::asio::io_context& io) {
  std::promise<std::pair<double, double>> result;
  boost::asio::post(io, [&] {
    rusage usage{};
    getrusage(RUSAGE_THREAD, &usage);
    result.set_value({static_cast<double>(usage.ru_utime.tv_sec) + static_cast<double>(usage.ru_utime.tv_usec) * 1e-6,
                      static_cast<double>(usage.ru_stime.tv_sec) + static_cast<double>(usage.ru_stime.tv_usec) * 1e-6});
  });
  return result.get_future().get();
}

double seconds_of(clockid_t clock) {
  timespec t{};
  clock_gettime(clock, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

// The child: serve until the parent closes `stop_fd`.
[[noreturn]] void serve(const Options& options, int ports_fd, int stop_fd) {
  std::vector<std::unique_ptr<faultline::health::HttpServer>> servers;
  for (int i = 0; i < options.listeners; ++i) {
    faultline::health::HttpServerConfig config;
    config.connections_max = static_cast<std::size_t>(options.endpoints);
    servers.push_back(std::make_unique<faultline::health::HttpServer>(
        [](const faultline::health::HttpRequest&) { return faultline::health::HttpAnswer{200, "text/plain", "ok\n"}; },
        config));
    if (!servers.back()->start().ok()) std::_Exit(3);
    const std::uint16_t port = servers.back()->port();
    if (write(ports_fd, &port, sizeof port) != sizeof port) std::_Exit(4);
  }
  close(ports_fd);
  char byte;
  while (read(stop_fd, &byte, 1) > 0) {
  }
  for (auto& server : servers) server->stop();
  std::_Exit(0);
}

}  // namespace

int main(int argc, char** argv) {
  const Options options = parse(argc, argv);
  raise_descriptor_limit();
  int ports_pipe[2];
  int stop_pipe[2];
  if (pipe(ports_pipe) != 0 || pipe(stop_pipe) != 0) return 1;
  // Fork before any thread exists.
  const pid_t child = fork();
  if (child < 0) return 1;
  if (child == 0) {
    close(ports_pipe[0]);
    close(stop_pipe[1]);
    serve(options, ports_pipe[1], stop_pipe[0]);
  }
  close(ports_pipe[1]);
  close(stop_pipe[0]);
  std::vector<std::uint16_t> ports(static_cast<std::size_t>(options.listeners));
  for (auto& port : ports) {
    if (read(ports_pipe[0], &port, sizeof port) != sizeof port) {
      std::fprintf(stderr, "the server process failed to start\n");
      return 1;
    }
  }

  boost::asio::io_context io(1);
  faultline::AsioScheduler scheduler(io);
  std::atomic<int> healthy{0};
  ActiveChecker checker(scheduler, &io, faultline::Random(1), [&](const std::string&, bool is_healthy) {
    healthy.fetch_add(is_healthy ? 1 : -1, std::memory_order_relaxed);
  });
  for (int i = 0; i < options.endpoints; ++i) {
    faultline::health::EndpointCheckConfig config{.name = std::string("endpoint-").append(std::to_string(i))};
    const std::uint16_t port = ports[static_cast<std::size_t>(i % options.listeners)];
    if (options.tcp) {
      config.probe = faultline::health::TcpProbe{.host = "127.0.0.1", .port = port};
    } else {
      config.probe = faultline::health::HttpProbe{
          .url = std::string("http://127.0.0.1:").append(std::to_string(port)).append("/healthz")};
    }
    config.interval = 1s;
    config.interval_jitter = 50ms;
    config.initial_jitter = 1s;
    config.timeout = 500ms;
    config.thresholds = {.healthy_threshold = 1, .unhealthy_threshold = 3, .initially_healthy = false};
    if (const auto status = checker.add(config); !status.ok()) {
      std::fprintf(stderr, "%s\n", status.to_string().c_str());
      return 1;
    }
  }
  auto guard = boost::asio::make_work_guard(io);
  std::thread loop([&] { io.run(); });
  clockid_t loop_clock{};
  pthread_getcpuclockid(loop.native_handle(), &loop_clock);

  std::this_thread::sleep_for(3s);  // every endpoint connected and probed at least twice
  const auto before = checker.stats();
  const auto rusage_before = loop_rusage(io);
  const double cpu_before = seconds_of(loop_clock);
  const double wall_before = seconds_of(CLOCK_MONOTONIC);
  std::this_thread::sleep_for(std::chrono::seconds(options.seconds));
  const auto after = checker.stats();
  const double cpu = seconds_of(loop_clock) - cpu_before;
  const auto rusage_after = loop_rusage(io);
  const double wall = seconds_of(CLOCK_MONOTONIC) - wall_before;

  const double probes = static_cast<double>(after.probes_succeeded + after.probes_failed -
                                            before.probes_succeeded - before.probes_failed);
  std::printf("probe: %s, endpoints: %d, listeners: %d, interval: 1 s (+0-50 ms jitter)\n",
              options.tcp ? "tcp connect" : "http get (kept-alive)", options.endpoints, options.listeners);
  std::printf("window: %.2f s\n", wall);
  std::printf("probes completed: %.0f (%.0f/s, target %d/s)\n", probes, probes / wall, options.endpoints);
  std::printf("probes failed in window: %llu\n",
              static_cast<unsigned long long>(after.probes_failed - before.probes_failed));
  std::printf("endpoints healthy at end: %d of %d\n", healthy.load(), options.endpoints);
  std::map<std::string, int> errors;
  for (const auto& endpoint : checker.endpoints()) {
    if (!endpoint.last_error.empty()) ++errors[endpoint.last_error];
  }
  for (const auto& [error, count] : errors) std::printf("last error of %d endpoints: %s\n", count, error.c_str());
  std::printf("checker thread CPU: %.3f s = %.1f%% of one core\n", cpu, 100.0 * cpu / wall);
  std::printf("  of which user %.3f s, system (loopback TCP stack, syscalls) %.3f s\n",
              rusage_after.first - rusage_before.first, rusage_after.second - rusage_before.second);
  std::printf("checker thread CPU per probe: %.1f us\n", probes > 0 ? 1e6 * cpu / probes : 0.0);

  guard.reset();
  io.stop();
  loop.join();
  close(stop_pipe[1]);
  int child_status = 0;
  waitpid(child, &child_status, 0);
  rusage children{};
  getrusage(RUSAGE_CHILDREN, &children);
  const double server_cpu = static_cast<double>(children.ru_utime.tv_sec + children.ru_stime.tv_sec) +
                            static_cast<double>(children.ru_utime.tv_usec + children.ru_stime.tv_usec) * 1e-6;
  std::printf("server process CPU over its whole life: %.2f s\n", server_cpu);
  return 0;
}
