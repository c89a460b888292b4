#include "demo/capacity_plan.hpp"

#include <algorithm>
#include <cmath>

#include "faultline/core/assert.hpp"

namespace faultline::demo {

CapacityPlan CapacityPlan::standard(Duration total, double rate_per_second) {
  FAULTLINE_ASSERT(total > Duration::zero() && rate_per_second > 0, "capacity plan out of range");
  CapacityPlan plan;
  // Rounded before the ceiling so 50/s x 100 ms x 1.6 is 8, not 9.
  const double needed = std::round(plan.demand(rate_per_second) * 1.6 * 1000.0) / 1000.0;
  plan.normal = std::max<std::size_t>(2, static_cast<std::size_t>(std::ceil(needed)));
  plan.reduced = plan.normal / 2;
  plan.drop_at = std::chrono::duration_cast<Duration>(total * 0.3);
  plan.restore_at = std::chrono::duration_cast<Duration>(total * 0.8);
  return plan;
}

CapacityPlan::Segment CapacityPlan::segment_at(Duration elapsed) const noexcept {
  if (elapsed < drop_at) return Segment::before_drop;
  if (elapsed < restore_at) return Segment::dropped;
  return Segment::restored;
}

double CapacityPlan::demand(double rate_per_second) const noexcept {
  return rate_per_second * std::chrono::duration<double>(service_time).count();
}

}  // namespace faultline::demo
