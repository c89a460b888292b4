// check_history(): is this history linearizable? The checker's front door.
//
// Pairs events into operations, splits them per key (partition.hpp),
// searches each partition (linearizability.hpp) and, for the first
// partition that fails, shrinks it to a minimal failing slice
// (minimal_slice.hpp). The overall verdict is `not_linearizable` if any
// partition fails, else `unknown` if any search hit its limits, else
// `linearizable`.
//
// Use it on a history from a parser (history_parser.hpp), the simulator's
// clients, or a test; render the result with report/timeline.hpp.
//
//   Result<History> history = parse_history(text);
//   Result<CheckResult> result = check_history(*history, kv_model());
//   if (result.ok() && result->verdict == Verdict::not_linearizable) { ... result->failing_slice ... }
//
// Thread-safety: a pure function.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "faultline/check/history.hpp"
#include "faultline/check/linearizability.hpp"
#include "faultline/check/minimal_slice.hpp"
#include "faultline/check/model.hpp"
#include "faultline/core/result.hpp"

namespace faultline::check {

struct PartitionResult {
  std::string key;  // empty for an unpartitioned model
  std::size_t operation_count = 0;
  SearchOutcome outcome;
};

struct CheckResult {
  Verdict verdict = Verdict::unknown;
  std::size_t operation_count = 0;  // after pairing; fails excluded
  std::vector<PartitionResult> partitions;
  // When not linearizable: the first failing partition's key and its
  // minimal failing slice, in call order. Empty otherwise.
  std::string failing_key;
  std::vector<Operation> failing_slice;
};

struct CheckOptions {
  SearchLimits limits;
  bool shrink_slice = true;  // off: failing_slice is the whole failing partition
  std::size_t slice_attempts_max = 2'000;
  std::uint64_t slice_steps_max = 20'000'000;  // all shrinking searches together
};

// invalid_argument (naming the line) when events do not pair up or an
// operation does not fit the model; otherwise the verdict.
[[nodiscard]] Result<CheckResult> check_history(const History& history, const Model& model,
                                                const CheckOptions& options = {});
[[nodiscard]] Result<CheckResult> check_operations(const std::vector<Operation>& operations,
                                                   const Model& model,
                                                   const CheckOptions& options = {});

}  // namespace faultline::check
