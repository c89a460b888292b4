// The minimal failing slice: the few operations that show a violation.
//
// A non-linearizable partition may hold thousands of operations; a person
// needs the handful that cannot be ordered. Every reduction here is sound —
// if the slice cannot be linearized, neither can the history:
//   1. the shortest prefix that fails (linearizability is prefix-closed;
//      operations still pending at the cut become `info`), found by
//      bisection on return times;
//   2. then, latest first, drop each operation whose removal keeps the
//      slice failing, if it is a read (a read changes nothing), or an
//      operation whose value no remaining read returned or cas expected
//      (nothing can have depended on it; with appends, no read result
//      contains it). Writes someone saw stay: removing them could make the
//      slice fail for a reason the history does not have (a read of 1
//      with the write of 1 gone).
// Each step is one bounded search; at most `attempts_max` are made, using
// at most `shrink_steps_max` search steps in all, after which the slice
// found so far is returned (still sound, maybe larger). A step whose search
// runs out of budget keeps the operation.
//
//   std::vector<Operation> slice = minimal_failing_slice(partition.operations, model, limits);
//
// Thread-safety: a pure function.
#pragma once

#include <cstddef>
#include <vector>

#include "faultline/check/history.hpp"
#include "faultline/check/linearizability.hpp"
#include "faultline/check/model.hpp"

namespace faultline::check {

struct SliceLimits {
  SearchLimits search;
  std::size_t attempts_max = 2'000;  // searches spent on shrinking
  std::uint64_t shrink_steps_max = 20'000'000;  // their steps, all together
};

// Precondition: search_linearization(operations, ...) said not_linearizable.
// Returns a failing subset, in call order, with the history's ids.
[[nodiscard]] std::vector<Operation> minimal_failing_slice(const std::vector<Operation>& operations,
                                                           const Model& model,
                                                           const SliceLimits& limits);

}  // namespace faultline::check
