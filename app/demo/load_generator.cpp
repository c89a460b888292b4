#include "demo/load_generator.hpp"

#include <cmath>
#include <memory>

#include "demo/worker_pool.hpp"
#include "faultline/core/assert.hpp"

namespace faultline::demo {

LoadGenerator::LoadGenerator(LoadConfig config, const Clock& clock, std::vector<LoadTarget> targets)
    : config_(config), clock_(clock), targets_(std::move(targets)) {
  FAULTLINE_ASSERT(config_.rate_per_second > 0 && config_.rate_per_second <= LoadConfig::kRateMax,
                   "load rate out of range");
  FAULTLINE_ASSERT(config_.duration > Duration::zero(), "load duration must be positive");
  FAULTLINE_ASSERT(!targets_.empty(), "a load needs at least one target");
  for (const auto& target : targets_) {
    FAULTLINE_ASSERT(target.call && target.on_shed, "a load target needs both callbacks");
  }
}

std::uint64_t LoadGenerator::requests_planned() const noexcept {
  const double seconds = std::chrono::duration<double>(config_.duration).count();
  return static_cast<std::uint64_t>(std::ceil(seconds * config_.rate_per_second));
}

std::uint64_t LoadGenerator::run(TimePoint start, std::stop_token stop) {
  std::vector<std::unique_ptr<WorkerPool>> pools;
  for (std::size_t i = 0; i < targets_.size(); ++i) {
    pools.push_back(std::make_unique<WorkerPool>(config_.workers_per_target,
                                                 config_.queue_capacity_per_target));
  }
  const std::uint64_t planned = requests_planned();
  const std::chrono::duration<double> interval(1.0 / config_.rate_per_second);
  std::uint64_t issued = 0;
  for (std::uint64_t id = 1; id <= planned; ++id) {
    // Computed from the start, not accumulated: no drift over a long run.
    const TimePoint due =
        start + std::chrono::duration_cast<Duration>(interval * static_cast<double>(id - 1));
    if (!clock_.sleep_until(due, stop)) break;
    for (std::size_t i = 0; i < targets_.size(); ++i) {
      const LoadTarget& target = targets_[i];
      if (!pools[i]->try_submit([&target, id, due] { target.call(id, due); }))
        target.on_shed(id, due);
    }
    issued = id;
  }
  // Joins every worker: the calls still running end by their own deadlines.
  for (auto& pool : pools) pool->shutdown();
  return issued;
}

}  // namespace faultline::demo
