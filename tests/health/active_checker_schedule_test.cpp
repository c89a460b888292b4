// The active checker's timing and verdicts on virtual time: custom probes
// answer from a script, a ManualScheduler moves the clock.
#include <gtest/gtest.h>

#include <deque>

#include "faultline/core/manual_scheduler.hpp"
#include "faultline/health/active_checker.hpp"

namespace faultline::health {
namespace {

using namespace std::chrono_literals;

// Answers each probe with the next scripted status (ok once it runs out),
// at once or never, and records when each probe started.
struct ScriptedProbe {
  explicit ScriptedProbe(ManualScheduler& s) : scheduler(s) {}
  ManualScheduler& scheduler;
  std::deque<Status> script;
  bool answer = true;
  std::vector<TimePoint> starts;
  std::vector<ProbeDone> unanswered;

  CustomProbe probe() {
    return CustomProbe{[this](ProbeDone done) {
      starts.push_back(scheduler.clock().now());
      if (!answer) {
        unanswered.push_back(std::move(done));
        return;
      }
      Status next;
      if (!script.empty()) {
        next = script.front();
        script.pop_front();
      }
      done(next);
    }};
  }
};

struct Flip {
  std::string endpoint;
  bool healthy;
  std::size_t after_probes;
};

class ActiveCheckerSchedule : public ::testing::Test {
 protected:
  ManualScheduler scheduler;
  ScriptedProbe scripted{scheduler};
  std::vector<Flip> flips;
  ActiveChecker checker{scheduler, nullptr, Random(7), [this](const std::string& name, bool healthy) {
                          flips.push_back({name, healthy, scripted.starts.size()});
                        }};

