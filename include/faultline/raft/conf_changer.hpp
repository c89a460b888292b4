// The rules of membership change: from one ConfState and a ConfChange to the
// next ConfState, or a Status saying why the change is not allowed.
//
// Pure functions, as etcd's confchange package: the core calls them when it
// validates a proposal (against its current configuration) and when it
// applies a committed config-change entry; every node applies the same
// entries to the same configurations, so every node reaches the same result.
//
// Rules (thesis §4): a change starts only from a non-joint configuration;
// each node appears at most once per batch; add_* needs a non-member,
// remove_voter a voter, remove_learner and promote_learner a learner (a voter
// cannot be turned into a learner directly: remove it, then add it back); at
// least one voter must remain. A batch that changes the voters by at most one
// node (and asks for `automatic`) is applied directly; otherwise the result
// is joint: voters = the new voters, voters_outgoing = the old ones. An empty
// batch leaves a joint configuration (voters_outgoing cleared).
//
//   ConfState now{.voters = {1, 2, 3}};
//   Result<ConfState> next = next_conf_state(now, ConfChange{.changes = {{ConfChangeType::add_learner, 4}}});
//   // next->voters == {1, 2, 3}, next->learners == {4}
//
// Thread-safety: pure functions.
#pragma once

#include "faultline/core/result.hpp"
#include "faultline/raft/conf_change.hpp"
#include "faultline/raft/conf_state.hpp"

namespace faultline::raft {

// invalid_argument when the change does not apply to `current` (the message
// names the rule); failed_precondition when `current` is joint and the change
// is not a leave, or `current` is not joint and the change is a leave.
[[nodiscard]] Result<ConfState> next_conf_state(const ConfState& current, const ConfChange& change);

// Whether `state` is well formed: every list sorted and unique, no node both
// a voter (either half) and a learner, no id 0. (Empty voters are allowed: a
// node that is not yet part of any cluster.)
[[nodiscard]] bool is_valid_conf_state(const ConfState& state);

}  // namespace faultline::raft
