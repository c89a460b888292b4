#include "faultline/health/phi_accrual_detector.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "faultline/core/manual_clock.hpp"
#include "faultline/resilience/config_error.hpp"

namespace faultline::health {
namespace {

using std::chrono::milliseconds;

// Expected values below were computed outside this code base from
// phi = -log10(1 - F(t)), F the logistic approximation Akka uses:
//   y = (t - mean) / sd, e = exp(-y (1.5976 + 0.070566 y^2)),
//   1 - F = e / (1 + e) when t > mean, else 1 - 1 / (1 + e).

PhiAccrualConfig no_pause_config() {
  PhiAccrualConfig config;
  config.acceptable_heartbeat_pause = Duration::zero();
  config.min_std_deviation = milliseconds(100);
  config.first_heartbeat_estimate = milliseconds(1000);
  return config;
}

TEST(HeartbeatWindowTest, MeanAndPopulationStdDeviation) {
  HeartbeatWindow window(10);
  for (int ms : {750, 1250, 1000, 1000}) window.add(milliseconds(ms));
  EXPECT_DOUBLE_EQ(window.mean_ms(), 1000.0);
  // sqrt((250^2 + 250^2 + 0 + 0) / 4)
  EXPECT_NEAR(window.std_deviation_ms(), 176.7766952966369, 1e-9);
}

TEST(HeartbeatWindowTest, SlidesOverTheLastCapacitySamples) {
  HeartbeatWindow window(3);
  for (int ms : {100, 200, 300, 400, 500}) window.add(milliseconds(ms));
  EXPECT_EQ(window.size(), 3u);
  EXPECT_DOUBLE_EQ(window.mean_ms(), 400.0);  // 300, 400, 500
  EXPECT_NEAR(window.std_deviation_ms(), std::sqrt(20000.0 / 3.0), 1e-9);
}

TEST(PhiAccrualDetectorTest, ZeroAndAvailableBeforeAnyHeartbeat) {
  PhiAccrualDetector detector;
  ManualClock clock;
  EXPECT_EQ(detector.phi(clock.now()), 0.0);
  EXPECT_TRUE(detector.is_available(clock.now() + std::chrono::hours(1)));
}

TEST(PhiAccrualDetectorTest, MatchesHandComputedValues) {
  PhiAccrualDetector detector(no_pause_config());
  ManualClock clock;
  const TimePoint t0 = clock.now();
  detector.heartbeat(t0);                    // window: 750, 1250 (the seed)
  detector.heartbeat(t0 + milliseconds(1000));
  detector.heartbeat(t0 + milliseconds(2000));  // + 1000, 1000: mean 1000, sd 176.78
  EXPECT_EQ(detector.window().size(), 4u);
  const TimePoint last = t0 + milliseconds(2000);
  EXPECT_NEAR(detector.phi(last + milliseconds(500)), 0.0009581011652109556, 1e-12);
  EXPECT_NEAR(detector.phi(last + milliseconds(1000)), 0.3010299956639812, 1e-12);  // log10(2)
  EXPECT_NEAR(detector.phi(last + milliseconds(1500)), 2.656851905472509, 1e-9);
  EXPECT_NEAR(detector.phi(last + milliseconds(2000)), 9.472484156489791, 1e-9);
  EXPECT_NEAR(detector.phi(last + milliseconds(3000)), 52.23054069451796, 1e-7);
  EXPECT_TRUE(detector.is_available(last + milliseconds(1500)));
  EXPECT_FALSE(detector.is_available(last + milliseconds(2000)));  // 9.47 >= 8
}

TEST(PhiAccrualDetectorTest, AcceptableHeartbeatPauseShiftsTheMean) {
  PhiAccrualConfig config;  // Akka's defaults: pause 3 s, estimate 1 s
  PhiAccrualDetector detector(config);
  ManualClock clock;
  const TimePoint t0 = clock.now();
  detector.heartbeat(t0);  // mean 1000 + 3000 pause, sd 250
  EXPECT_NEAR(detector.phi(t0 + milliseconds(4000)), 0.3010299956639812, 1e-12);
  EXPECT_NEAR(detector.phi(t0 + milliseconds(5000)), 4.736694582705181, 1e-9);
  EXPECT_NEAR(detector.phi(t0 + milliseconds(6000)), 21.241600212221336, 1e-7);
  EXPECT_TRUE(detector.is_available(t0 + milliseconds(5000)));
  EXPECT_FALSE(detector.is_available(t0 + milliseconds(6000)));
}

TEST(PhiAccrualDetectorTest, PhiRisesAsHeartbeatsStop) {
  PhiAccrualDetector detector;
  ManualClock clock;
  for (int i = 0; i < 20; ++i) {
    detector.heartbeat(clock.now());
    clock.advance(milliseconds(1000));
  }
  EXPECT_TRUE(detector.is_available(clock.now()));
  double previous = detector.phi(clock.now());
  bool suspected = false;
  for (int step = 0; step < 40; ++step) {
    clock.advance(milliseconds(250));
    const double now_phi = detector.phi(clock.now());
    EXPECT_GE(now_phi, previous) << "step " << step;
    previous = now_phi;
    suspected = suspected || !detector.is_available(clock.now());
  }
  EXPECT_TRUE(suspected);
  EXPECT_GT(previous, 8.0);
}

TEST(PhiAccrualDetectorTest, TheHeartbeatEndingASuspicionStaysOutOfTheHistory) {
  PhiAccrualDetector detector(no_pause_config());
  ManualClock clock;
  detector.heartbeat(clock.now());
  clock.advance(milliseconds(1000));
  detector.heartbeat(clock.now());
  const std::size_t before = detector.window().size();
  clock.advance(std::chrono::seconds(60));  // an outage
  ASSERT_FALSE(detector.is_available(clock.now()));
  detector.heartbeat(clock.now());
  EXPECT_EQ(detector.window().size(), before);
  EXPECT_NEAR(detector.window().mean_ms(), 1000.0, 1e-9);
  EXPECT_TRUE(detector.is_available(clock.now()));
  EXPECT_LT(detector.phi(clock.now() + milliseconds(1000)), 1.0);
}

TEST(PhiAccrualDetectorTest, MaxSampleSizeBoundsTheWindow) {
  PhiAccrualConfig config = no_pause_config();
  config.max_sample_size = 5;
  PhiAccrualDetector detector(config);
  ManualClock clock;
  for (int i = 0; i < 50; ++i) {
    detector.heartbeat(clock.now());
    clock.advance(milliseconds(200));
  }
  EXPECT_EQ(detector.window().size(), 5u);
  EXPECT_NEAR(detector.window().mean_ms(), 200.0, 1e-9);  // the seeds have slid out
}

TEST(PhiAccrualDetectorTest, MinStdDeviationFloorsARegularPeer) {
  PhiAccrualConfig config = no_pause_config();
  config.max_sample_size = 10;
  PhiAccrualDetector detector(config);
  ManualClock clock;
  for (int i = 0; i < 30; ++i) {
    detector.heartbeat(clock.now());
    clock.advance(milliseconds(1000));
  }
  // Every interval 1000 ms: sd 0, floored at 100 ms: one sd late is phi of y = 1.
  // y = 1: e = exp(-(1.5976 + 0.070566)) ; phi = -log10(e / (1 + e)).
  const double e = std::exp(-(1.5976 + 0.070566));
  EXPECT_NEAR(detector.phi(clock.now() + milliseconds(100)), -std::log10(e / (1 + e)), 1e-12);
  EXPECT_NEAR(detector.phi(clock.now() + milliseconds(100)), 0.7996, 1e-3);
}

TEST(PhiAccrualDetectorTest, AnOlderHeartbeatIsIgnored) {
  PhiAccrualDetector detector(no_pause_config());
  ManualClock clock;
  const TimePoint t0 = clock.now();
  detector.heartbeat(t0);
  detector.heartbeat(t0 + milliseconds(1000));
  detector.heartbeat(t0 + milliseconds(500));  // delivered late
  EXPECT_EQ(detector.window().size(), 3u);
  EXPECT_EQ(*detector.last_heartbeat(), t0 + milliseconds(1000));
}

TEST(PhiAccrualDetectorTest, ResetForgetsEverything) {
  PhiAccrualDetector detector;
  ManualClock clock;
  detector.heartbeat(clock.now());
  detector.reset();
  EXPECT_FALSE(detector.last_heartbeat().has_value());
  EXPECT_EQ(detector.window().size(), 0u);
  EXPECT_EQ(detector.phi(clock.now() + std::chrono::hours(1)), 0.0);
}

TEST(PhiAccrualConfigTest, DefaultsAreAkkas) {
  const PhiAccrualConfig config;
  EXPECT_EQ(config.threshold, 8.0);
  EXPECT_EQ(config.max_sample_size, 1000u);
  EXPECT_EQ(config.min_std_deviation, milliseconds(100));
  EXPECT_EQ(config.acceptable_heartbeat_pause, std::chrono::seconds(3));
  EXPECT_EQ(config.first_heartbeat_estimate, std::chrono::seconds(1));
  EXPECT_TRUE(config.validate().ok());
}

void expect_invalid(const PhiAccrualConfig& config, const std::string& field) {
  const Status status = config.validate();
  EXPECT_EQ(status.code(), StatusCode::invalid_argument) << field;
  EXPECT_NE(status.message().find(field), std::string_view::npos) << status;
  EXPECT_THROW(PhiAccrualDetector{config}, resilience::ConfigError) << field;
}

TEST(PhiAccrualConfigTest, RejectsBadValuesNamingTheField) {
  PhiAccrualConfig config;
  config.threshold = 0;
  expect_invalid(config, "threshold");
  config.threshold = -1;
  expect_invalid(config, "threshold");
  config.threshold = std::nan("");
  expect_invalid(config, "threshold");
  config = {};
  config.max_sample_size = 0;
  expect_invalid(config, "max_sample_size");
  config = {};
  config.min_std_deviation = Duration::zero();
  expect_invalid(config, "min_std_deviation");
  config = {};
  config.acceptable_heartbeat_pause = milliseconds(-1);
  expect_invalid(config, "acceptable_heartbeat_pause");
  config = {};
  config.first_heartbeat_estimate = Duration::zero();
  expect_invalid(config, "first_heartbeat_estimate");
}

TEST(PhiAccrualConfigTest, NameAppearsInTheMessage) {
  PhiAccrualConfig config;
  config.name = "peer-3";
  config.threshold = 0;
  EXPECT_NE(config.validate().message().find("peer-3"), std::string_view::npos);
}

}  // namespace
}  // namespace faultline::health
