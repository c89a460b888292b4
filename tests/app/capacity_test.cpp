// The flaky service's capacity model: the standard plan's numbers, and the
// service really serving GET /capacity with a bounded number of workers,
// queueing the rest, and fewer workers while the plan says the capacity
// has dropped.
#include "demo/capacity_plan.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <future>
#include <optional>
#include <vector>

#include "demo/fault_schedule.hpp"
#include "demo/flaky_service.hpp"
#include "demo/http_client.hpp"

namespace faultline::demo {
namespace {

using namespace std::chrono_literals;
using Segment = CapacityPlan::Segment;

TEST(CapacityPlanTest, TheStandardPlanHalvesACapacityThatHadHeadroomForItsLoad) {
  const CapacityPlan plan = CapacityPlan::standard(30s, 50);
  EXPECT_EQ(plan.normal, 8u);   // 50/s x 100 ms = 5 busy, 1.6x that
  EXPECT_EQ(plan.reduced, 4u);  // below the 5 the load needs: a queue builds
  EXPECT_DOUBLE_EQ(plan.demand(50), 5.0);
  EXPECT_EQ(plan.drop_at, 9s);
  EXPECT_EQ(plan.restore_at, 24s);
}

TEST(CapacityPlanTest, CapacityIsReducedOnlyBetweenTheDropAndTheRestore) {
  const CapacityPlan plan = CapacityPlan::standard(10s, 50);
  EXPECT_EQ(plan.segment_at(0s), Segment::before_drop);
  EXPECT_EQ(plan.capacity_at(2999ms), 8u);
  EXPECT_EQ(plan.segment_at(3s), Segment::dropped);
  EXPECT_EQ(plan.capacity_at(7999ms), 4u);
  EXPECT_EQ(plan.segment_at(8s), Segment::restored);
  EXPECT_EQ(plan.capacity_at(1h), 8u);
}

TEST(CapacityPlanTest, ASlowLoadStillGetsTwoWorkersAndOne) {
  const CapacityPlan plan = CapacityPlan::standard(10s, 1);
  EXPECT_EQ(plan.normal, 2u);
  EXPECT_EQ(plan.reduced, 1u);
}

// A real service whose plan is fixed by the test: `workers` normally,
// `reduced` between `drop_at` and an hour later.
class CapacityServiceTest : public ::testing::Test {
 protected:
  void serve(std::size_t workers, std::size_t reduced, Duration drop_at) {
    CapacityPlan plan;
    plan.normal = workers;
    plan.reduced = reduced;
    plan.service_time = 100ms;
    plan.drop_at = drop_at;
    plan.restore_at = drop_at + 1h;
    service_.emplace(FaultSchedule(7, {Phase{"test", "healthy", 0s, 2h, FaultProfile{}}}), clock_,
                     FlakyServiceConfig{.capacity = plan});
    ASSERT_TRUE(service_->start().ok());
    client_.emplace(HttpClientConfig{.port = service_->port(), .client_name = "test"}, clock_);
  }

  // Sends `count` requests to /capacity at once; returns each one's latency.
  std::vector<Duration> burst(std::size_t count) {
    std::vector<std::future<Duration>> calls;
    for (std::size_t i = 0; i < count; ++i) {
      calls.push_back(std::async(std::launch::async, [this] {
        const TimePoint start = clock_.now();
        const auto reply = client_->get("/capacity", start + 5s, {});
        EXPECT_TRUE(reply.ok()) << reply.status();
        return clock_.now() - start;
      }));
    }
    std::vector<Duration> latencies;
    for (auto& call : calls) latencies.push_back(call.get());
    return latencies;
  }

  static Duration slowest(const std::vector<Duration>& latencies) {
    return *std::max_element(latencies.begin(), latencies.end());
  }

  const SteadyClock& clock_ = SteadyClock::instance();
  std::optional<FlakyService> service_;
  std::optional<HttpClient> client_;
};

TEST_F(CapacityServiceTest, RequestsWithinCapacityAreServedSideBySide) {
  serve(4, 4, 1h);
  // Four workers, four requests of 100 ms each: all done in about 100 ms.
  EXPECT_LT(slowest(burst(4)), 190ms);
}

TEST_F(CapacityServiceTest, RequestsBeyondCapacityQueueForAWorker) {
  serve(2, 2, 1h);
  // Two workers, six requests: three rounds of 100 ms.
  EXPECT_GE(slowest(burst(6)), 290ms);
}

TEST_F(CapacityServiceTest, AfterTheDropFewerRequestsAreServedAtOnce) {
  serve(4, 1, 0s);  // dropped from the start: one worker
  // Four requests that four workers would serve in 100 ms take four rounds.
  EXPECT_GE(slowest(burst(4)), 390ms);
}

TEST_F(CapacityServiceTest, TheRootPathIsNotLimited) {
  serve(1, 1, 1h);
  std::vector<std::future<bool>> calls;
  const TimePoint start = clock_.now();
  for (int i = 0; i < 4; ++i) {
    calls.push_back(std::async(std::launch::async,
                               [this] { return client_->get("/", clock_.now() + 5s, {}).ok(); }));
  }
  for (auto& call : calls) EXPECT_TRUE(call.get());
  // The healthy profile answers at once; nothing waited 100 ms for a worker.
  EXPECT_LT(clock_.now() - start, 90ms);
}

}  // namespace
}  // namespace faultline::demo
