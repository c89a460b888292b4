// ConfState: a cluster's membership as one value — who votes, who only learns.
//
// What it is: the configuration a snapshot records and a configuration-change
// entry produces. Outside a membership change only `voters` (and maybe
// `learners`) is set; during a joint-consensus change (paper §6, thesis §4.3)
// `voters_outgoing` holds the old voters and decisions need a majority of
// both sets.
//
// When to use it: the snapshot metadata carries one so a node restored from a
// snapshot knows its cluster; the core derives its ProgressTracker from it.
//
// Thread-safety: a plain value.
#pragma once

#include <vector>

#include "faultline/raft/types.hpp"

namespace faultline::raft {

struct ConfState {
  std::vector<NodeId> voters{};           // sorted, unique
  std::vector<NodeId> voters_outgoing{};  // non-empty only while joint
  std::vector<NodeId> learners{};         // non-voting members, sorted, unique

  [[nodiscard]] bool joint() const noexcept { return !voters_outgoing.empty(); }

  friend bool operator==(const ConfState&, const ConfState&) = default;
};

}  // namespace faultline::raft
