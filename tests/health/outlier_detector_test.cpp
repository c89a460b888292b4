#include "faultline/health/outlier_detector.hpp"
#include "health/endpoint_names.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "faultline/core/manual_scheduler.hpp"
#include "faultline/health/endpoint_set.hpp"
#include "faultline/resilience/config_error.hpp"
#include "faultline/resilience/rejection.hpp"

namespace faultline::health {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

OutlierDetectionConfig consecutive_only() {
  OutlierDetectionConfig config;
  config.enforce_success_rate = false;
  config.max_ejection_percent = 100;
  return config;
}

void fail(OutlierDetector& detector, const std::string& endpoint, int times) {
  for (int i = 0; i < times; ++i) ASSERT_TRUE(detector.record(endpoint, CallResult::failure()).ok());
}

struct Recorder {
  std::vector<OutlierEvent> events;
  OutlierDetector::Listener listener() {
    return [this](const OutlierEvent& e) { events.push_back(e); };
  }
};

TEST(OutlierDetectorTest, EjectsOnTheNthConsecutiveFailureExactly) {
  ManualScheduler scheduler;
  OutlierDetector detector(consecutive_only(), scheduler);
  ASSERT_TRUE(detector.add_endpoint("a").ok());
  fail(detector, "a", 4);
  EXPECT_FALSE(detector.is_ejected("a"));
  ASSERT_TRUE(detector.record("a", CallResult::success()).ok());  // breaks the run
  fail(detector, "a", 4);
  EXPECT_FALSE(detector.is_ejected("a"));
  fail(detector, "a", 1);
  EXPECT_TRUE(detector.is_ejected("a"));
  EXPECT_EQ(detector.ejected_count(), 1u);
}

TEST(OutlierDetectorTest, ReturnsToServiceExactlyWhenTheEjectionTimeIsUp) {
  ManualScheduler scheduler;
  OutlierDetector detector(consecutive_only(), scheduler);
  Recorder recorder;
  detector.subscribe(recorder.listener());
  ASSERT_TRUE(detector.add_endpoint("a").ok());
  const TimePoint start = scheduler.clock().now();
  fail(detector, "a", 5);
  ASSERT_EQ(recorder.events.size(), 1u);
  EXPECT_TRUE(recorder.events[0].ejected);
  EXPECT_EQ(recorder.events[0].reason, EjectionReason::consecutive_failures);
  EXPECT_EQ(recorder.events[0].until, start + seconds(30));
  scheduler.advance(seconds(30) - milliseconds(1));
  EXPECT_TRUE(detector.is_ejected("a"));
  scheduler.advance(milliseconds(1));
  EXPECT_FALSE(detector.is_ejected("a"));
  ASSERT_EQ(recorder.events.size(), 2u);
  EXPECT_FALSE(recorder.events[1].ejected);
  EXPECT_EQ(recorder.events[1].at, start + seconds(30));
}

TEST(OutlierDetectorTest, EjectionTimeGrowsWithEachEjectionUpToTheMaximum) {
  ManualScheduler scheduler;
  OutlierDetectionConfig config = consecutive_only();
  config.interval = std::chrono::hours(1);  // no forgiveness during this test
  config.max_ejection_time = seconds(70);
  OutlierDetector detector(config, scheduler);
  ASSERT_TRUE(detector.add_endpoint("a").ok());
  std::vector<Duration> lengths;
  for (int round = 0; round < 4; ++round) {
    const TimePoint before = scheduler.clock().now();
    fail(detector, "a", 5);
    ASSERT_TRUE(detector.is_ejected("a"));
    lengths.push_back(detector.stats("a")->ejected_until - before);
    scheduler.advance(lengths.back());
    ASSERT_FALSE(detector.is_ejected("a"));
  }
  EXPECT_EQ(lengths, (std::vector<Duration>{seconds(30), seconds(60), seconds(70), seconds(70)}));
  EXPECT_EQ(detector.stats("a")->ejections_total, 4u);
}

TEST(OutlierDetectorTest, EachHealthyIntervalForgivesOneStep) {
  ManualScheduler scheduler;
  OutlierDetector detector(consecutive_only(), scheduler);  // interval 10 s, base 30 s
  ASSERT_TRUE(detector.add_endpoint("a").ok());
  fail(detector, "a", 5);
  scheduler.advance(seconds(30));
  fail(detector, "a", 5);  // second ejection: 60 s
  EXPECT_EQ(detector.stats("a")->ejection_multiplier, 2u);
  scheduler.advance(seconds(60));
  ASSERT_FALSE(detector.is_ejected("a"));
  scheduler.advance(seconds(10));
  EXPECT_EQ(detector.stats("a")->ejection_multiplier, 1u);
  scheduler.advance(seconds(10));
  EXPECT_EQ(detector.stats("a")->ejection_multiplier, 0u);
  const TimePoint before = scheduler.clock().now();
  fail(detector, "a", 5);
  EXPECT_EQ(detector.stats("a")->ejected_until - before, seconds(30));  // back to the base time
}

TEST(OutlierDetectorTest, MaxEjectionPercentHolds) {
  ManualScheduler scheduler;
  OutlierDetectionConfig config = consecutive_only();
  config.max_ejection_percent = 10;
  OutlierDetector detector(config, scheduler);
  for (int i = 0; i < 20; ++i) ASSERT_TRUE(detector.add_endpoint(endpoint_name(i)).ok());
  for (int i = 0; i < 20; ++i) {
    fail(detector, endpoint_name(i), 10);
    EXPECT_LE(detector.ejected_count(), 2u) << "after failing e" << i;
  }
  EXPECT_EQ(detector.ejected_count(), 2u);
  EXPECT_TRUE(detector.is_ejected("e0"));
  EXPECT_TRUE(detector.is_ejected("e1"));
  EXPECT_FALSE(detector.is_ejected("e2"));
  // When they return, the next failing endpoints may take their place.
  scheduler.advance(seconds(30));
  EXPECT_EQ(detector.ejected_count(), 0u);
  fail(detector, "e5", 1);  // e5 has been failing all along: one more ejects it
  EXPECT_TRUE(detector.is_ejected("e5"));
}

TEST(OutlierDetectorTest, OneEndpointMayGoEvenWhenThePercentRoundsToNone) {
  ManualScheduler scheduler;
  OutlierDetectionConfig config = consecutive_only();
  config.max_ejection_percent = 10;  // 10% of 3 is 0.3
  OutlierDetector detector(config, scheduler);
  for (const char* name : {"a", "b", "c"}) ASSERT_TRUE(detector.add_endpoint(name).ok());
  fail(detector, "a", 5);
  fail(detector, "b", 5);
  fail(detector, "c", 5);
  EXPECT_EQ(detector.ejected_count(), 1u);
  EXPECT_TRUE(detector.is_ejected("a"));
}

void record_calls(OutlierDetector& detector, const std::string& endpoint, int calls, int failures) {
  // Failures spread out (never two in a row) so consecutive ejection stays out of it.
  for (int i = 0; i < calls; ++i) {
    const bool failed = i % 2 == 1 && (i / 2) < failures;
    ASSERT_TRUE(detector.record(endpoint, failed ? CallResult::failure() : CallResult::success()).ok());
  }
}

TEST(OutlierDetectorTest, SuccessRateOutlierIsEjectedAtTheSweep) {
  ManualScheduler scheduler;
  OutlierDetectionConfig config;  // success rate on: 5 hosts, 100 calls, 1.9 stdev
  config.max_ejection_percent = 50;
  OutlierDetector detector(config, scheduler);
  Recorder recorder;
  detector.subscribe(recorder.listener());
  for (int i = 0; i < 6; ++i) ASSERT_TRUE(detector.add_endpoint(endpoint_name(i)).ok());
  for (int i = 0; i < 5; ++i) record_calls(detector, endpoint_name(i), 100, 0);
  record_calls(detector, "e5", 100, 50);  // 50%: mean 91.7, stdev 18.6, threshold 56.3
  EXPECT_FALSE(detector.is_ejected("e5"));
  scheduler.advance(seconds(10));
  EXPECT_TRUE(detector.is_ejected("e5"));
  EXPECT_EQ(detector.ejected_count(), 1u);
  ASSERT_EQ(recorder.events.size(), 1u);
  EXPECT_EQ(recorder.events[0].reason, EjectionReason::success_rate);
}

// Against a fleet whose rates already spread (100, 90, 100, 90, 100):
// 88% stays (threshold 84.45), 70% goes (threshold 71.39).
void fleet_with_spread(OutlierDetector& detector) {
  for (int i = 0; i < 6; ++i) ASSERT_TRUE(detector.add_endpoint(endpoint_name(i)).ok());
  for (int i = 0; i < 5; ++i) record_calls(detector, endpoint_name(i), 100, i % 2 == 1 ? 10 : 0);
}

TEST(OutlierDetectorTest, SuccessRateSparesADipWithinTheFleetsSpread) {
  ManualScheduler scheduler;
  OutlierDetector detector(OutlierDetectionConfig{}, scheduler);
  fleet_with_spread(detector);
  record_calls(detector, "e5", 100, 12);
  scheduler.advance(seconds(10));
  EXPECT_EQ(detector.ejected_count(), 0u);
}

TEST(OutlierDetectorTest, SuccessRateEjectsADipBeyondTheFleetsSpread) {
  ManualScheduler scheduler;
  OutlierDetector detector(OutlierDetectionConfig{}, scheduler);
  fleet_with_spread(detector);
  record_calls(detector, "e5", 100, 30);
  scheduler.advance(seconds(10));
  EXPECT_TRUE(detector.is_ejected("e5"));
  EXPECT_EQ(detector.ejected_count(), 1u);
}

TEST(OutlierDetectorTest, SuccessRateNeedsEnoughHostsAndVolume) {
  ManualScheduler scheduler;
  OutlierDetector detector(OutlierDetectionConfig{}, scheduler);
  for (int i = 0; i < 6; ++i) ASSERT_TRUE(detector.add_endpoint(endpoint_name(i)).ok());
  // e4 and e5 (the bad one, 99 calls) stay below the request volume, so
  // only four endpoints qualify: fewer than minimum_hosts, no verdict.
  for (int i = 0; i < 4; ++i) record_calls(detector, endpoint_name(i), 100, 0);
  record_calls(detector, "e4", 50, 0);
  record_calls(detector, "e5", 99, 49);
  scheduler.advance(seconds(10));
  EXPECT_EQ(detector.ejected_count(), 0u);
  // Counters restart each interval: the next interval alone decides.
  EXPECT_EQ(detector.stats("e5")->interval_failures, 0u);
}

TEST(OutlierDetectorTest, LocalRejectionsAreIgnoredAndCallerErrorsCountAsSuccess) {
  ManualScheduler scheduler;
  OutlierDetector detector(consecutive_only(), scheduler);
  ASSERT_TRUE(detector.add_endpoint("a").ok());
  fail(detector, "a", 4);
  const Status open = Status::unavailable("breaker open").with_reason(resilience::kReasonCircuitOpen);
  ASSERT_TRUE(detector.record("a", open).ok());
  EXPECT_EQ(detector.stats("a")->consecutive_failures, 4u);  // ignored
  ASSERT_TRUE(detector.record("a", Status::not_found("no such key")).ok());
  EXPECT_EQ(detector.stats("a")->consecutive_failures, 0u);  // answered: a success
  fail(detector, "a", 4);
  const Status timed_out = Status::deadline_exceeded("attempt").with_reason(resilience::kReasonTimeout);
  ASSERT_TRUE(detector.record("a", timed_out).ok());
  EXPECT_TRUE(detector.is_ejected("a"));
}

TEST(OutlierDetectorTest, ClassifiesStatuses) {
  EXPECT_EQ(classify(Status()), CallOutcome::success);
  EXPECT_EQ(classify(Status::unavailable("refused")), CallOutcome::failure);
  EXPECT_EQ(classify(Status::internal("500")), CallOutcome::failure);
  EXPECT_EQ(classify(Status::invalid_argument("400")), CallOutcome::success);
  EXPECT_EQ(classify(Status::resource_exhausted("full").with_reason(resilience::kReasonBulkheadFull)),
            CallOutcome::ignored);
}

TEST(OutlierDetectorTest, SlowSuccessesCountAsFailuresWhenAThresholdIsSet) {
  ManualScheduler scheduler;
  OutlierDetectionConfig config = consecutive_only();
  config.slow_call_threshold = milliseconds(200);
  OutlierDetector detector(config, scheduler);
  ASSERT_TRUE(detector.add_endpoint("a").ok());
  for (int i = 0; i < 4; ++i) ASSERT_TRUE(detector.record("a", CallResult::success(milliseconds(500))).ok());
  ASSERT_TRUE(detector.record("a", CallResult::success(milliseconds(200))).ok());  // not slower
  EXPECT_EQ(detector.stats("a")->consecutive_failures, 0u);
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(detector.record("a", CallResult::success(milliseconds(201))).ok());
  EXPECT_TRUE(detector.is_ejected("a"));
  EXPECT_EQ(detector.stats("a")->last_latency, milliseconds(201));
}

TEST(OutlierDetectorTest, UnknownAndDuplicateEndpointsAreErrors) {
  ManualScheduler scheduler;
  OutlierDetector detector(OutlierDetectionConfig{}, scheduler);
  EXPECT_EQ(detector.record("nope", CallResult::failure()).code(), StatusCode::not_found);
  EXPECT_EQ(detector.remove_endpoint("nope").code(), StatusCode::not_found);
  EXPECT_EQ(detector.add_endpoint("").code(), StatusCode::invalid_argument);
  ASSERT_TRUE(detector.add_endpoint("a").ok());
  EXPECT_EQ(detector.add_endpoint("a").code(), StatusCode::already_exists);
  EXPECT_FALSE(detector.stats("nope").has_value());
}

TEST(OutlierDetectorTest, RemovingAnEjectedEndpointFreesItsShare) {
  ManualScheduler scheduler;
  OutlierDetector detector(consecutive_only(), scheduler);
  ASSERT_TRUE(detector.add_endpoint("a").ok());
  fail(detector, "a", 5);
  ASSERT_EQ(detector.ejected_count(), 1u);
  ASSERT_TRUE(detector.remove_endpoint("a").ok());
  EXPECT_EQ(detector.ejected_count(), 0u);
  scheduler.advance(seconds(60));  // its un-eject timer was cancelled: nothing to run into
  EXPECT_EQ(detector.ejected_count(), 0u);
}

TEST(OutlierDetectorTest, ConnectToMirrorsEjectionsIntoAnEndpointSet) {
  ManualScheduler scheduler;
  OutlierDetector detector(consecutive_only(), scheduler);
  EndpointSet set;
  for (const char* name : {"a", "b", "c"}) {
    ASSERT_TRUE(detector.add_endpoint(name).ok());
    ASSERT_TRUE(set.add(name).ok());
  }
  fail(detector, "b", 5);  // ejected before connecting: carried over
  detector.connect_to(set);
  EXPECT_TRUE(set.snapshot()->find("b")->ejected);
  EXPECT_EQ(set.snapshot()->usable().size(), 2u);
  scheduler.advance(seconds(30));
  EXPECT_FALSE(set.snapshot()->find("b")->ejected);
  EXPECT_EQ(set.snapshot()->usable().size(), 3u);
}

TEST(OutlierDetectionConfigTest, DefaultsAreEnvoys) {
  const OutlierDetectionConfig config;
  EXPECT_EQ(config.consecutive_failures, 5u);
  EXPECT_EQ(config.interval, seconds(10));
  EXPECT_EQ(config.base_ejection_time, seconds(30));
  EXPECT_EQ(config.max_ejection_time, seconds(300));
  EXPECT_EQ(config.max_ejection_percent, 10u);
  EXPECT_EQ(config.success_rate_minimum_hosts, 5u);
  EXPECT_EQ(config.success_rate_request_volume, 100u);
  EXPECT_DOUBLE_EQ(config.success_rate_stdev_factor, 1.9);
  EXPECT_TRUE(config.validate().ok());
}

void expect_invalid(const OutlierDetectionConfig& config, const std::string& field) {
  const Status status = config.validate();
  EXPECT_EQ(status.code(), StatusCode::invalid_argument) << field;
  EXPECT_NE(status.message().find(field), std::string_view::npos) << status;
  ManualScheduler scheduler;
  EXPECT_THROW(OutlierDetector(config, scheduler), resilience::ConfigError) << field;
}

TEST(OutlierDetectionConfigTest, RejectsBadValuesNamingTheField) {
  OutlierDetectionConfig config;
  config.consecutive_failures = 0;
  expect_invalid(config, "consecutive_failures");
  config = {};
  config.interval = Duration::zero();
  expect_invalid(config, "interval");
  config = {};
  config.base_ejection_time = -seconds(1);
  expect_invalid(config, "base_ejection_time");
  config = {};
  config.max_ejection_time = seconds(10);  // below the 30 s base
  expect_invalid(config, "max_ejection_time");
  config = {};
  config.max_ejection_percent = 101;
  expect_invalid(config, "max_ejection_percent");
  config = {};
  config.success_rate_minimum_hosts = 0;
  expect_invalid(config, "success_rate_minimum_hosts");
  config = {};
  config.success_rate_request_volume = 0;
  expect_invalid(config, "success_rate_request_volume");
  config = {};
  config.success_rate_stdev_factor = 0;
  expect_invalid(config, "success_rate_stdev_factor");
  config.success_rate_stdev_factor = std::nan("");
  expect_invalid(config, "success_rate_stdev_factor");
  config = {};
  config.slow_call_threshold = Duration::zero();
  expect_invalid(config, "slow_call_threshold");
}

}  // namespace
}  // namespace faultline::health
