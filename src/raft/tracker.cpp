#include "faultline/raft/tracker.hpp"

#include "faultline/core/assert.hpp"

namespace faultline::raft {

ProgressTracker::ProgressTracker(JointConfig config, FlowControlLimits limits)
    : config_(std::move(config)), voters_(config_.voters()), limits_(limits) {
  reset_progress(0);
}

void ProgressTracker::reset_progress(Index last_index) {
  progress_.clear();
  for (NodeId id : voters_) {
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
