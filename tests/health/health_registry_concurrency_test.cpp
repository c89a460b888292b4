// Runs under ThreadSanitizer (faultline_concurrency_tests): a registry on a
// real scheduler whose checks flip while they run (a blocking one on its
// worker thread, an async one on the scheduler's), readers asking for
// verdicts and reports, an operator adding checks and running them now, and
// clients hitting the HTTP endpoints in front of it.
#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "faultline/core/asio_scheduler.hpp"
#include "faultline/health/health_http_handler.hpp"
#include "faultline/health/health_registry.hpp"
#include "faultline/health/http_server.hpp"
#include "loopback.hpp"

namespace faultline::health {
namespace {

using namespace std::chrono_literals;

std::string extra_check_name(int i) {
  std::string name = "extra-";
  name += std::to_string(i);
  return name;
}

TEST(HealthConcurrency, VerdictsReportsAndEndpointsStayConsistentWhileChecksFlip) {
  testing::EventLoop loop;
  AsioScheduler scheduler(loop.io);
  HealthRegistry registry(scheduler, SystemWallClock::instance());
  std::atomic<bool> healthy{true};
  ASSERT_TRUE(registry
                  .add("disk", ProbeKind::liveness,
                       [&] { return healthy.load() ? Status() : Status::unavailable("disk full"); },
                       {.timeout = 500ms, .period = 1ms})
                  .ok());
  ASSERT_TRUE(registry
                  .add_async("peer", ProbeKind::readiness,
                             [&](CheckDone done) { done(healthy.load() ? Status() : Status::unavailable("peer down")); },
                             {.timeout = 500ms, .period = 1ms})
                  .ok());
  ASSERT_TRUE(registry.add("boot", ProbeKind::startup, [] { return Status(); }, {.period = 1ms}).ok());
  registry.start();
  HttpServer server(health_http_handler(registry));
  ASSERT_TRUE(server.start().ok());

  std::atomic<bool> stop{false};
  std::atomic<int> inconsistent{0};
  std::atomic<int> bad_answers{0};
  std::atomic<int> answers{0};
  std::atomic<int> live_verdicts_ok{0};
  std::atomic<int> live_verdicts_failed{0};
  std::vector<std::thread> threads;
  for (int r = 0; r < 2; ++r) {
    threads.emplace_back([&] {
      std::map<std::string, std::uint64_t> runs_seen;
      while (!stop.load()) {
        for (const ProbeKind kind : {ProbeKind::liveness, ProbeKind::readiness, ProbeKind::startup}) {
          const ProbeVerdict verdict = registry.verdict(kind);
          for (const auto& check : verdict.checks) {
            if (check.kind != kind) inconsistent.fetch_add(1);
          }
          if (kind == ProbeKind::liveness) (verdict.ok ? live_verdicts_ok : live_verdicts_failed).fetch_add(1);
        }
        const auto reports = registry.reports();
        for (std::size_t i = 1; i < reports.size(); ++i) {
          if (!(reports[i - 1].name < reports[i].name)) inconsistent.fetch_add(1);
        }
        for (const auto& report : reports) {
          auto& seen = runs_seen[report.name];
          if (report.runs < seen) inconsistent.fetch_add(1);  // a check's run count never goes back
          seen = report.runs;
          if (report.state == CheckState::passing && !report.last_error.empty()) inconsistent.fetch_add(1);
        }
      }
    });
  }
  threads.emplace_back([&] {
    while (!stop.load()) {
      healthy = !healthy.load();
      std::this_thread::sleep_for(2ms);
    }
  });
  threads.emplace_back([&] {
    for (int i = 0; i < 20 || !stop.load(); ++i) {
      if (i < 20) (void)registry.add(extra_check_name(i), ProbeKind::liveness, [] { return Status(); }, {.period = 5ms});
      registry.run_now();
      std::this_thread::sleep_for(5ms);
    }
  });
  threads.emplace_back([&] {
    while (!stop.load()) {
      for (const char* target : {"/livez", "/readyz", "/health"}) {
        const auto answer = testing::http_request(server.port(), target);
        answers.fetch_add(1);
        if (answer.status != 200 && answer.status != 503) bad_answers.fetch_add(1);
      }
    }
  });
  std::this_thread::sleep_for(400ms);
  stop = true;
  for (auto& thread : threads) thread.join();

  EXPECT_EQ(inconsistent.load(), 0);
  EXPECT_EQ(bad_answers.load(), 0) << "of " << answers.load();
  EXPECT_GT(answers.load(), 0);
  EXPECT_GT(live_verdicts_ok.load(), 0) << "the readers saw the check pass";
  EXPECT_GT(live_verdicts_failed.load(), 0) << "and fail: the flips reached them";

  // Healthy again: the verdicts and the endpoints follow within a few periods.
  healthy = true;
  EXPECT_TRUE(testing::eventually([&] {
    return registry.verdict(ProbeKind::liveness).ok && registry.verdict(ProbeKind::readiness).ok &&
           testing::http_request(server.port(), "/livez").status == 200 &&
           testing::http_request(server.port(), "/readyz").status == 200;
  }));
  EXPECT_EQ(registry.reports().size(), 23u) << "disk, peer, boot and the 20 added";
  server.stop();
}

}  // namespace
}  // namespace faultline::health
