#include "faultline/check/checker.hpp"

#include "faultline/check/partition.hpp"

namespace faultline::check {

Result<CheckResult> check_operations(const std::vector<Operation>& operations, const Model& model,
                                     const CheckOptions& options) {
  Result<std::vector<Partition>> partitions = partition_operations(operations, model);
  if (!partitions.ok()) return partitions.status();
  CheckResult result;
  result.operation_count = operations.size();
  bool any_unknown = false;
  for (const Partition& partition : *partitions) {
    PartitionResult part{partition.key, partition.operations.size(),
                         search_linearization(partition.operations, model, options.limits)};
    any_unknown = any_unknown || part.outcome.verdict == Verdict::unknown;
    const bool first_failure =
        part.outcome.verdict == Verdict::not_linearizable && result.failing_slice.empty();
    if (first_failure) {
      result.failing_key = partition.key;
      result.failing_slice =
          options.shrink_slice
              ? minimal_failing_slice(partition.operations, model,
                                      SliceLimits{options.limits, options.slice_attempts_max,
                                                  options.slice_steps_max})
              : partition.operations;
    }
    result.partitions.push_back(std::move(part));
  }
  if (!result.failing_slice.empty()) {
    result.verdict = Verdict::not_linearizable;
  } else {
    result.verdict = any_unknown ? Verdict::unknown : Verdict::linearizable;
  }
  return result;
}

Result<CheckResult> check_history(const History& history, const Model& model,
                                  const CheckOptions& options) {
  Result<std::vector<Operation>> operations = pair_operations(history);
  if (!operations.ok()) return operations.status();
  return check_operations(*operations, model, options);
}

}  // namespace faultline::check
