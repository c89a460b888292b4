#include "faultline/raft/tracker.hpp"

#include <algorithm>

#include "faultline/core/assert.hpp"
#include "faultline/raft/conf_changer.hpp"

namespace faultline::raft {

ProgressTracker::ProgressTracker(JointConfig config, FlowControlLimits limits)
    : config_(std::move(config)), voters_(config_.voters()), members_(voters_), limits_(limits) {
  reset_progress(0);
}

bool ProgressTracker::is_learner(NodeId id) const noexcept {
  return std::binary_search(learners_.begin(), learners_.end(), id);
}

ConfState ProgressTracker::conf_state() const {
  return ConfState{.voters = config_.incoming().voters(),
                   .voters_outgoing = config_.outgoing().voters(),
                   .learners = learners_};
}

void ProgressTracker::apply_conf_state(const ConfState& state, Index last_index) {
  FAULTLINE_ASSERT(is_valid_conf_state(state), "a well-formed configuration");
  config_ = JointConfig(MajorityConfig(state.voters), MajorityConfig(state.voters_outgoing));
  voters_ = config_.voters();
  learners_ = state.learners;
  members_.clear();
  std::merge(voters_.begin(), voters_.end(), learners_.begin(), learners_.end(),
             std::back_inserter(members_));
  std::erase_if(progress_, [&](const auto& entry) {
    return !std::binary_search(members_.begin(), members_.end(), entry.first);
  });
  for (NodeId id : members_) {
    const auto [it, added] = progress_.try_emplace(id, last_index + 1, limits_.max_inflight_messages,
                                                   limits_.max_inflight_bytes);
    // A member just added has had no chance to answer yet; CheckQuorum must
    // not count it as silent for the current window.
    if (added) it->second.set_recent_active(true);
  }
  std::erase_if(votes_, [&](const auto& entry) { return !is_voter(entry.first); });
}

void ProgressTracker::reset_progress(Index last_index) {
  progress_.clear();
  for (NodeId id : members_) {
    progress_.emplace(id, Progress(last_index + 1, limits_.max_inflight_messages,
                                   limits_.max_inflight_bytes));
  }
}

Progress& ProgressTracker::progress(NodeId id) {
  const auto found = progress_.find(id);
  FAULTLINE_ASSERT(found != progress_.end(), "progress of an unknown node");
  return found->second;
}

const Progress& ProgressTracker::progress(NodeId id) const {
  const auto found = progress_.find(id);
  FAULTLINE_ASSERT(found != progress_.end(), "progress of an unknown node");
  return found->second;
}

Index ProgressTracker::committed_index() const {
  MatchMap matches;
  for (const auto& [id, progress] : progress_) matches.emplace(id, progress.match());
  return config_.committed_index(matches);
}

bool ProgressTracker::quorum_recently_active(NodeId self) const {
  VoteMap active;
  for (const auto& [id, progress] : progress_) {
    active.emplace(id, id == self || progress.recent_active());
  }
  return config_.vote_result(active) == VoteResult::won;
}

void ProgressTracker::reset_recent_active(NodeId self) {
  for (auto& [id, progress] : progress_) progress.set_recent_active(id == self);
}

void ProgressTracker::record_vote(NodeId id, bool granted) { votes_.emplace(id, granted); }

}  // namespace faultline::raft
