// Runs under ThreadSanitizer (faultline_concurrency_tests): readers pick
// and track requests while another thread flips verdicts and the outlier
// detector ejects.

#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "faultline/core/manual_scheduler.hpp"
#include "faultline/core/random.hpp"
#include "faultline/health/endpoint_set.hpp"
#include "faultline/health/outlier_detector.hpp"
#include "faultline/health/pickers.hpp"

namespace faultline::health {
namespace {

std::string name_of(int i) {
  std::string name = "e";
  name += std::to_string(i);
  return name;
}

TEST(EndpointSetConcurrencyTest, PicksStayRoutableAndCountsBalanceWhileVerdictsChange) {
  constexpr int kEndpoints = 8;
  EndpointSet set;
  ManualScheduler scheduler;
  OutlierDetectionConfig config;
  config.enforce_success_rate = false;
  config.max_ejection_percent = 50;
  OutlierDetector detector(config, scheduler);
  for (int i = 0; i < kEndpoints; ++i) {
    ASSERT_TRUE(set.add(name_of(i)).ok());
    ASSERT_TRUE(detector.add_endpoint(name_of(i)).ok());
  }
  detector.connect_to(set);
  std::atomic<std::uint64_t> notifications{0};
  set.subscribe([&](const EndpointSnapshot&) { notifications.fetch_add(1, std::memory_order_relaxed); });

  std::atomic<bool> stop{false};
  std::atomic<int> bad_picks{0};
  RoundRobinPicker shared_round_robin;
  LeastOutstandingPicker shared_least;
  std::vector<std::thread> readers;
  for (int t = 0; t < 3; ++t) {
    readers.emplace_back([&, t] {
      SnapshotReader reader(set);
      Random random(static_cast<std::uint64_t>(t) + 1);
      PowerOfTwoChoicesPicker p2c(random);
      for (int i = 0; i < 20000 && !stop.load(); ++i) {
        const EndpointSnapshot& snapshot = reader.current();
        Picker& picker = i % 3 == 0 ? static_cast<Picker&>(p2c)
                         : i % 3 == 1 ? static_cast<Picker&>(shared_round_robin)
                                      : static_cast<Picker&>(shared_least);
        const EndpointView* e = picker.pick(snapshot);
        if (e == nullptr) continue;
        if (!snapshot.panic() && !e->usable()) bad_picks.fetch_add(1);
        OutstandingRequest request(*e);
        // Calls to e3 fail: the detector ejects it from this thread.
        (void)detector.record(e->name, e->name == "e3" ? CallResult::failure() : CallResult::success());
      }
    });
  }
  std::thread flipper([&] {
    for (int i = 0; i < 2000; ++i) (void)set.set_active_healthy(name_of(i % kEndpoints), i % 2 == 0);
  });
  flipper.join();
  for (auto& reader : readers) reader.join();
  stop.store(true);

  EXPECT_EQ(bad_picks.load(), 0);
  for (const EndpointView& e : set.snapshot()->all()) EXPECT_EQ(e.outstanding(), 0) << e.name;
  EXPECT_GT(notifications.load(), 0u);
  EXPECT_EQ(set.snapshot()->find("e3")->ejected, detector.is_ejected("e3"));
}

}  // namespace
}  // namespace faultline::health
