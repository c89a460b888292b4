#include "faultline/raft/invariants.hpp"

#include "faultline/core/assert.hpp"

namespace faultline::raft {

void check_state_invariants(const InvariantSnapshot& state) {
  FAULTLINE_ASSERT(state.commit <= state.last_index, "commit index <= last log index");
  FAULTLINE_ASSERT(state.applied <= state.commit, "applied index <= commit index");
  if (state.role == Role::leader) {
    FAULTLINE_ASSERT(state.leader == state.self, "a leader knows it leads");
    FAULTLINE_ASSERT(state.vote == state.self, "a leader voted for itself in its term");
  } else {
    FAULTLINE_ASSERT(state.leader != state.self, "only a leader names itself leader");
  }
  if (state.role == Role::candidate) {
    FAULTLINE_ASSERT(state.vote == state.self, "a candidate voted for itself");
  }
}

void check_transition_invariants(const InvariantSnapshot& before, const InvariantSnapshot& after,
                                 const RaftLog& log) {
  FAULTLINE_ASSERT(after.term >= before.term, "the current term never decreases");
  if (after.term == before.term && before.vote != kNoNode) {
    FAULTLINE_ASSERT(after.vote == before.vote, "at most one vote per term");
  }
  FAULTLINE_ASSERT(after.commit >= before.commit, "the commit index never decreases");
  // An entry compacted since (into a snapshot, which holds only committed
  // entries) can no longer be looked up; the snapshot stands for it.
  // `after` was captured from `log`: at an unchanged index its term is the
  // lookup, so only a moved index needs one.
  const bool commit_still_in_log = before.commit + 1 >= log.first_index();
  const Term term_at_old_commit =
      after.commit == before.commit ? after.commit_term : log.term_or_zero(before.commit);
  FAULTLINE_ASSERT(!commit_still_in_log || term_at_old_commit == before.commit_term,
                   "committed entries never change");
  const bool led_throughout =
      before.role == Role::leader && after.role == Role::leader && before.term == after.term;
  if (led_throughout) {
    FAULTLINE_ASSERT(after.last_index >= before.last_index, "a leader never truncates its log");
    const Term term_at_old_last = after.last_index == before.last_index
                                      ? after.last_term
                                      : log.term_or_zero(before.last_index);
    FAULTLINE_ASSERT(before.last_index + 1 < log.first_index() ||
                         term_at_old_last == before.last_term,
                     "a leader never overwrites its log");
  }
}

}  // namespace faultline::raft
