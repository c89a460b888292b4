// The parts together, as the demo wires them: three replicas, an active
// verdict, the outlier detector and a picker. One replica starts failing:
// traffic moves away from it and back when its ejection ends.

#include <gtest/gtest.h>

#include <map>
#include <string>

#include "faultline/core/manual_scheduler.hpp"
#include "faultline/core/random.hpp"
#include "faultline/health/endpoint_set.hpp"
#include "faultline/health/outlier_detector.hpp"
#include "faultline/health/pickers.hpp"

namespace faultline::health {
namespace {

using std::chrono::seconds;

struct Fleet {
  ManualScheduler scheduler;
  EndpointSet set;
  OutlierDetector detector{OutlierDetectionConfig{}, scheduler};
  Random random{9};
  PowerOfTwoChoicesPicker picker{random};
  SnapshotReader reader{set};
  std::map<std::string, bool> failing;

  Fleet() {
    for (const char* name : {"r1", "r2", "r3"}) {
      EXPECT_TRUE(set.add(name).ok());
      EXPECT_TRUE(detector.add_endpoint(name).ok());
      failing[name] = false;
    }
    detector.connect_to(set);
  }

  // Sends `calls` calls; returns how many each replica got.
  std::map<std::string, int> send(int calls) {
    std::map<std::string, int> got;
    for (int i = 0; i < calls; ++i) {
      const EndpointView* e = picker.pick(reader.current());
      EXPECT_NE(e, nullptr);
      if (e == nullptr) continue;
      ++got[e->name];
      OutstandingRequest in_flight(*e);
      const Status s = failing[e->name] ? Status::unavailable("connection refused") : Status();
      EXPECT_TRUE(detector.record(e->name, s).ok());
    }
    return got;
  }
};

TEST(EndpointSelectionTest, TrafficLeavesAFailingReplicaAndReturnsAfterItsEjection) {
  Fleet fleet;
  fleet.failing["r2"] = true;
  fleet.send(30);  // r2 fails its 5th call in a row within these
  ASSERT_TRUE(fleet.detector.is_ejected("r2"));
  EXPECT_FALSE(fleet.reader.current().panic());  // 2 of 3 usable
  EXPECT_EQ(fleet.send(300).count("r2"), 0u);    // not one call to the ejected replica
  fleet.failing["r2"] = false;                   // it heals
  fleet.scheduler.advance(seconds(30));
  EXPECT_FALSE(fleet.detector.is_ejected("r2"));
  EXPECT_GT(fleet.send(300)["r2"], 50);
}

TEST(EndpointSelectionTest, ActiveVerdictAndEjectionCombine) {
  Fleet fleet;
  ASSERT_TRUE(fleet.set.set_active_healthy("r1", false).ok());  // the active checker's callback
  EXPECT_EQ(fleet.send(100).count("r1"), 0u);
  fleet.failing["r2"] = true;
  fleet.send(20);
  ASSERT_TRUE(fleet.detector.is_ejected("r2"));
  // Only r3 is usable: 33% < 50%, panic: all three share the load again.
  EXPECT_TRUE(fleet.reader.current().panic());
  EXPECT_EQ(fleet.send(300).size(), 3u);
}

}  // namespace
}  // namespace faultline::health
