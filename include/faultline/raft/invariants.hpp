// Raft's safety invariants, checked on the state and on every change
// (the two ways LogCabin's RaftConsensusInvariants checks them).
//
// The core captures an InvariantSnapshot before each input (tick, step,
// propose, read_index, advance) and checks after it:
// - state: applied <= commit <= last index; a leader leads itself and voted
//   for itself; a candidate voted for itself.
// - change: the term never decreases; within a term the vote, once cast,
//   never changes (at most one vote per term, paper §5.2); commit never
//   decreases; the last committed entry keeps its term (committed entries
//   never change, §5.4); a leader within its term only appends (leader
//   append-only, figure 3).
// Cluster-wide properties (one leader per term, log matching across nodes,
// state machine safety) need every node's view: the test harness and the
// simulator check those.
//
// A violation is a bug: FAULTLINE_ASSERT aborts with the broken rule.
//
//   const InvariantSnapshot before = capture();
//   ... handle one input ...
//   check_state_invariants(capture());
//   check_transition_invariants(before, capture(), log);
//
// The core keeps these checks cheap enough to stay on in release builds:
// "before" is the state the previous check left (an input starts where the
// last one ended), and terms are looked up again only after the log changed
// (RaftLog::version()). A change that happens between inputs (the driver
// rewriting a committed entry in storage) is therefore caught at the next
// input that touches the log.
//
// Thread-safety: pure functions over values.
#pragma once

#include "faultline/raft/raft_log.hpp"
#include "faultline/raft/types.hpp"

namespace faultline::raft {

struct InvariantSnapshot {
  NodeId self = kNoNode;
  Term term = 0;
  NodeId vote = kNoNode;
  NodeId leader = kNoNode;
  Role role = Role::follower;
  Index commit = 0;
  Term commit_term = 0;
  Index applied = 0;
  Index last_index = 0;
  Term last_term = 0;
};

void check_state_invariants(const InvariantSnapshot& state);
// `log` is the log after the change, to look the old positions up in it;
// `after` must have been captured from it (its commit_term and last_term are
// the terms there), so an index that did not move is not looked up again.
void check_transition_invariants(const InvariantSnapshot& before, const InvariantSnapshot& after,
                                 const RaftLog& log);

}  // namespace faultline::raft
