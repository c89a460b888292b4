// LoadGenerator: a fixed-rate, open-loop load sent to several clients alike.
//
// Request n (from 1) is due at start + (n - 1) / rate, whether or not
// earlier requests have finished: that is what "open loop" means, and it is
// how real traffic behaves (users do not wait for each other). Every target
// gets the same request ids at the same instants, each on its own bounded
// WorkerPool, so two clients can be compared under exactly the same load.
// A request that finds its target's pool full is not sent; the target's
// on_shed is told instead.
//
//   LoadGenerator load({.rate_per_second = 50, .duration = 30s}, clock,
//                      {{"bare", bare_call, bare_shed}, {"protected", ...}});
//   load.run(clock.now(), stop);   // blocks until the schedule ends and calls drain
//
// Thread-safety: run() once, from one thread. Targets' callbacks run on
// their pool's threads (call) or the generator's thread (on_shed).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <stop_token>
#include <string>
#include <vector>

#include "faultline/core/clock.hpp"

namespace faultline::demo {

struct LoadConfig {
  double rate_per_second = 50;  // (0, kRateMax]
  Duration duration = std::chrono::seconds(30);
  std::size_t workers_per_target = 64;
  std::size_t queue_capacity_per_target = 64;

  static constexpr double kRateMax = 1000;
};

struct LoadTarget {
  std::string name;
  // Runs on a worker. `due` is when the request was scheduled: measure
  // latency from it so time queued for a worker counts.
  std::function<void(std::uint64_t request_id, TimePoint due)> call;
  // Runs on the generator's thread when the request could not be queued.
  std::function<void(std::uint64_t request_id, TimePoint due)> on_shed;
};

class LoadGenerator {
 public:
  LoadGenerator(LoadConfig config, const Clock& clock, std::vector<LoadTarget> targets);

  // Issues the schedule from `start` until `start + duration` or until stop
  // is requested, then waits for every queued and running call to finish
  // (calls must watch `stop` themselves to end early). Returns the number
  // of request ids issued.
  std::uint64_t run(TimePoint start, std::stop_token stop);

  [[nodiscard]] std::uint64_t requests_planned() const noexcept;

 private:
  LoadConfig config_;
  const Clock& clock_;
  std::vector<LoadTarget> targets_;
};

}  // namespace faultline::demo
