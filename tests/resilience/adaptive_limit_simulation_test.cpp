// The closed-loop simulation: a server with a fixed capacity and a queue,
// load that doubles, and a concurrency limit in front of it, all on the
// ManualScheduler's virtual time (no sleeping; a run takes milliseconds).
//
// The server has 20 workers; a call takes 9-11ms of work (10ms on average,
// the unloaded latency), so it completes at most 2000 calls a second, and
// calls beyond the busy workers wait in an unbounded FIFO queue. Clients
// send Poisson traffic at 1600 calls a second (80% of capacity) for 3s, then
// at 3200 (twice that) for 7s. Every call passes a limiter first; a
// rejected call is dropped at once. We measure the last 5s:
//
// - a static limit set too high (a bulkhead of 1000) admits everything, the
//   queue grows by 1200 calls a second, and latency explodes;
// - each adaptive limit keeps the queue short: goodput within 10% of
//   capacity and p99 latency within twice the unloaded latency.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "faultline/core/manual_scheduler.hpp"
#include "faultline/core/random.hpp"
#include "faultline/resilience/adaptive_concurrency_limiter.hpp"
#include "faultline/resilience/aimd_limit.hpp"
#include "faultline/resilience/bulkhead.hpp"
#include "faultline/resilience/gradient_limit.hpp"
#include "faultline/resilience/vegas_limit.hpp"

namespace faultline::resilience {
namespace {

using namespace std::chrono_literals;

constexpr int kWorkers = 20;
constexpr Duration kUnloadedLatency = 10ms;  // the mean of 9..11ms of work
constexpr double kCapacityPerSecond = kWorkers * (1s / kUnloadedLatency);
constexpr double kBaseLoadPerSecond = 0.8 * kCapacityPerSecond;
constexpr Duration kBasePhase = 3s;
constexpr Duration kDoubledPhase = 7s;
constexpr Duration kMeasured = 5s;  // the end of the doubled phase

// What stands between the clients and the server.
struct Gate {
  std::function<bool()> admit;
  std::function<void(Duration rtt)> done;
  std::function<std::uint32_t()> limit;
};

// Fixed workers and an unbounded FIFO queue.
class Server {
 public:
  Server(ManualScheduler& scheduler, Random& random) : scheduler_(scheduler), random_(random) {}

  void submit(std::function<void()> on_done) {
    if (busy_ < kWorkers) return start(std::move(on_done));
    queue_.push_back(std::move(on_done));
  }

 private:
  void start(std::function<void()> on_done) {
    ++busy_;
    const Duration work = random_.uniform_duration(9ms, 11ms);
    scheduler_.schedule_after(work, [this, on_done = std::move(on_done)] {
      --busy_;
      on_done();
      if (!queue_.empty() && busy_ < kWorkers) {
        auto next = std::move(queue_.front());
        queue_.pop_front();
        start(std::move(next));
      }
    });
  }

