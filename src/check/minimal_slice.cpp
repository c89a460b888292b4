#include "faultline/check/minimal_slice.hpp"

#include <algorithm>

#include "faultline/core/assert.hpp"
#include "observation.hpp"

namespace faultline::check {
namespace {

// The shrinking budget: every search it runs draws from one pool of steps,
// so shrinking a large history costs a bounded multiple of checking it.
struct Budget {
  const Model& model;
  const SliceLimits& limits;
  std::size_t attempts = 0;
  std::uint64_t steps_used = 0;

  [[nodiscard]] bool left() const {
    return attempts < limits.attempts_max && steps_used < limits.shrink_steps_max;
  }
  // unknown (including running out of budget) counts as "not shown to
  // fail": a shrink step must never keep a slice we cannot prove wrong.
  bool fails(const std::vector<Operation>& operations) {
    SearchLimits search = limits.search;
    search.search_steps_max =
        std::min(search.search_steps_max, limits.shrink_steps_max - steps_used);
    ++attempts;
    const SearchOutcome outcome = search_linearization(operations, model, search);
    steps_used += outcome.search_steps;
    return outcome.verdict == Verdict::not_linearizable;
  }
};

// The history as it stood at `cut_time`: operations called after it are
// gone; those still running at it have not answered yet, so they are info.
std::vector<Operation> prefix_at(const std::vector<Operation>& operations, std::int64_t cut_time) {
  std::vector<Operation> prefix;
  for (const Operation& op : operations) {
    if (op.call_time > cut_time) continue;
    Operation copy = op;
    if (op.return_time > cut_time && op.result_known) {
      copy.result_known = false;
      copy.return_time = Operation::kNeverReturned;
      if (copy.is_read()) continue;  // an unanswered read constrains nothing
    }
    prefix.push_back(std::move(copy));
  }
  return prefix;
}

std::vector<Operation> shortest_failing_prefix(const std::vector<Operation>& operations,
                                               Budget& budget) {
  std::vector<std::int64_t> cuts;
  for (const Operation& op : operations) {
    if (op.result_known) cuts.push_back(op.return_time);
  }
  std::sort(cuts.begin(), cuts.end());
  cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
  // Invariant: the prefix at cuts[high] fails (the whole history does:
  // violations show at a known return, and the last one covers them all).
  std::size_t low = 0;
  std::size_t high = cuts.empty() ? 0 : cuts.size() - 1;
  while (low < high && budget.left()) {
    const std::size_t middle = low + (high - low) / 2;
    if (budget.fails(prefix_at(operations, cuts[middle]))) {
      high = middle;
    } else {
      low = middle + 1;
    }
  }
  if (cuts.empty()) return operations;
  return prefix_at(operations, cuts[high]);
}

// A read changes nothing, so dropping it only removes a constraint. Any
// other operation whose value no remaining operation can have seen
// (observation.hpp) may go too: in any linearization of the larger slice,
// the operations between it and the next put are appends and infos that
// observe nothing (infos can move to the end), so removing it leaves a
// linearization of the smaller one. Hence "smaller fails" implies "larger
// fails".
bool droppable(const std::vector<Operation>& slice, std::size_t index, bool appends) {
  const Operation& op = slice[index];
  if (op.is_read()) return true;
  return !seen(op.value, observations_of(slice, index), appends);
}

}  // namespace

std::vector<Operation> minimal_failing_slice(const std::vector<Operation>& operations,
                                             const Model& model, const SliceLimits& limits) {
  Budget budget{model, limits};
  std::vector<Operation> slice = shortest_failing_prefix(operations, budget);
  const bool appends = has_append(slice);
  // Latest first: late operations are the likeliest bystanders of an
  // earlier violation, and erasing from the back keeps indices valid.
  for (std::size_t index = slice.size(); index-- > 0 && budget.left();) {
    if (!droppable(slice, index, appends)) continue;
    std::vector<Operation> smaller = slice;
    smaller.erase(smaller.begin() + static_cast<std::ptrdiff_t>(index));
    if (budget.fails(smaller)) slice = std::move(smaller);
  }
  FAULTLINE_ASSERT(!slice.empty(), "a failing slice has at least one operation");
  return slice;
}

}  // namespace faultline::check
