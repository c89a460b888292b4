// Leadership transfer (thesis §3.10): the leader stops taking proposals,
// brings the target up to date, and tells it to campaign at once.
#include "faultline/core/assert.hpp"
#include "faultline/raft/raft.hpp"

namespace faultline::raft {

Status Raft::transfer_leadership(NodeId to) {
  if (role_ != Role::leader) {
    return Status::unavailable("raft: not the leader").with_reason("NOT_LEADER");
  }
  if (to == config_.id) return Status::invalid_argument("raft: already the leader");
  if (tracker_.is_learner(to)) {
    return Status::invalid_argument("raft: cannot transfer leadership to a learner");
  }
  // Only a voter of the incoming configuration can lead the cluster on.
  if (!tracker_.config().incoming().contains(to)) {
    return Status::invalid_argument("raft: cannot transfer leadership to a non-member");
  }
  if (to == transfer_target_) return Status();
  const CheckedState before = capture_before_input();
  transfer_target_ = to;
  transfer_elapsed_ = 0;
  if (tracker_.progress(to).match() == log_.last_index()) {
    maybe_send_timeout_now(to);
  } else {
    // Catch it up first; handle_append_response sends timeout_now once its
    // log matches ours.
    send_appends_while_window_open(to, /*send_if_empty=*/true);
  }
  check_invariants(before);
  return Status();
}

// Thesis §3.10: the target must hold our whole log first, so that its
// election succeeds at once (§5.4.1: voters refuse a less up-to-date log).
void Raft::maybe_send_timeout_now(NodeId to) {
  if (role_ != Role::leader || to != transfer_target_) return;
  if (tracker_.progress(to).match() != log_.last_index()) return;
  // The target campaigns with leader_transfer set, and voters set their
  // leader lease aside for it (step.cpp); a delayed timeout_now can still do
  // so after the transfer is abandoned. Lease reads would be unsafe for the
  // rest of this term.
  lease_forfeited_ = true;
  send(Message{.type = MessageType::timeout_now, .to = to, .term = term_});
}

// An election timeout without a new leader: the target is unreachable or
// lost; the leader serves again (thesis §3.10).
void Raft::tick_transfer() {
  if (transfer_target_ == kNoNode) return;
  if (++transfer_elapsed_ >= config_.election_ticks) abort_transfer();
}

void Raft::handle_timeout_now() {
  // A learner or a removed node cannot lead; it ignores the request.
  if (!tracker_.is_voter(config_.id)) return;
  // Skip PreVote: the leader asked for this election, so it is no disruption.
  campaign(/*pre_vote=*/false, /*leader_transfer=*/true);
}

}  // namespace faultline::raft