  ManualScheduler& scheduler_;
  Random& random_;
  int busy_ = 0;
  std::deque<std::function<void()>> queue_;
};

struct Outcome {
  std::string name;
  double goodput_per_second = 0;
  Duration p50 = Duration::zero();
  Duration p99 = Duration::zero();
  double rejected_share = 0;
  std::uint32_t limit_at_end = 0;
};

Duration percentile(std::vector<Duration> latencies, double p) {
  if (latencies.empty()) return Duration::zero();
  std::sort(latencies.begin(), latencies.end());
  const auto rank = static_cast<std::size_t>(std::ceil(p * latencies.size())) - 1;
  return latencies[std::min(rank, latencies.size() - 1)];
}

Outcome simulate(const std::string& name, Gate gate, std::uint64_t seed = 42) {
  ManualScheduler scheduler;
  Random random(seed);
  Server server(scheduler, random);
  const TimePoint start = scheduler.clock().now();
  const TimePoint doubled_at = start + kBasePhase;
  const TimePoint end = doubled_at + kDoubledPhase;
  const TimePoint measure_from = end - kMeasured;

  std::vector<Duration> latencies;
  std::uint64_t arrived = 0;
  std::uint64_t rejected = 0;

  std::function<void()> arrive = [&] {
    const TimePoint now = scheduler.clock().now();
    if (now >= end) return;
    const bool measuring = now >= measure_from;
    arrived += measuring;
    if (gate.admit()) {
      server.submit([&, sent_at = now] {
        const TimePoint finished = scheduler.clock().now();
        const Duration rtt = finished - sent_at;
        gate.done(rtt);
        if (finished >= measure_from && finished < end) latencies.push_back(rtt);
      });
    } else {
      rejected += measuring;
    }
    const double rate = now < doubled_at ? kBaseLoadPerSecond : 2 * kBaseLoadPerSecond;
    // Poisson arrivals: exponential gaps.
    const double gap_seconds = -std::log(1.0 - random.uniform_unit()) / rate;
    scheduler.schedule_after(Duration(static_cast<std::int64_t>(gap_seconds * 1e9)), arrive);
  };
  scheduler.schedule_after(Duration::zero(), arrive);
  scheduler.run_until(end);

  Outcome outcome;
  outcome.name = name;
  const double seconds = std::chrono::duration<double>(kMeasured).count();
  outcome.goodput_per_second = static_cast<double>(latencies.size()) / seconds;
  outcome.p50 = percentile(latencies, 0.50);
  outcome.p99 = percentile(latencies, 0.99);
  outcome.rejected_share = arrived == 0 ? 0 : static_cast<double>(rejected) / arrived;
  outcome.limit_at_end = gate.limit();
  return outcome;
}

Gate gate_for(const std::shared_ptr<AdaptiveConcurrencyLimiter>& limiter) {
  return Gate{.admit = [limiter] { return limiter->try_acquire(); },
              .done = [limiter](Duration rtt) { limiter->release(0, rtt, CallResult::success); },
              .limit = [limiter] { return limiter->limit(); }};
}

Outcome simulate_adaptive(const std::string& name, std::unique_ptr<LimitAlgorithm> algorithm) {
  auto limiter = std::make_shared<AdaptiveConcurrencyLimiter>(
      AdaptiveConcurrencyLimiterConfig{.name = name}, std::move(algorithm));
  return simulate(name, gate_for(limiter));
}

Outcome simulate_static(std::uint32_t limit) {
  auto bulkhead = std::make_shared<Bulkhead>(BulkheadConfig{.max_concurrent_calls = limit});
  return simulate("static " + std::to_string(limit),
                  Gate{.admit = [bulkhead] { return bulkhead->try_acquire(); },
                       .done = [bulkhead](Duration) { bulkhead->release(); },
                       .limit = [limit] { return limit; }});
}

double ms(Duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

void print_table(const std::vector<Outcome>& outcomes) {
  std::printf("\nserver: %d workers, %.0fms a call, capacity %.0f/s; load %.0f/s then %.0f/s\n",
              kWorkers, ms(kUnloadedLatency), kCapacityPerSecond, kBaseLoadPerSecond,
              2 * kBaseLoadPerSecond);
  std::printf("%-12s %12s %10s %10s %10s %10s\n", "limit", "goodput/s", "p50 ms", "p99 ms",
              "rejected", "limit@end");
  for (const Outcome& o : outcomes) {
    std::printf("%-12s %12.0f %10.1f %10.1f %9.1f%% %10u\n", o.name.c_str(), o.goodput_per_second,
                ms(o.p50), ms(o.p99), 100 * o.rejected_share, o.limit_at_end);
  }
  std::printf("\n");
}

TEST(AdaptiveLimitSimulation, AStaticLimitLetsLatencyExplodeWhereAdaptiveLimitsHoldIt) {
  std::vector<Outcome> outcomes;
  outcomes.push_back(simulate_static(1000));
  // AIMD is loss-based: the client counts a call slower than 1.5x the
  // unloaded latency as lost (a timeout), which is its only signal here.
  outcomes.push_back(simulate_adaptive(
      "aimd", std::make_unique<AimdLimit>(AimdLimitConfig{.initial_limit = 10, .timeout = 15ms})));
  outcomes.push_back(
      simulate_adaptive("vegas", std::make_unique<VegasLimit>(VegasLimitConfig{.initial_limit = 10})));
  outcomes.push_back(simulate_adaptive(
      "gradient", std::make_unique<GradientLimit>(GradientLimitConfig{.initial_limit = 10})));
  print_table(outcomes);

  const Outcome& fixed = outcomes[0];
  EXPECT_GT(fixed.p99, 10 * kUnloadedLatency) << "the static limit should let the queue grow";
  for (std::size_t i = 1; i < outcomes.size(); ++i) {
    const Outcome& o = outcomes[i];
    SCOPED_TRACE(o.name);
    EXPECT_GE(o.goodput_per_second, 0.9 * kCapacityPerSecond);
    EXPECT_LE(o.goodput_per_second, 1.1 * kCapacityPerSecond);
    EXPECT_LE(o.p99, 2 * kUnloadedLatency);
  }
}

}  // namespace
}  // namespace faultline::resilience
