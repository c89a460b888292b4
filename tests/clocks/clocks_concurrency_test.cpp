// The lock-free clocks under many threads: every stamp unique, each
// thread's stamps strictly increasing, receives ordered after what they
// received. Runs under ThreadSanitizer in ./dev test.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <thread>
#include <vector>

#include "faultline/clocks/hlc.hpp"
#include "faultline/clocks/lamport_clock.hpp"
#include "faultline/core/wall_clock.hpp"

namespace faultline::clocks {
namespace {

using std::chrono::milliseconds;

constexpr int kThreads = 4;
constexpr int kStampsPerThread = 20'000;

template <class Stamp, class Issue>
std::vector<std::vector<Stamp>> issue_from_threads(Issue issue) {
  std::vector<std::vector<Stamp>> per_thread(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      per_thread[t].reserve(kStampsPerThread);
      for (int i = 0; i < kStampsPerThread; ++i) per_thread[t].push_back(issue(t, i));
    });
  }
  for (auto& thread : threads) thread.join();
  return per_thread;
}

template <class Stamp>
void expect_unique_and_increasing(const std::vector<std::vector<Stamp>>& per_thread) {
  std::vector<Stamp> all;
  for (const auto& stamps : per_thread) {
    EXPECT_TRUE(std::is_sorted(stamps.begin(), stamps.end()));
    EXPECT_EQ(std::adjacent_find(stamps.begin(), stamps.end()), stamps.end());
    all.insert(all.end(), stamps.begin(), stamps.end());
  }
  std::sort(all.begin(), all.end());
  EXPECT_EQ(std::adjacent_find(all.begin(), all.end()), all.end()) << "a stamp issued twice";
}

TEST(LamportConcurrency, TicksAndReceivesFromManyThreadsNeverCollide) {
  LamportClock clock(1);
  const auto stamps = issue_from_threads<LamportTimestamp>([&](int thread, int i) {
    if (i % 5 == 0) {
      const LamportTimestamp remote{static_cast<std::uint64_t>(i * 3 + thread), 2};
      const LamportTimestamp received = *clock.update(remote);
      EXPECT_GT(received.counter, remote.counter);
      return received;
    }
    return clock.tick();
  });
  expect_unique_and_increasing(stamps);
}

TEST(HlcConcurrency, NowAndUpdateFromManyThreadsStayUniqueAndMonotonic) {
  // The real wall clock: threads race on both the atomic word and time.
  HybridLogicalClock clock(SystemWallClock::instance());
  const auto stamps = issue_from_threads<HlcTimestamp>([&](int thread, int i) {
    if (i % 4 == 0) {
      HlcTimestamp remote = clock.last();
      remote.logical = static_cast<std::uint16_t>(thread);
      const auto received = clock.update(remote);
      EXPECT_TRUE(received.ok());
      EXPECT_GT(*received, remote);
      return *received;
    }
    return clock.now();
  });
  expect_unique_and_increasing(stamps);
}

TEST(HlcConcurrency, LogicalOverflowWaitsRatherThanWrapsUnderContention) {
  // A frozen manual wall clock: every stamp lands in one millisecond until
  // the counter runs out, and then the waiting thread moves time on.
  ManualWallClock wall(WallTimePoint(milliseconds(1'732'550'400'000)));
  HybridLogicalClock clock(wall);
  const auto stamps = issue_from_threads<HlcTimestamp>([&](int, int) { return clock.now(); });
  expect_unique_and_increasing(stamps);
  EXPECT_GE(clock.logical_overflow_waits_total(), 1u);
}

}  // namespace
}  // namespace faultline::clocks
