// Leader election (paper §5.2, §5.4.1), PreVote (thesis §9.6) and
// CheckQuorum (thesis §6.2).
#include "faultline/core/assert.hpp"
#include "faultline/raft/raft.hpp"

namespace faultline::raft {

void Raft::tick() {
  const CheckedState before = capture_before_input();
  if (ticks_since_start_ < config_.election_ticks) ++ticks_since_start_;
  if (role_ == Role::leader) {
    tick_heartbeat();
  } else {
    tick_election();
  }
  check_invariants(before);
}

void Raft::tick_election() {
  ++election_elapsed_;
  if (!tracker_.is_voter(config_.id)) return;
  if (election_elapsed_ < randomized_election_ticks_) return;
  election_elapsed_ = 0;
  campaign(config_.pre_vote);
}

void Raft::tick_heartbeat() {
  ++heartbeat_elapsed_;
  ++election_elapsed_;
  ++lease_clock_ticks_;
  tick_transfer();
  if (election_elapsed_ >= config_.election_ticks) {
    election_elapsed_ = 0;
    if (config_.check_quorum) {
      // Thesis §6.2: a leader cut off from a quorum steps down, so clients
      // and ReadIndex stop trusting it.
      if (!tracker_.quorum_recently_active(config_.id)) {
        become_follower(term_, kNoNode);
        return;
      }
      tracker_.reset_recent_active(config_.id);
    }
  }
  if (heartbeat_elapsed_ >= config_.heartbeat_ticks) {
    heartbeat_elapsed_ = 0;
    const Bytes* context = read_index_queue_.newest_context();
    broadcast_heartbeat(context != nullptr ? *context : Bytes{});
  }
}

// Runs a pre-vote (if enabled), then a real election. A single-voter cluster
// wins each phase at once; otherwise the responses continue it.
void Raft::campaign(bool pre_vote, bool leader_transfer) {
  if (pre_vote) {
    become_pre_candidate();
    if (!request_votes(/*pre_vote=*/true, leader_transfer)) return;
  }
  become_candidate();
  if (!request_votes(/*pre_vote=*/false, leader_transfer)) return;
  become_leader();
}

// Votes for ourselves and asks every other voter; returns whether our own
// vote already decides the election.
bool Raft::request_votes(bool pre_vote, bool leader_transfer) {
  tracker_.record_vote(config_.id, true);
  if (tracker_.tally_votes() == VoteResult::won) return true;
  const Term campaign_term = pre_vote ? term_ + 1 : term_;
  for (NodeId voter : tracker_.voters()) {
    if (voter == config_.id) continue;
    send(Message{.type = pre_vote ? MessageType::pre_vote : MessageType::vote,
                 .to = voter,
                 .term = campaign_term,
                 .log_term = log_.last_term(),
                 .index = log_.last_index(),
                 .leader_transfer = leader_transfer});
  }
  return false;
}

// Thesis §4.2.3 and §9.6: a node that heard from a leader within the minimum
// election timeout ignores requests to replace it.
bool Raft::in_leader_lease() const noexcept {
  // With lease reads, a restarted node may have acknowledged a leader's
  // heartbeat just before it went down, and a leader may be serving reads on
  // that promise (lease_read.cpp): it keeps it for an election timeout after
  // starting, as if it had heard that leader at start.
  const bool keeping_promise_from_before_restart =
      restarted_with_lease_reads_ && ticks_since_start_ < config_.election_ticks;
  return (config_.check_quorum || config_.pre_vote) &&
         ((leader_ != kNoNode && election_elapsed_ < config_.election_ticks) ||
          keeping_promise_from_before_restart);
}

void Raft::handle_vote_request(const Message& message) {
  const bool pre_vote = message.type == MessageType::pre_vote;
  // §5.2: one vote per term, first come first served; a pre-vote for a
  // future term binds nothing.
  const bool can_vote = vote_ == message.from || (vote_ == kNoNode && leader_ == kNoNode) ||
                        (pre_vote && message.term > term_);
  // §5.4.1: only a candidate whose log holds every committed entry may win.
  const bool up_to_date = config_.test_knobs.skip_vote_up_to_date_check ||
                          log_.is_up_to_date(message.index, message.log_term);
  const MessageType reply = pre_vote ? MessageType::pre_vote_response : MessageType::vote_response;
  if (can_vote && up_to_date) {
    if (!pre_vote) {
      vote_ = message.from;
      election_elapsed_ = 0;
    }
    // A pre-vote grant names the term asked about, so the pre-candidate can
    // tell it from a refusal carrying a newer term.
    send(Message{.type = reply, .to = message.from, .term = pre_vote ? message.term : term_});
    return;
  }
  send(Message{.type = reply, .to = message.from, .term = term_, .reject = true});
}

void Raft::handle_vote_response(const Message& message) {
  const bool pre_vote = message.type == MessageType::pre_vote_response;
  const bool expected = pre_vote ? role_ == Role::pre_candidate : role_ == Role::candidate;
  if (!expected) return;  // a reply to an election we are no longer running
  tracker_.record_vote(message.from, !message.reject);
  switch (tracker_.tally_votes()) {
    case VoteResult::won:
      if (pre_vote) {
        campaign(/*pre_vote=*/false);
      } else {
        become_leader();
      }
      return;
    case VoteResult::lost:
      become_follower(term_, kNoNode);
      return;
    case VoteResult::pending:
      return;
  }
}

}  // namespace faultline::raft
