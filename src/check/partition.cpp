#include "faultline/check/partition.hpp"

#include "observation.hpp"

#include <algorithm>
#include <map>

namespace faultline::check {

namespace {

// Info writes whose value no operation can have seen. Such a write may
// never have happened, and if it did, nothing could tell: every operation
// between it and the next overwrite is an info or an append (a known read
// or cas would have had to see its value), and the infos can move to the
// end. So dropping it changes no verdict, while keeping it doubles the
// states the search explores for each one in flight. With appends a value
// lives on inside later values, so "seen" means "contained in" a read
// result or cas expectation there, and "equal to" otherwise.
void drop_unobservable_infos(std::vector<Operation>& ops) {
  const bool appends = has_append(ops);
  const std::vector<Value> observations = observations_of(ops);  // copies: ops move below
  std::vector<Operation> kept;
  kept.reserve(ops.size());
  for (Operation& op : ops) {
    const bool unobservable = !op.result_known && !op.is_read() && !seen(op.value, observations, appends);
    if (!unobservable) kept.push_back(std::move(op));
  }
  ops = std::move(kept);
}

}  // namespace

Result<std::vector<Partition>> partition_operations(const std::vector<Operation>& operations,
                                                    const Model& model) {
  // std::map: keys come out sorted, so reports are the same on every run.
  std::map<std::string, std::vector<Operation>> by_key;
  for (const Operation& op : operations) {
    Status valid = model.validate(op);
    if (!valid.ok()) {
      return Status::invalid_argument("line " + std::to_string(op.invoke_line) + ": " +
                                      std::string(valid.message()));
    }
    if (op.is_read() && !op.result_known) continue;
    const std::string key = model.partitioned_by_key() ? op.key : std::string();
    by_key[key].push_back(op);
  }
  std::vector<Partition> partitions;
  partitions.reserve(by_key.size());
  for (auto& [key, ops] : by_key) {
    drop_unobservable_infos(ops);
    partitions.push_back(Partition{key, std::move(ops)});
  }
  return partitions;
}

}  // namespace faultline::check