  EndpointCheckConfig config(ThresholdConfig thresholds = {}) {
    EndpointCheckConfig c{.name = std::string("replica-1")};
    c.probe = scripted.probe();
    c.interval = 1s;
    c.timeout = 100ms;
    c.thresholds = thresholds;
    return c;
  }
};

TEST_F(ActiveCheckerSchedule, JitteredIntervalsStayInRangeAndActuallyVary) {
  auto c = config();
  c.interval_jitter = 200ms;
  ASSERT_TRUE(checker.add(c).ok());
  scheduler.advance(300s);
  ASSERT_GT(scripted.starts.size(), 200u);
  Duration shortest = Duration::max();
  Duration longest = Duration::zero();
  for (std::size_t i = 1; i < scripted.starts.size(); ++i) {
    const Duration gap = scripted.starts[i] - scripted.starts[i - 1];
    EXPECT_GE(gap, 1s);
    EXPECT_LE(gap, 1200ms);
    shortest = std::min(shortest, gap);
    longest = std::max(longest, gap);
  }
  EXPECT_LT(shortest, 1020ms);  // the jitter spans its range, not one value
  EXPECT_GT(longest, 1180ms);
}

TEST_F(ActiveCheckerSchedule, InitialJitterSpreadsTheFirstProbesOfAFleet) {
  std::vector<std::unique_ptr<ScriptedProbe>> probes;
  for (int i = 0; i < 50; ++i) {
    probes.push_back(std::make_unique<ScriptedProbe>(scheduler));
    EndpointCheckConfig c{.name = std::string("endpoint-").append(std::to_string(i))};
    c.probe = probes.back()->probe();
    c.initial_jitter = 1s;
    ASSERT_TRUE(checker.add(c).ok());
  }
  const TimePoint start = scheduler.clock().now();
  scheduler.advance(1s);
  TimePoint earliest = TimePoint::max();
  TimePoint latest = TimePoint::min();
  for (const auto& probe : probes) {
    ASSERT_EQ(probe->starts.size(), 1u);
    earliest = std::min(earliest, probe->starts[0]);
    latest = std::max(latest, probe->starts[0]);
  }
  EXPECT_GE(earliest, start);
  EXPECT_LE(latest, start + 1s);
  EXPECT_GT(latest - earliest, 500ms);
}

TEST_F(ActiveCheckerSchedule, VerdictFlipsExactlyOnTheNthResult) {
  scripted.script = {Status::unavailable("1"), Status::unavailable("2"), Status::unavailable("3"),
                     Status::unavailable("4"), Status(), Status()};
  ASSERT_TRUE(checker
                  .add(config({.healthy_threshold = 2, .unhealthy_threshold = 3, .initially_healthy = true}))
                  .ok());
  scheduler.advance(10s);
  ASSERT_EQ(flips.size(), 2u);
  EXPECT_EQ(flips[0].endpoint, "replica-1");
  EXPECT_FALSE(flips[0].healthy);
  EXPECT_EQ(flips[0].after_probes, 3u);  // the third failure, not before
  EXPECT_TRUE(flips[1].healthy);
  EXPECT_EQ(flips[1].after_probes, 6u);  // the second success after four failures
  const auto health = checker.health("replica-1");
  ASSERT_TRUE(health.has_value());
  EXPECT_TRUE(health->healthy);
  EXPECT_EQ(health->failed_probes, 4u);
  EXPECT_EQ(checker.stats().verdict_flips, 2u);
}

TEST_F(ActiveCheckerSchedule, ProbesFasterWhileUnhealthy) {
  scripted.script = {Status::unavailable("down"), Status::unavailable("down"), Status::unavailable("down"), Status(),
                     Status()};
  auto c = config({.healthy_threshold = 2, .unhealthy_threshold = 2, .initially_healthy = true});
  c.unhealthy_interval = 250ms;
  ASSERT_TRUE(checker.add(c).ok());
  scheduler.advance(5s);
  ASSERT_GE(scripted.starts.size(), 7u);
  const auto gap = [&](std::size_t i) { return scripted.starts[i] - scripted.starts[i - 1]; };
  EXPECT_EQ(gap(1), 1s);       // healthy after probe 0 (one failure)
  EXPECT_EQ(gap(2), 250ms);    // probe 1 flipped it unhealthy
  EXPECT_EQ(gap(3), 250ms);    // still unhealthy (probe 2 failed, probe 3 passed once)
  EXPECT_EQ(gap(4), 250ms);
  EXPECT_EQ(gap(5), 1s);       // probe 4 was the second success: healthy again
  EXPECT_EQ(gap(6), 1s);
}

TEST_F(ActiveCheckerSchedule, AProbeThatNeverAnswersFailsAtItsTimeoutAndALateAnswerIsIgnored) {
  scripted.answer = false;
  ASSERT_TRUE(checker.add(config({.healthy_threshold = 1, .unhealthy_threshold = 1, .initially_healthy = true})).ok());
  scheduler.advance(99ms);
  EXPECT_TRUE(flips.empty());
  scheduler.advance(1ms);
  ASSERT_EQ(flips.size(), 1u);
  EXPECT_FALSE(flips[0].healthy);
  const auto health = checker.health("replica-1");
  EXPECT_NE(health->last_error.find("deadline_exceeded"), std::string::npos) << health->last_error;
  // The hung probe finally answers ok: too late, it changes nothing.
  scripted.unanswered.front()(Status());
  scheduler.run_ready();
  EXPECT_EQ(checker.health("replica-1")->probes, 1u);
  EXPECT_FALSE(checker.health("replica-1")->healthy);
  // The next probe starts one interval after the timeout, not earlier.
  EXPECT_EQ(scripted.starts.size(), 1u);
  scheduler.advance(1s);
  EXPECT_EQ(scripted.starts.size(), 2u);
}

TEST_F(ActiveCheckerSchedule, EndpointsComeAndGoAtRuntime) {
  ASSERT_TRUE(checker.add(config()).ok());
  EXPECT_EQ(checker.add(config()).code(), StatusCode::already_exists);
  scheduler.advance(2500ms);
  const auto probed = scripted.starts.size();
  EXPECT_EQ(probed, 3u);
  ASSERT_TRUE(checker.remove("replica-1").ok());
  EXPECT_EQ(checker.remove("replica-1").code(), StatusCode::not_found);
  scheduler.advance(10s);
  EXPECT_EQ(scripted.starts.size(), probed);
  EXPECT_EQ(scheduler.pending(), 0u);
  EXPECT_EQ(checker.size(), 0u);
  ASSERT_TRUE(checker.add(config()).ok());
  scheduler.advance(1ms);
  EXPECT_EQ(scripted.starts.size(), probed + 1);
}

TEST_F(ActiveCheckerSchedule, RemovingAnEndpointMidProbeDropsItsResult) {
  scripted.answer = false;
  ASSERT_TRUE(checker.add(config({.healthy_threshold = 1, .unhealthy_threshold = 1, .initially_healthy = true})).ok());
  scheduler.run_ready();
  ASSERT_EQ(scripted.unanswered.size(), 1u);
  ASSERT_TRUE(checker.remove("replica-1").ok());
  scripted.unanswered.front()(Status::unavailable("late"));
  scheduler.advance(1s);
  EXPECT_TRUE(flips.empty());
}

TEST_F(ActiveCheckerSchedule, RefusesBadConfigAndNetworkProbesWithoutAnEventLoop) {
  auto zero = config();
  zero.interval = 0s;
  EXPECT_EQ(checker.add(zero).code(), StatusCode::invalid_argument);
  auto http = config();
  http.probe = HttpProbe{.url = "http://127.0.0.1:1/"};
  EXPECT_EQ(checker.add(http).code(), StatusCode::failed_precondition);
  EXPECT_EQ(checker.size(), 0u);
}

}  // namespace
}  // namespace faultline::health
