// The latency histogram: percentiles within its stated error, exact
// count/min/max/total, and merging.
#include "demo/latency_recorder.hpp"

#include <gtest/gtest.h>

#include <chrono>

namespace faultline::demo {
namespace {

using namespace std::chrono_literals;

double millis(Duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

TEST(LatencyRecorder, EmptyReportsZeros) {
  const LatencyRecorder recorder;
  EXPECT_TRUE(recorder.empty());
  EXPECT_EQ(recorder.percentile(50), Duration::zero());
  EXPECT_EQ(recorder.max(), Duration::zero());
  EXPECT_EQ(recorder.min(), Duration::zero());
  EXPECT_EQ(recorder.mean(), Duration::zero());
}

TEST(LatencyRecorder, PercentilesAreWithinTwoPercent) {
  LatencyRecorder recorder;
  for (int ms = 1; ms <= 1000; ++ms) recorder.record(std::chrono::milliseconds(ms));
  EXPECT_NEAR(millis(recorder.percentile(50)), 500, 10);
  EXPECT_NEAR(millis(recorder.percentile(90)), 900, 18);
  EXPECT_NEAR(millis(recorder.percentile(99)), 990, 20);
  EXPECT_EQ(recorder.percentile(100), 1000ms);
  EXPECT_EQ(recorder.count(), 1000U);
  EXPECT_EQ(recorder.min(), 1ms);
  EXPECT_EQ(recorder.max(), 1000ms);
  EXPECT_EQ(recorder.total(), 500500ms);
}

TEST(LatencyRecorder, ATailShowsInTheHighPercentilesOnly) {
  LatencyRecorder recorder;
  for (int i = 0; i < 98; ++i) recorder.record(3ms);
  recorder.record(2s);
  recorder.record(2s);
  EXPECT_NEAR(millis(recorder.percentile(50)), 3, 0.1);
  EXPECT_NEAR(millis(recorder.percentile(98)), 3, 0.1);
  EXPECT_NEAR(millis(recorder.percentile(99)), 2000, 40);
}

TEST(LatencyRecorder, SubMicrosecondAndHugeValuesStayInRange) {
  LatencyRecorder recorder;
  recorder.record(Duration(-5));  // read as zero
  recorder.record(Duration(400));
  recorder.record(std::chrono::hours(1000));
  EXPECT_EQ(recorder.count(), 3U);
  EXPECT_EQ(recorder.min(), Duration::zero());
  EXPECT_EQ(recorder.max(), std::chrono::hours(1000));
  EXPECT_EQ(recorder.percentile(100), std::chrono::hours(1000));
}

TEST(LatencyRecorder, MergeIsTheSameAsRecordingEverythingOnce) {
  LatencyRecorder a;
  LatencyRecorder b;
  LatencyRecorder both;
  for (int ms = 1; ms <= 100; ++ms) {
    (ms % 2 == 0 ? a : b).record(std::chrono::milliseconds(ms));
    both.record(std::chrono::milliseconds(ms));
  }
  a.merge(b);
  EXPECT_EQ(a.count(), both.count());
  EXPECT_EQ(a.total(), both.total());
  for (const double p : {10.0, 50.0, 90.0, 99.0, 100.0})
    EXPECT_EQ(a.percentile(p), both.percentile(p));
}

}  // namespace
}  // namespace faultline::demo
