// Message intake: validation of what a peer may make us hold, the term rules
// of paper §5.1 (with PreVote's exceptions, thesis §9.6), dispatch by role.
#include <algorithm>

#include "faultline/core/assert.hpp"
#include "faultline/raft/conf_changer.hpp"
#include "faultline/raft/raft.hpp"

namespace faultline::raft {

Status Raft::validate_message(const Message& message) const {
  if (message.to != config_.id) return Status::invalid_argument("raft: message not addressed to us");
  // A sender we do not know may be a member we have not heard of yet (our
  // configuration lags the log): its messages are handled; replies from nodes
  // without progress are ignored by the leader.
  if (message.from == config_.id || message.from == kNoNode) {
    return Status::invalid_argument("raft: message from an invalid sender");
  }
  if (message.type == MessageType::install_snapshot || message.snapshot != Snapshot{}) {
    if (Status status = validate_snapshot_message(message); !status.ok()) return status;
  }
  if ((message.type == MessageType::append || message.type == MessageType::heartbeat) &&
      role_ == Role::leader && message.term == term_) {
    // We lead this term; no one else may (§5.2). Now that senders outside
    // our configuration are heard, a hostile or broken peer gets an error
    // rather than reaching the leader's "two leaders" assertion.
    return Status::invalid_argument("raft: append or heartbeat from a second leader of our term");
  }
  if (message.entries.empty()) return Status();
  if (message.type != MessageType::append) {
    return Status::invalid_argument("raft: entries in a message that carries none");
  }
  if (message.entries.size() > config_.max_entries_per_message) {
    return Status::invalid_argument("raft: append carries more entries than allowed");
  }
  // A batch must continue the log right after (index, log_term): contiguous
  // indexes, terms never decreasing and never beyond the sender's term.
  Index expected_index = message.index + 1;
  Term previous_term = message.log_term;
  for (const Entry& entry : message.entries) {
    if (entry.index != expected_index) {
      return Status::invalid_argument("raft: append entries are not contiguous");
    }
    if (entry.term < previous_term || entry.term > message.term) {
      return Status::invalid_argument("raft: append entry terms out of order");
    }
    if (entry.type > EntryType::noop) return Status::invalid_argument("raft: unknown entry type");
    // A config change a node cannot decode would stall its configuration
    // forever; refuse it before it enters the log.
    if (entry.type == EntryType::config_change && !decode_conf_change(entry.data).ok()) {
      return Status::invalid_argument("raft: append carries a malformed config change");
    }
    ++expected_index;
    previous_term = entry.term;
  }
  return Status();
}

// What an install_snapshot must hold before it may replace our log.
Status Raft::validate_snapshot_message(const Message& message) const {
  if (message.type != MessageType::install_snapshot) {
    return Status::invalid_argument("raft: a snapshot in a message that carries none");
  }
  const SnapshotMetadata& metadata = message.snapshot.metadata;
  if (metadata.index == 0 || metadata.term == 0) {
    return Status::invalid_argument("raft: install_snapshot of an empty snapshot");
  }
  // A leader only holds entries of its term or earlier (§5.3).
  if (metadata.term > message.term) {
    return Status::invalid_argument("raft: snapshot term beyond the sender's term");
  }
  const ConfState& conf_state = metadata.conf_state;
  if (conf_state.voters.empty()) return Status::invalid_argument("raft: snapshot names no voters");
  for (const std::vector<NodeId>* ids : {&conf_state.voters, &conf_state.voters_outgoing,
                                         &conf_state.learners}) {
    if (std::find(ids->begin(), ids->end(), kNoNode) != ids->end()) {
      return Status::invalid_argument("raft: snapshot names node id 0");
    }
  }
  // Installed as our configuration (restore_conf_state), so it must be one:
  // sorted, no duplicates, learners apart from voters.
  if (!is_valid_conf_state(conf_state)) {
    return Status::invalid_argument("raft: snapshot holds a malformed configuration");
  }
  if (role_ == Role::leader && message.term == term_) {
    // We lead this term; no one else may (§5.2). A hostile or broken peer
    // gets an error, not a crash.
    return Status::invalid_argument("raft: install_snapshot from a second leader of our term");
  }
  return Status();
}

Status Raft::step(const Message& message) {
  if (Status status = validate_message(message); !status.ok()) return status;
  const CheckedState before = capture_before_input();
  if (step_term(message)) {
    if (message.type == MessageType::vote || message.type == MessageType::pre_vote) {
      handle_vote_request(message);
    } else if (role_ == Role::leader) {
      step_leader(message);
    } else if (role_ == Role::follower) {
      step_follower(message);
    } else {
      step_candidate(message);
    }
  }
  check_invariants(before);
  return Status();
}

// Applies the term rules; returns whether the message should be handled.
bool Raft::step_term(const Message& message) {
  const MessageType type = message.type;
  const bool vote_request = type == MessageType::vote || type == MessageType::pre_vote;
  if (message.term > term_) {
    // Thesis §3.10: a campaign started by the leader's own timeout_now is
    // not a disruption; the lease does not apply to it.
    if (vote_request && in_leader_lease() && !message.leader_transfer) return false;
    // A pre-vote asks about a future term and a granted pre-vote reply names
    // it: neither moves our term (thesis §9.6).
    if (type == MessageType::pre_vote) return true;
    if (type == MessageType::pre_vote_response && !message.reject) return true;
    const bool from_leader = type == MessageType::append || type == MessageType::heartbeat ||
                             type == MessageType::install_snapshot;
    become_follower(message.term, from_leader ? message.from : kNoNode);
    return true;
  }
  if (message.term < term_) {
    const bool from_stale_leader = type == MessageType::append || type == MessageType::heartbeat ||
                                   type == MessageType::install_snapshot;
    if (from_stale_leader && (config_.check_quorum || config_.pre_vote)) {
      // With CheckQuorum/PreVote we may have moved on without the old leader
      // hearing of it; tell it our term so it steps down.
      send(Message{.type = MessageType::append_response, .to = message.from, .term = term_});
    } else if (type == MessageType::pre_vote) {
      send(Message{.type = MessageType::pre_vote_response, .to = message.from, .term = term_,
                   .reject = true});
    } else if (type == MessageType::vote) {
      // Paper figure 2: a stale request is answered "no" with our term, and
      // the candidate adopts it. Dropping it instead lets a node that cannot
      // win but keeps raising its term (PreVote off) starve a viable
      // candidate, which would never learn the term it must exceed.
      send(Message{.type = MessageType::vote_response, .to = message.from, .term = term_,
                   .reject = true});
    }
    return false;
  }
  return true;
}

void Raft::step_follower(const Message& message) {
  switch (message.type) {
    case MessageType::append:
      election_elapsed_ = 0;
      leader_ = message.from;
      handle_append(message);
      return;
    case MessageType::heartbeat:
      election_elapsed_ = 0;
      leader_ = message.from;
      handle_heartbeat(message);
      return;
    case MessageType::install_snapshot:
      election_elapsed_ = 0;
      leader_ = message.from;
      handle_install_snapshot(message);
      return;
    case MessageType::timeout_now:
      handle_timeout_now();
      return;
    default:
      return;  // stale replies
  }
}

void Raft::step_candidate(const Message& message) {
  switch (message.type) {
    case MessageType::append:
    case MessageType::heartbeat:
    case MessageType::install_snapshot:
      // §5.2: a leader of our term exists; a (pre-)candidate that still hears
      // it stops campaigning and follows it.
      become_follower(message.term, message.from);
      step_follower(message);
      return;
    case MessageType::vote_response:
    case MessageType::pre_vote_response:
      handle_vote_response(message);
      return;
    default:
      return;
  }
}

void Raft::step_leader(const Message& message) {
  // A reply from a node that is not (or no longer) a member.
  if (!tracker_.has_progress(message.from)) return;
  switch (message.type) {
    case MessageType::append:
    case MessageType::heartbeat:
      FAULTLINE_ASSERT(false, "two leaders in one term");
      return;
    case MessageType::append_response:
      handle_append_response(message);
      return;
    case MessageType::heartbeat_response:
      handle_heartbeat_response(message);
      return;
    default:
      return;
  }
}

}  // namespace faultline::raft
