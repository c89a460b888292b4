// Partitioning: split a history into independent pieces checked apart.
//
// Linearizability is compositional (Herlihy & Wing): a history is
// linearizable iff each object's sub-history is. For a key-value map every
// key is its own object, so a history over 10 keys is 10 small searches
// instead of one exponentially larger one — Porcupine's main trick.
// A model that is not partitioned by key (the register) yields one piece.
//
// Two kinds of operation are dropped here, neither of which can change a
// verdict: reads whose result is unknown (they constrain nothing and change
// nothing), and info writes/puts/cas whose value no operation reads or
// expects — or, with appends, whose value no read result or expectation
// contains (they may never have happened, and if they did nothing could
// tell). The second keeps the search from doubling its states for every
// such write in flight.
//
//   Result<std::vector<Partition>> parts = partition_operations(ops, kv_model());
//
// Thread-safety: a pure function.
#pragma once

#include <string>
#include <vector>

#include "faultline/check/history.hpp"
#include "faultline/check/model.hpp"
#include "faultline/core/result.hpp"

namespace faultline::check {

struct Partition {
  std::string key;  // empty for an unpartitioned model
  std::vector<Operation> operations;  // in call order; ids are the history's
};

// Validates every operation against the model (invalid_argument naming the
// operation's line) and groups them, keys in lexicographic order.
[[nodiscard]] Result<std::vector<Partition>> partition_operations(
    const std::vector<Operation>& operations, const Model& model);

}  // namespace faultline::check
