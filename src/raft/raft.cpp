// Roles and transitions (paper §5.2, figure 4; PreVote thesis §9.6).
#include "faultline/raft/raft.hpp"

#include "faultline/core/assert.hpp"

namespace faultline::raft {

Raft::Raft(Config config, Storage& storage, Random random)
    : config_(std::move(config)),
      random_(random),
      log_(storage, config_.applied),
      tracker_(JointConfig(MajorityConfig(config_.voters)),
               FlowControlLimits{config_.max_inflight_messages, config_.max_inflight_bytes}) {
  FAULTLINE_ASSERT(config_.validate().ok(), "invalid raft config");
  // The configuration the application's state machine has reached: the
  // bootstrap voters, or after compaction the stored snapshot's ConfState
  // (the membership as of its index, newer than Config::voters), followed by
  // every config change applied after it before the restart.
  ConfState start;
  Index replay_from = log_.first_index();
  if (storage.first_index() > 1) {
    Result<Snapshot> snapshot = storage.snapshot();
    FAULTLINE_ASSERT(snapshot.ok() && !snapshot->empty(), "a compacted storage holds its snapshot");
    start = snapshot->metadata.conf_state;
    replay_from = snapshot->metadata.index + 1;
  } else {
    start.voters = MajorityConfig(config_.voters).voters();
  }
  restore_conf_state(replay_conf_changes(std::move(start), replay_from, log_.applied()));
  const HardState restored = storage.hard_state();
  restarted_with_lease_reads_ = config_.lease_reads && restored.term > 0;
  term_ = restored.term;
  vote_ = restored.vote;
  handed_hard_state_ = restored;
  become_follower(term_, kNoNode);
  handed_soft_state_ = soft_state();
  checked_ = capture(nullptr);
  check_state_invariants(checked_.state);
}

void Raft::reset(Term term) {
  if (term != term_) {
    FAULTLINE_ASSERT(term > term_, "the current term never decreases");
    term_ = term;
    vote_ = kNoNode;
  }
  leader_ = kNoNode;
  election_elapsed_ = 0;
  heartbeat_elapsed_ = 0;
  reset_randomized_election_timeout();
  tracker_.reset_votes();
  tracker_.reset_progress(log_.last_index());
  uncommitted_proposals_.clear();
  uncommitted_bytes_ = 0;
  read_index_queue_.clear();
  reads_waiting_for_own_term_commit_.clear();
  lease_acks_.clear();
  lease_forfeited_ = false;
  abort_transfer();
  removing_self_ = false;
}

void Raft::reset_randomized_election_timeout() {
  const auto spread = static_cast<std::uint64_t>(config_.election_ticks);
  randomized_election_ticks_ = config_.election_ticks + static_cast<int>(random_.uniform(spread));
}

void Raft::become_follower(Term term, NodeId leader) {
  reset(term);
  role_ = Role::follower;
  leader_ = leader;
}

void Raft::become_pre_candidate() {
  FAULTLINE_ASSERT(role_ != Role::leader, "a leader does not pre-campaign");
  // Thesis §9.6: no term change, no vote; only the role and the tally.
  role_ = Role::pre_candidate;
  leader_ = kNoNode;
  tracker_.reset_votes();
  // A fresh timeout, so pre-candidates whose rounds split retry apart.
  reset_randomized_election_timeout();
}

void Raft::become_candidate() {
  FAULTLINE_ASSERT(role_ != Role::leader, "a leader does not campaign");
  reset(term_ + 1);
  role_ = Role::candidate;
  vote_ = config_.id;
}

void Raft::become_leader() {
  FAULTLINE_ASSERT(role_ == Role::candidate, "only a candidate becomes leader");
  reset(term_);
  role_ = Role::leader;
  leader_ = config_.id;
  // Our own match counts only what is durable (thesis §10.2.1).
  Progress& own = tracker_.progress(config_.id);
  (void)own.maybe_update(log_.stable_last_index());
  own.become_replicate();
  // Any entry of the uncommitted tail may be a config change; treat it as
  // pending until applied (thesis §4.1: one change at a time).
  pending_conf_index_ = log_.last_index();
  const ConfState after_tail =
      replay_conf_changes(tracker_.conf_state(), log_.applied() + 1, log_.last_index());
  removing_self_ = !MajorityConfig(after_tail.voters).contains(config_.id);
  // §8 / thesis §6.4: a no-op of the new term lets the leader learn what is
  // committed and lets ReadIndex start.
  append_leader_entries({Entry{term_, log_.last_index() + 1, EntryType::noop, {}}});
  broadcast_append(/*send_if_empty=*/false);
}

void Raft::send(Message message) {
  message.from = config_.id;
  FAULTLINE_ASSERT(message.to != config_.id && message.to != kNoNode, "send to a peer");
  if (may_send_before_persist(message.type)) {
    messages_.push_back(std::move(message));
  } else {
    messages_after_persist_.push_back(std::move(message));
  }
}

Raft::CheckedState Raft::capture(const CheckedState* known) const {
  CheckedState now{.state = InvariantSnapshot{.self = config_.id,
                                              .term = term_,
                                              .vote = vote_,
                                              .leader = leader_,
                                              .role = role_,
                                              .commit = log_.committed(),
                                              .commit_term = 0,
                                              .applied = log_.applied(),
                                              .last_index = log_.last_index(),
                                              .last_term = 0},
                   .log_version = log_.version()};
  InvariantSnapshot& state = now.state;
  // The same log version means the same entries: a lookup at the same index
  // would find the same term.
  const bool log_unchanged = known && known->log_version == now.log_version;
  state.commit_term = log_unchanged && known->state.commit == state.commit
                          ? known->state.commit_term
                          : log_.term_or_zero(state.commit);
  state.last_term = log_unchanged && known->state.last_index == state.last_index
                        ? known->state.last_term
                        : log_.term_or_zero(state.last_index);
  return now;
}

void Raft::check_invariants(const CheckedState& before) {
  const CheckedState after = capture(&before);
  check_state_invariants(after.state);
  check_transition_invariants(before.state, after.state, log_);
  checked_ = after;
}

}  // namespace faultline::raft
