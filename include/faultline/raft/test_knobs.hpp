// RaftTestKnobs: switches that deliberately break the Raft core, for tests
// and the simulator only.
//
// A checker that never finds anything proves nothing. Each knob removes one
// safety rule, so a test (or a simulator run) can show that the rule is what
// stands between the cluster and a violation. They are compiled in always
// and all off by default; production code must never set them.
//
//   Config config = ...;
//   config.test_knobs.commit_previous_term_by_counting = true;   // figure 8 bug
//
// Thread-safety: a plain value.
#pragma once

namespace faultline::raft {

struct RaftTestKnobs {
  // Paper §5.4.2, figure 8: commit an entry from a previous term once it is
  // on a majority, without requiring an entry of the current term.
  bool commit_previous_term_by_counting = false;
  // Paper §5.4.1: grant votes without checking the candidate's log is at
  // least as up-to-date as ours.
  bool skip_vote_up_to_date_check = false;
  // Thesis §10.2.1: a leader counts itself toward a quorum as soon as it
  // appends an entry, before the entry is durable (apply-before-persist).
  // Found harmless so far: what the early commit produces leaves only in
  // the next Ready, after the persist (docs/sim.md, "Proving the checks can
  // fail"); it would bite a driver that pipelined Readys.
  bool leader_counts_unpersisted_entries = false;
  // Thesis §6.4: answer a ReadIndex read at the commit index without the
  // heartbeat round that confirms the leader is still the leader, so a
  // deposed leader serves stale reads.
  bool read_index_skips_quorum_check = false;

  [[nodiscard]] bool any() const noexcept {
    return commit_previous_term_by_counting || skip_vote_up_to_date_check ||
           leader_counts_unpersisted_entries || read_index_skips_quorum_check;
  }
};

}  // namespace faultline::raft
