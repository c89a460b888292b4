// Whether an operation's value can have been seen (internal; used by the
// partitioner to drop unobservable infos and by the slice shrinker).
//
// A value is seen when a read with a known result returned it or a cas
// expected it. With appends in the history a value lives on inside later
// values, so there "seen" means contained in a read result or expectation.
// A write nobody can have seen can be removed without changing whether the
// history is linearizable in the direction that matters (see the callers).
//
// Thread-safety: pure functions.
#pragma once

#include <algorithm>
#include <string>
#include <vector>

#include "faultline/check/history.hpp"

namespace faultline::check {

[[nodiscard]] inline bool has_append(const std::vector<Operation>& operations) {
  return std::any_of(operations.begin(), operations.end(),
                     [](const Operation& op) { return op.function == "append"; });
}

// The values reads returned and cas operations expected, skipping index
// `skip` (SIZE_MAX: none).
[[nodiscard]] inline std::vector<Value> observations_of(const std::vector<Operation>& operations,
                                                        std::size_t skip = SIZE_MAX) {
  std::vector<Value> observations;
  for (std::size_t i = 0; i < operations.size(); ++i) {
    const Operation& op = operations[i];
    if (i == skip) continue;
    if (op.is_read() && op.result_known) observations.push_back(op.value);
    if (op.function == "cas") observations.push_back(op.expected);
  }
  return observations;
}

[[nodiscard]] inline bool seen(const Value& value, const std::vector<Value>& observations,
                               bool appends) {
  return std::any_of(observations.begin(), observations.end(), [&](const Value& observed) {
    if (!appends || !value || !observed) return observed == value;
    return observed->find(*value) != std::string::npos;
  });
}

}  // namespace faultline::check
