// The replica lane's bookkeeping (plan windows, per-replica counts, the
// live view's line, the summary table) and the lane itself on real sockets:
// a replica taken down is ejected and gets no more calls, and gets them
// again once it is back and passes its health checks.
#include "demo/replica_traffic.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "demo/replica_set.hpp"
#include "demo/timer_thread.hpp"

namespace faultline::demo {
namespace {

using namespace std::chrono_literals;
using Window = ReplicaOutagePlan::Window;

TEST(ReplicaOutagePlanTest, TheMiddleReplicaIsDownFromThirtyToSixtyPercentOfTheRun) {
  const ReplicaOutagePlan plan = ReplicaOutagePlan::standard(30s);
  EXPECT_EQ(plan.replica, 1u);
  EXPECT_EQ(plan.down_at, 9s);
  EXPECT_EQ(plan.up_at, 18s);
  EXPECT_EQ(plan.window_at(8999ms), Window::before);
  EXPECT_EQ(plan.window_at(9s), Window::down);
  EXPECT_EQ(plan.window_at(17999ms), Window::down);
  EXPECT_EQ(plan.window_at(18s), Window::after);
}

TEST(ReplicaTrafficTest, CountsPerReplicaAndWindowAndTakesTheIntervalOnce) {
  ReplicaTraffic traffic({"a", "b"});
  traffic.record(0, Window::before, true, false);
  traffic.record(0, Window::before, false, false);
  traffic.record(1, Window::down, true, true);
  EXPECT_EQ(traffic.totals(0, Window::before).calls, 2u);
  EXPECT_EQ(traffic.totals(0, Window::before).successes, 1u);
  EXPECT_EQ(traffic.totals(1, Window::down).while_ejected, 1u);
  EXPECT_EQ(traffic.totals(1, Window::before).calls, 0u);
  EXPECT_EQ(traffic.sent_while_ejected(), 1u);
  EXPECT_EQ(traffic.take_interval(), (std::vector<std::uint64_t>{2, 1}));
  EXPECT_EQ(traffic.take_interval(), (std::vector<std::uint64_t>{0, 0}));
}

TEST(ReplicaTrafficTest, TheIntervalLineShowsSharesAndStates) {
  const std::string line =
      ReplicaTraffic::format_interval({"r1", "r2"}, {3, 1}, {"", "down, ejected"});
  EXPECT_EQ(line, "replicas  r1   3 75.0% | r2   1 25.0% down, ejected");
}

TEST(ReplicaTrafficTest, TheSummaryGivesEachWindowsSharesAndTheEjectedCount) {
  ReplicaTraffic traffic({"replica-1", "replica-2"});
  for (int i = 0; i < 3; ++i) traffic.record(0, Window::down, true, false);
  traffic.record(1, Window::down, false, false);
  std::ostringstream out;
  traffic.print_summary(out, ReplicaOutagePlan{.replica = 1, .down_at = 3s, .up_at = 6s},
                        TextStyle{});
  const std::string text = out.str();
  EXPECT_NE(text.find("Replicas: replica-2 taken down from 3.0 s to 6.0 s"), std::string::npos)
      << text;
  EXPECT_NE(text.find("3 75.0%"), std::string::npos) << text;
  EXPECT_NE(text.find("1 of 4"), std::string::npos) << text;
  EXPECT_NE(text.find("Calls sent to a replica while it was ejected: 0"), std::string::npos)
      << text;
}

// Calls the lane until `done` says stop or 5 s pass; true if `done` did.
template <class Done>
bool call_until(ReplicaSet& replicas, const Clock& clock, Window window, Done done) {
  const TimePoint give_up = clock.now() + 5s;
  std::uint64_t id = 0;
  while (clock.now() < give_up) {
    const Duration at = window == Window::before ? 0s : window == Window::down ? 1s : 2s;
    replicas.call(++id, at, clock.now() + 500ms);
    if (done()) return true;
    std::this_thread::sleep_for(5ms);
  }
  return false;
}

TEST(ReplicaSetTest, ADownReplicaIsTakenOutOfRotationAndComesBackAfterItRecovers) {
  TimerThread timers;
  const Clock& clock = SteadyClock::instance();
  std::mutex mutex;
  std::vector<std::string> notes;
  ReplicaSet replicas(timers, clock, ReplicaOutagePlan{.replica = 1, .down_at = 1s, .up_at = 2s},
                      [&](std::string text, Tone) {
                        std::lock_guard lock(mutex);
                        notes.push_back(std::move(text));
                      });
  ASSERT_TRUE(replicas.start().ok());
  auto states = [&] { return replicas.states(); };

  replicas.take_down(1);
  // Out of rotation once both verdicts are in: ejected and unhealthy.
  ASSERT_TRUE(call_until(replicas, clock, Window::down, [&] {
    return states()[1] == "down, unhealthy, ejected" || states()[1] == "down, unhealthy";
  })) << states()[1];
  (void)replicas.traffic().take_interval();  // start a fresh count
  for (std::uint64_t id = 0; id < 30; ++id) replicas.call(id, 1s, clock.now() + 500ms);
  const auto while_out = replicas.traffic().take_interval();
  EXPECT_EQ(while_out[1], 0u);
  EXPECT_EQ(while_out[0] + while_out[2], 30u);

  ASSERT_TRUE(replicas.bring_back(1).ok());
  ASSERT_TRUE(call_until(replicas, clock, Window::after, [&] { return states()[1].empty(); }))
      << states()[1];
  (void)replicas.traffic().take_interval();  // start a fresh count
  for (std::uint64_t id = 0; id < 30; ++id) replicas.call(id, 2s, clock.now() + 500ms);
  EXPECT_GT(replicas.traffic().take_interval()[1], 0u);
  EXPECT_EQ(replicas.traffic().totals(1, Window::after).calls,
            replicas.traffic().totals(1, Window::after).successes);

  std::lock_guard lock(mutex);
  bool ejected_noted = false;
  bool unhealthy_noted = false;
  for (const std::string& note : notes) {
    ejected_noted |= note.find("replica-2 ejected") != std::string::npos;
    unhealthy_noted |= note.find("replica-2 fails its health checks") != std::string::npos;
  }
  EXPECT_TRUE(ejected_noted || unhealthy_noted);
}

}  // namespace
}  // namespace faultline::demo
