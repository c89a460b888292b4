// ProgressTracker: the leader's and candidate's view of the whole cluster.
//
// Holds the voter configuration (a JointConfig: two majorities during a
// membership change), the learners (replicated to, never counted), one
// Progress per member (voter of either half, or learner), and the votes of
// the current election. It answers the quorum questions with the pure
// functions of quorum.hpp, which look only at voters: a learner's match,
// vote or liveness never counts toward commitment, elections or CheckQuorum.
//
//   ProgressTracker tracker(JointConfig(MajorityConfig({1, 2, 3})), limits);
//   tracker.reset_progress(/*last_index=*/9);
//   tracker.record_vote(2, true);
//   tracker.tally_votes();   // pending, won or lost
//
// Thread-safety: not synchronized; owned by the single-threaded core.
#pragma once

#include <cstddef>
#include <map>
#include <vector>

#include "faultline/raft/conf_state.hpp"
#include "faultline/raft/progress.hpp"
#include "faultline/raft/quorum.hpp"

namespace faultline::raft {

struct FlowControlLimits {
  std::size_t max_inflight_messages = 256;
  std::size_t max_inflight_bytes = 16u << 20;
};

class ProgressTracker {
 public:
  ProgressTracker(JointConfig config, FlowControlLimits limits);

  [[nodiscard]] const JointConfig& config() const noexcept { return config_; }
  // Voters of either half, sorted: who is asked for votes.
  [[nodiscard]] const std::vector<NodeId>& voters() const noexcept { return voters_; }
  [[nodiscard]] const std::vector<NodeId>& learners() const noexcept { return learners_; }
  // Voters and learners, sorted: who is replicated to.
  [[nodiscard]] const std::vector<NodeId>& members() const noexcept { return members_; }
  [[nodiscard]] bool is_voter(NodeId id) const noexcept { return config_.contains(id); }
  [[nodiscard]] bool is_learner(NodeId id) const noexcept;
  [[nodiscard]] bool has_progress(NodeId id) const noexcept { return progress_.contains(id); }
  [[nodiscard]] ConfState conf_state() const;

  // Switches to `state` (precondition: is_valid_conf_state). Members that
  // stay keep their progress; new ones start probing at next = last_index + 1;
  // departed ones are forgotten, with their votes.
  void apply_conf_state(const ConfState& state, Index last_index);

  // Every member's progress restarts at next = last_index + 1, match = 0
  // (paper figure 2: "reinitialized after election").
  void reset_progress(Index last_index);
  [[nodiscard]] Progress& progress(NodeId id);
  [[nodiscard]] const Progress& progress(NodeId id) const;

  // The largest index durable on a quorum (paper §5.3, before the term check).
  [[nodiscard]] Index committed_index() const;

  // CheckQuorum (thesis §6.2): whether a quorum (counting `self`) replied
  // since the last reset_recent_active().
  [[nodiscard]] bool quorum_recently_active(NodeId self) const;
  void reset_recent_active(NodeId self);

  void reset_votes() { votes_.clear(); }
  // Records the first answer of each voter; later answers are ignored.
  void record_vote(NodeId id, bool granted);
  [[nodiscard]] VoteResult tally_votes() const { return config_.vote_result(votes_); }

 private:
  JointConfig config_;
  std::vector<NodeId> voters_;    // config_.voters(), cached
  std::vector<NodeId> learners_;  // sorted; disjoint from voters_
  std::vector<NodeId> members_;   // voters_ and learners_, sorted
  FlowControlLimits limits_;
  std::map<NodeId, Progress> progress_;  // keyed by every member; ordered for determinism
  VoteMap votes_;
};

}  // namespace faultline::raft
