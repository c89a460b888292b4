#include "faultline/health/threshold_tracker.hpp"

#include <gtest/gtest.h>

namespace faultline::health {
namespace {

TEST(ThresholdTracker, FlipsToUnhealthyExactlyOnTheNthConsecutiveFailure) {
  ThresholdTracker tracker({.healthy_threshold = 2, .unhealthy_threshold = 3, .initially_healthy = true});
  EXPECT_FALSE(tracker.record(false));
  EXPECT_FALSE(tracker.record(false));
  EXPECT_TRUE(tracker.healthy());
  EXPECT_TRUE(tracker.record(false));
  EXPECT_FALSE(tracker.healthy());
  EXPECT_FALSE(tracker.record(false));  // already unhealthy: no second flip
}

TEST(ThresholdTracker, ASuccessInBetweenRestartsTheFailureCount) {
  ThresholdTracker tracker({.healthy_threshold = 1, .unhealthy_threshold = 2, .initially_healthy = true});
  EXPECT_FALSE(tracker.record(false));
  EXPECT_FALSE(tracker.record(true));
  EXPECT_FALSE(tracker.record(false));
  EXPECT_TRUE(tracker.healthy());
  EXPECT_EQ(tracker.consecutive_failures(), 1u);
  EXPECT_TRUE(tracker.record(false));
}

TEST(ThresholdTracker, RecoversExactlyOnTheNthConsecutiveSuccess) {
  ThresholdTracker tracker({.healthy_threshold = 3, .unhealthy_threshold = 1, .initially_healthy = false});
  EXPECT_FALSE(tracker.record(true));
  EXPECT_FALSE(tracker.record(true));
  EXPECT_FALSE(tracker.healthy());
  EXPECT_TRUE(tracker.record(true));
  EXPECT_TRUE(tracker.healthy());
  EXPECT_EQ(tracker.consecutive_successes(), 3u);
}

TEST(ThresholdTracker, SingleSuccessAtStartAppliesOnlyBeforeTheFirstSuccess) {
  ThresholdTracker tracker({.healthy_threshold = 3,
                            .unhealthy_threshold = 1,
                            .initially_healthy = false,
                            .single_success_at_start = true});
  EXPECT_FALSE(tracker.record(false));
  EXPECT_TRUE(tracker.record(true));  // first success ever: healthy at once (Envoy)
  EXPECT_TRUE(tracker.record(false));
  EXPECT_FALSE(tracker.record(true));  // afterwards the full threshold applies
  EXPECT_FALSE(tracker.record(true));
  EXPECT_TRUE(tracker.record(true));
}

TEST(ThresholdTracker, ZeroThresholdsAreRejected) {
  EXPECT_EQ(ThresholdConfig{.healthy_threshold = 0}.validate().code(), StatusCode::invalid_argument);
  const Status status = ThresholdConfig{.unhealthy_threshold = 0}.validate();
  EXPECT_EQ(status.code(), StatusCode::invalid_argument);
  EXPECT_NE(status.message().find("unhealthy_threshold"), std::string_view::npos);
  EXPECT_TRUE(ThresholdConfig{}.validate().ok());
}

}  // namespace
}  // namespace faultline::health
