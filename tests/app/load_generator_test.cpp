// The open-loop load: every target gets the same request ids at the same
// instants; a saturated target sheds instead of slowing the load; a stop
// request ends the run early. The worker pool's bounds hold.
#include "demo/load_generator.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#include "demo/worker_pool.hpp"
#include "faultline/core/manual_clock.hpp"

namespace faultline::demo {
namespace {

using namespace std::chrono_literals;

struct Recorded {
  std::mutex mutex;
  std::vector<std::pair<std::uint64_t, TimePoint>> calls;
  std::atomic<int> shed{0};

  LoadTarget target(std::string name, Duration work = 0s) {
    return LoadTarget{std::move(name),
                      [this, work](std::uint64_t id, TimePoint due) {
                        if (work > 0s) std::this_thread::sleep_for(work);
                        std::lock_guard lock(mutex);
                        calls.emplace_back(id, due);
                      },
                      [this](std::uint64_t, TimePoint) { ++shed; }};
  }
  std::vector<std::pair<std::uint64_t, TimePoint>> sorted() {
    std::lock_guard lock(mutex);
    auto copy = calls;
    std::sort(copy.begin(), copy.end());
    return copy;
  }
};

TEST(LoadGenerator, EveryTargetGetsTheSameRequestsAtTheSameInstants) {
  ManualClock clock;  // sleeping advances it: the run takes no real time
  Recorded bare;
  Recorded protected_client;
  LoadGenerator load({.rate_per_second = 100,
                      .duration = 1s,
                      .workers_per_target = 4,
                      .queue_capacity_per_target = 200},
                     clock, {bare.target("bare"), protected_client.target("protected")});
  const TimePoint start = clock.now();
  EXPECT_EQ(load.run(start, {}), 100U);
  const auto calls = bare.sorted();
  ASSERT_EQ(calls.size(), 100U);
  EXPECT_EQ(calls, protected_client.sorted());
  for (std::size_t i = 0; i < calls.size(); ++i) {
    EXPECT_EQ(calls[i].first, i + 1);
    EXPECT_EQ(calls[i].second, start + 10ms * static_cast<int>(i));  // fixed rate, no drift
  }
  EXPECT_EQ(bare.shed.load(), 0);
}

TEST(LoadGenerator, ASaturatedTargetShedsInsteadOfSlowingTheLoad) {
  ManualClock clock;
  Recorded slow;
  Recorded fast;
  LoadGenerator load({.rate_per_second = 100,
                      .duration = 200ms,
                      .workers_per_target = 1,
                      .queue_capacity_per_target = 1},
                     clock, {slow.target("slow", 30ms), fast.target("fast")});
  EXPECT_EQ(load.run(clock.now(), {}), 20U);
  // One running, at most one queued: the rest were shed, none were delayed.
  EXPECT_GE(slow.shed.load(), 18);
  EXPECT_EQ(static_cast<int>(slow.sorted().size()) + slow.shed.load(), 20);
}

TEST(LoadGenerator, AStopRequestEndsTheRunEarly) {
  const SteadyClock& clock = SteadyClock::instance();
  Recorded target;
  LoadGenerator load({.rate_per_second = 20, .duration = 30s}, clock, {target.target("t")});
  std::stop_source stop;
  std::jthread stopper([&stop] {
    std::this_thread::sleep_for(120ms);
    stop.request_stop();
  });
  const TimePoint start = clock.now();
  const std::uint64_t issued = load.run(start, stop.get_token());
  EXPECT_LT(clock.now() - start, 1s);
  EXPECT_GE(issued, 2U);
  EXPECT_LE(issued, 5U);
  EXPECT_EQ(target.sorted().size(), issued);
}

TEST(LoadGenerator, PlansRateTimesDuration) {
  ManualClock clock;
  Recorded target;
  LoadGenerator load({.rate_per_second = 50, .duration = 30s}, clock, {target.target("t")});
  EXPECT_EQ(load.requests_planned(), 1500U);
}

TEST(WorkerPool, RefusesJobsBeyondItsQueueAndRunsTheQueuedOnesAtShutdown) {
  WorkerPool pool(1, 2);
  std::atomic<bool> release{false};
  std::atomic<int> ran{0};
  ASSERT_TRUE(pool.try_submit([&] {
    while (!release.load()) std::this_thread::sleep_for(1ms);
    ++ran;
  }));
  // Wait until the worker holds the first job, so the queue is empty.
  std::this_thread::sleep_for(20ms);
  EXPECT_TRUE(pool.try_submit([&] { ++ran; }));
  EXPECT_TRUE(pool.try_submit([&] { ++ran; }));
  EXPECT_FALSE(pool.try_submit([&] { ++ran; }));
  release = true;
  pool.shutdown();
  EXPECT_EQ(ran.load(), 3);
  EXPECT_FALSE(pool.try_submit([&] { ++ran; }));
}

}  // namespace
}  // namespace faultline::demo
