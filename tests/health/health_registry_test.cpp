// The registry's group semantics and timeouts on virtual time. Async checks
// answer when the test says, so every step is deterministic.
#include "faultline/health/health_registry.hpp"

#include <gtest/gtest.h>

#include <future>
#include <thread>

#include "faultline/core/manual_scheduler.hpp"

namespace faultline::health {
namespace {

using namespace std::chrono_literals;

// An async check that the test answers by hand; counts its invocations.
struct ManualCheck {
  std::vector<CheckDone> waiting;
  int invocations = 0;
  AsyncCheck fn() {
    return [this](CheckDone done) {
      ++invocations;
      waiting.push_back(std::move(done));
    };
  }
  void answer(Status status) {
    ASSERT_FALSE(waiting.empty());
    auto done = std::move(waiting.front());
    waiting.erase(waiting.begin());
    done(std::move(status));
  }
};

class HealthRegistryTest : public ::testing::Test {
 protected:
  ManualScheduler scheduler;
  ManualWallClock wall{WallTimePoint(std::chrono::milliseconds(1'764'675'000'000))};
  HealthRegistry registry{scheduler, wall};
};

TEST_F(HealthRegistryTest, StartupGatesLivenessAndReadinessUntilItPassesOnce) {
  ManualCheck boot, alive, ready;
  ASSERT_TRUE(registry.add_async("boot", ProbeKind::startup, boot.fn(), {.timeout = 1s, .period = 2s}).ok());
  ASSERT_TRUE(registry.add_async("alive", ProbeKind::liveness, alive.fn()).ok());
  ASSERT_TRUE(registry.add_async("ready", ProbeKind::readiness, ready.fn()).ok());
  registry.start();
  EXPECT_EQ(boot.invocations, 1);
  EXPECT_EQ(alive.invocations, 0);
  EXPECT_EQ(ready.invocations, 0);
  EXPECT_FALSE(registry.verdict(ProbeKind::startup).ok);
  EXPECT_FALSE(registry.verdict(ProbeKind::readiness).ok);
  EXPECT_TRUE(registry.verdict(ProbeKind::liveness).ok);  // not run is not failed

  boot.answer(Status::unavailable("loading snapshot"));
  scheduler.advance(2s);
  EXPECT_EQ(boot.invocations, 2);
  EXPECT_EQ(alive.invocations, 0);
  boot.answer(Status());
  EXPECT_TRUE(registry.startup_complete());
  EXPECT_EQ(alive.invocations, 1);  // started at once, not at the next period
  EXPECT_EQ(ready.invocations, 1);
  EXPECT_FALSE(registry.verdict(ProbeKind::readiness).ok);  // pending is not ready
  ready.answer(Status());
  alive.answer(Status());
  EXPECT_TRUE(registry.verdict(ProbeKind::readiness).ok);
  EXPECT_TRUE(registry.verdict(ProbeKind::liveness).ok);

  scheduler.advance(60s);
  EXPECT_EQ(boot.invocations, 2);  // a passed startup check is never run again
  EXPECT_TRUE(registry.verdict(ProbeKind::startup).ok);
}

TEST_F(HealthRegistryTest, AHangingCheckFailsAtItsTimeoutAndIsNotStartedAgainWhileHung) {
  ManualCheck hung;
  ASSERT_TRUE(registry.add_async("db", ProbeKind::readiness, hung.fn(), {.timeout = 300ms, .period = 1s}).ok());
  registry.start();
  scheduler.advance(299ms);
  EXPECT_EQ(registry.reports()[0].state, CheckState::pending);
  scheduler.advance(1ms);
  auto report = registry.reports()[0];
  EXPECT_EQ(report.state, CheckState::failing);
  EXPECT_EQ(report.last_error, "timed out after 300ms");
  EXPECT_EQ(report.last_duration, 300ms);
  EXPECT_TRUE(report.running);
  EXPECT_FALSE(registry.verdict(ProbeKind::readiness).ok);

  scheduler.advance(10s);
  registry.run_now();
  EXPECT_EQ(hung.invocations, 1);  // no pile-up behind the hung run
  hung.answer(Status());           // it returns at last: stale, dropped
  EXPECT_EQ(registry.reports()[0].state, CheckState::failing);
  EXPECT_FALSE(registry.reports()[0].running);
  scheduler.advance(700ms);  // to the next period (t = 11 s), not past its timeout
  EXPECT_EQ(hung.invocations, 2);
  hung.answer(Status());
  EXPECT_EQ(registry.reports()[0].state, CheckState::passing);
  EXPECT_TRUE(registry.verdict(ProbeKind::readiness).ok);
}

TEST_F(HealthRegistryTest, RecordsErrorDurationAndTimeOfLastChange) {
  ManualCheck check;
  ASSERT_TRUE(registry.add_async("cache", ProbeKind::liveness, check.fn(), {.timeout = 1s, .period = 5s}).ok());
  registry.start();
  scheduler.advance(40ms);
  wall.advance(40ms);
  check.answer(Status());
  auto report = registry.reports()[0];
  EXPECT_EQ(report.last_duration, 40ms);
  const WallTimePoint first_change = *report.last_change;
  EXPECT_EQ(first_change, wall.now());

  scheduler.advance(5s);
  wall.advance(5s);
  check.answer(Status());  // same state: the time of last change stays
  EXPECT_EQ(*registry.reports()[0].last_change, first_change);

  scheduler.advance(5s);
  wall.advance(5s);
  check.answer(Status::unavailable("evicting"));
  report = registry.reports()[0];
  EXPECT_EQ(report.state, CheckState::failing);
  EXPECT_EQ(report.last_error, "unavailable: evicting");
  EXPECT_EQ(*report.last_change, wall.now());
  EXPECT_EQ(report.runs, 3u);
  EXPECT_FALSE(registry.verdict(ProbeKind::liveness).ok);
}

TEST_F(HealthRegistryTest, RejectsBadRegistrations) {
  EXPECT_EQ(registry.add("", ProbeKind::liveness, [] { return Status(); }).code(), StatusCode::invalid_argument);
  EXPECT_EQ(registry.add("x", ProbeKind::liveness, BlockingCheck{}).code(), StatusCode::invalid_argument);
  EXPECT_EQ(registry.add("x", ProbeKind::liveness, [] { return Status(); }, {.timeout = 0s}).code(),
            StatusCode::invalid_argument);
  EXPECT_EQ(registry.add("x", ProbeKind::liveness, [] { return Status(); }, {.period = -1s}).code(),
            StatusCode::invalid_argument);
  ASSERT_TRUE(registry.add("x", ProbeKind::liveness, [] { return Status(); }).ok());
  EXPECT_EQ(registry.add_async("x", ProbeKind::readiness, [](CheckDone done) { done(Status()); }).code(),
            StatusCode::already_exists);
}

TEST_F(HealthRegistryTest, AnAsyncCheckThatThrowsIsAFailure) {
  ASSERT_TRUE(registry
                  .add_async("boom", ProbeKind::liveness,
                             [](CheckDone) -> void { throw std::runtime_error("no connection pool"); })
                  .ok());
  registry.start();
  const auto report = registry.reports()[0];
  EXPECT_EQ(report.state, CheckState::failing);
  EXPECT_EQ(report.last_error, "internal: check threw: no connection pool");
}

TEST_F(HealthRegistryTest, ABlockingCheckRunsOnItsOwnThreadAndAHungOneIsReportedAtItsTimeout) {
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::atomic<int> invocations{0};
  std::promise<void> entered;
  ASSERT_TRUE(registry
                  .add("disk", ProbeKind::liveness,
                       [&] {
                         if (invocations.fetch_add(1) == 0) entered.set_value();
                         released.wait();
                         return Status();
                       },
                       {.timeout = 200ms, .period = 1s})
                  .ok());
  registry.start();  // returns although the check blocks
  entered.get_future().wait();
  scheduler.advance(200ms);
  EXPECT_EQ(registry.reports()[0].state, CheckState::failing);
  EXPECT_FALSE(registry.verdict(ProbeKind::liveness).ok);
  scheduler.advance(5s);
  EXPECT_EQ(invocations.load(), 1);
  release.set_value();
  // Wait for the run to return so the check's captures outlive it.
  while (registry.reports()[0].running) std::this_thread::sleep_for(1ms);
  EXPECT_EQ(registry.reports()[0].state, CheckState::failing);  // a late answer is dropped
}

}  // namespace
}  // namespace faultline::health
