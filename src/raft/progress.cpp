#include "faultline/raft/progress.hpp"

#include <algorithm>

#include "faultline/core/assert.hpp"

namespace faultline::raft {

std::string_view progress_state_name(ProgressState state) noexcept {
  switch (state) {
    case ProgressState::probe: return "probe";
    case ProgressState::replicate: return "replicate";
    case ProgressState::snapshot: return "snapshot";
  }
  return "invalid_progress_state";
}

Progress::Progress(Index next, std::size_t max_inflight_messages, std::size_t max_inflight_bytes)
    : next_(next), inflights_(max_inflight_messages, max_inflight_bytes) {
  FAULTLINE_ASSERT(next >= 1, "next index starts at 1");
}

void Progress::become_probe() {
  // A snapshot that was delivered leaves the follower's log at its index,
  // even before the follower said so.
  const Index resume_after =
      state_ == ProgressState::snapshot ? std::max(match_, pending_snapshot_) : match_;
  state_ = ProgressState::probe;
  probe_sent_ = false;
  pending_snapshot_ = 0;
  inflights_.reset();
  next_ = resume_after + 1;
}

void Progress::become_replicate() {
  state_ = ProgressState::replicate;
  probe_sent_ = false;
  pending_snapshot_ = 0;
  inflights_.reset();
  next_ = match_ + 1;
}

void Progress::become_snapshot(Index snapshot_index) {
  FAULTLINE_ASSERT(snapshot_index > match_, "a snapshot is sent only to a follower behind it");
  state_ = ProgressState::snapshot;
  probe_sent_ = false;
  pending_snapshot_ = snapshot_index;
  inflights_.reset();
  next_ = snapshot_index + 1;
}

bool Progress::maybe_update(Index index) {
  const bool advanced = index > match_;
  if (advanced) {
    match_ = index;
    probe_sent_ = false;
  }
  next_ = std::max(next_, index + 1);
  if (state_ == ProgressState::replicate) inflights_.free_up_to(index);
  FAULTLINE_ASSERT(match_ < next_, "progress keeps match < next");
  return advanced;
}

bool Progress::maybe_decrease_to(Index rejected, Index match_hint) {
  // Rejections of appends sent before the snapshot say nothing new.
  if (state_ == ProgressState::snapshot) return false;
  if (state_ == ProgressState::replicate) {
    // Stale when it rejects something we already know matches.
    if (rejected <= match_) return false;
    next_ = match_ + 1;
    return true;
  }
  // Probe state: only the reply to the outstanding probe counts.
  if (next_ - 1 != rejected) return false;
  next_ = std::max(std::min(rejected, match_hint + 1), match_ + 1);
  probe_sent_ = false;
  FAULTLINE_ASSERT(match_ < next_, "progress keeps match < next");
  return true;
}

void Progress::sent_entries(Index last_index, std::size_t bytes) {
  if (state_ == ProgressState::replicate) {
    FAULTLINE_ASSERT(last_index >= next_, "replicate sends new entries only");
    next_ = last_index + 1;
    inflights_.add(last_index, bytes);
  } else {
    probe_sent_ = true;
  }
}

void Progress::heard_heartbeat_response() {
  probe_sent_ = false;
  // The follower is alive; an ack may have been lost, so make room for one
  // more append rather than stalling until the window drains.
  if (state_ == ProgressState::replicate && inflights_.full()) inflights_.free_first();
}

bool Progress::paused() const noexcept {
  switch (state_) {
    case ProgressState::probe: return probe_sent_;
    case ProgressState::replicate: return inflights_.full();
    case ProgressState::snapshot: return true;
  }
  return true;
}

}  // namespace faultline::raft
