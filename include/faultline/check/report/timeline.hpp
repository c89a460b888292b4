// Text reports of a check: the verdict, and a timeline of a failing slice.
//
// The timeline draws one row per operation on a shared real-time axis, so
// a reader sees which operations overlapped and which strictly followed
// one another — exactly what decides linearizability:
//
//   p0  |-----|              put x 1          (lines 1-2)
//   p1          |-----|      get x -> 1       (lines 3-4)
//   p0                |---|  get x -> nil     (lines 5-6)
//   p2     |------------->   put x 2 (info)   (line 7)
//
// Columns are ranks of the distinct call/return times, not durations: the
// order is what matters. At most kTimelineRowsMax rows are drawn.
//
//   std::cout << render_check_report(result, kv_model());
//
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "faultline/check/checker.hpp"
#include "faultline/check/history.hpp"
#include "faultline/check/model.hpp"

namespace faultline::check {

inline constexpr std::size_t kTimelineRowsMax = 200;

// The rows above for `operations`, each ending in '\n'.
[[nodiscard]] std::string render_timeline(const std::vector<Operation>& operations,
                                          const Model& model);

// The verdict line, per-partition figures for a failure or an unknown, and
// the failing slice's timeline.
[[nodiscard]] std::string render_check_report(const CheckResult& result, const Model& model);

}  // namespace faultline::check
