// Log replication (paper §5.3): the consistency check, fast conflict
// backtracking, pipelining and batching (thesis §10.2), and commitment of
// current-term entries only (§5.4.2, figure 8).
#include <algorithm>

#include "faultline/core/assert.hpp"
#include "faultline/raft/raft.hpp"

namespace faultline::raft {

Status Raft::propose(Bytes data) {
  std::vector<Bytes> batch;
  batch.push_back(std::move(data));
  return propose_batch(std::move(batch));
}

Status Raft::propose_batch(std::vector<Bytes> batch) {
  if (role_ != Role::leader) {
    return Status::unavailable("raft: not the leader").with_reason("NOT_LEADER");
  }
  if (transfer_target_ != kNoNode) {
    return Status::unavailable("raft: leadership is being transferred")
        .with_reason("TRANSFERRING_LEADERSHIP");
  }
  if (removing_self_) {
    return Status::unavailable("raft: this leader is being removed from the configuration")
        .with_reason("LEADER_BEING_REMOVED");
  }
  std::vector<Entry> entries;
  entries.reserve(batch.size());
  std::size_t bytes = 0;
  for (Bytes& data : batch) {
    entries.push_back(Entry{term_, log_.last_index() + 1 + entries.size(), EntryType::normal,
                            std::move(data)});
    bytes += entry_size_bytes(entries.back());
  }
  if (entries.empty()) return Status();
  if (uncommitted_bytes_ > 0 && uncommitted_bytes_ + bytes > config_.max_uncommitted_bytes) {
    return Status::resource_exhausted("raft: too many uncommitted proposals")
        .with_reason("UNCOMMITTED_LIMIT");
  }
  const CheckedState before = capture_before_input();
  append_leader_entries(std::move(entries));
  broadcast_append(/*send_if_empty=*/false);
  check_invariants(before);
  return Status();
}

// Leader append-only (figure 3): entries go after our last index, never over it.
void Raft::append_leader_entries(std::vector<Entry> entries) {
  FAULTLINE_ASSERT(role_ == Role::leader, "only a leader appends its own entries");
  FAULTLINE_ASSERT(!entries.empty() && entries.front().index == log_.last_index() + 1,
                   "a leader appends after its last entry");
  for (const Entry& entry : entries) {
    const std::size_t bytes = entry_size_bytes(entry);
    uncommitted_proposals_.emplace_back(entry.index, bytes);
    uncommitted_bytes_ += bytes;
  }
  (void)log_.append(entries);
  if (config_.test_knobs.leader_counts_unpersisted_entries) update_own_match();
}

// Sends one append to `to` unless its flow control pauses it. Returns whether
// a message was sent.
bool Raft::send_append(NodeId to, bool send_if_empty) {
  Progress& progress = tracker_.progress(to);
  if (progress.paused()) return false;
  const Index previous_index = progress.next() - 1;
  const std::optional<Term> previous_term = log_.term(previous_index);
  // The follower needs entries we compacted away: only a snapshot helps.
  if (!previous_term) return send_snapshot(to);
  std::vector<Entry> entries;
  if (progress.next() <= log_.last_index()) {
    entries = log_.slice(progress.next(), log_.last_index() + 1, config_.max_entries_per_message,
                         config_.max_bytes_per_message);
  }
  if (entries.empty() && !send_if_empty) return false;
  std::size_t bytes = 0;
  for (const Entry& entry : entries) bytes += entry_size_bytes(entry);
  if (entries.empty()) {
    if (progress.state() == ProgressState::probe) progress.sent_probe();
  } else {
    FAULTLINE_ASSERT(entries.front().index == previous_index + 1, "a batch follows its prev index");
    progress.sent_entries(entries.back().index, bytes);
  }
  send(Message{.type = MessageType::append,
               .to = to,
               .term = term_,
               .log_term = *previous_term,
               .index = previous_index,
               .entries = std::move(entries),
               .commit = log_.committed()});
  return true;
}

// Pipelining: keep sending batches until the window fills or nothing is left.
void Raft::send_appends_while_window_open(NodeId to, bool send_if_empty) {
  if (!send_append(to, send_if_empty)) return;
  const Progress& progress = tracker_.progress(to);
  const std::size_t max_sends = config_.max_inflight_messages;
  for (std::size_t sends = 0; sends < max_sends; ++sends) {
    if (progress.state() != ProgressState::replicate) return;
    if (progress.next() > log_.last_index()) return;
    if (!send_append(to, /*send_if_empty=*/false)) return;
  }
}

void Raft::broadcast_append(bool send_if_empty) {
  for (NodeId member : tracker_.members()) {
    if (member != config_.id) send_appends_while_window_open(member, send_if_empty);
  }
}

void Raft::send_heartbeat(NodeId to, const Bytes& context) {
  // The follower may not hold our log beyond its match: cap the commit there.
  const Index commit = std::min(tracker_.progress(to).match(), log_.committed());
  send(Message{.type = MessageType::heartbeat, .to = to, .term = term_, .commit = commit,
               .context = context, .lease_tick = lease_clock_ticks_});
}

void Raft::broadcast_heartbeat(const Bytes& context) {
  for (NodeId member : tracker_.members()) {
    if (member != config_.id) send_heartbeat(member, context);
  }
}

void Raft::handle_append(const Message& message) {
  Message reply{.type = MessageType::append_response, .to = message.from, .term = term_};
  if (message.index < log_.committed()) {
    // Everything up to our commit already matches the leader's log (§5.4).
    reply.index = log_.committed();
    send(std::move(reply));
    return;
  }
  const std::optional<Index> last_new =
      log_.maybe_append(message.index, message.log_term, message.commit, message.entries);
  if (last_new) {
    reply.index = *last_new;  // sent after persisting: an ack means durable
    send(std::move(reply));
    return;
  }
  // Fast backtracking: skip back past every entry whose term is above the
  // leader's term at the rejected index; they cannot match.
  const Index hint = log_.find_conflict_by_term(std::min(message.index, log_.last_index()),
                                                message.log_term);
  reply.reject = true;
  reply.index = message.index;
  reply.reject_hint_index = hint;
  reply.reject_hint_term = log_.term_or_zero(hint);
  send(std::move(reply));
}

void Raft::handle_append_response(const Message& message) {
  Progress& progress = tracker_.progress(message.from);
  progress.set_recent_active(true);
  if (message.reject) {
    // The leader's guess: the largest index in our log whose term is at most
    // the follower's hint term, at or below the follower's hint index.
    Index match_hint = message.reject_hint_index;
    if (message.reject_hint_term > 0) {
      match_hint = log_.find_conflict_by_term(message.reject_hint_index, message.reject_hint_term);
    }
    if (!progress.maybe_decrease_to(message.index, match_hint)) return;  // stale
    if (progress.state() == ProgressState::replicate) progress.become_probe();
    send_appends_while_window_open(message.from, /*send_if_empty=*/true);
    return;
  }
  if (!progress.maybe_update(message.index)) return;  // stale or duplicate
  if (progress.state() == ProgressState::probe) progress.become_replicate();
  // The follower installed the snapshot (or already held enough): the log we
  // still hold continues right after its match.
  if (progress.state() == ProgressState::snapshot && progress.match() + 1 >= log_.first_index()) {
    progress.become_replicate();
  }
  if (maybe_commit()) {
    broadcast_append(/*send_if_empty=*/true);
  } else {
    send_appends_while_window_open(message.from, /*send_if_empty=*/false);
  }
  if (message.from == transfer_target_) maybe_send_timeout_now(message.from);
}

void Raft::handle_heartbeat(const Message& message) {
  const Index commit = std::min(message.commit, log_.last_index());
  if (commit > log_.committed()) log_.commit_to(commit);
  send(Message{.type = MessageType::heartbeat_response, .to = message.from, .term = term_,
               .context = message.context, .lease_tick = message.lease_tick});
}

void Raft::handle_heartbeat_response(const Message& message) {
  Progress& progress = tracker_.progress(message.from);
  progress.set_recent_active(true);
  progress.heard_heartbeat_response();
  record_lease_ack(message.from, message.lease_tick);
  if (progress.match() < log_.last_index()) {
    send_appends_while_window_open(message.from, /*send_if_empty=*/true);
  }
  if (!message.context.empty()) handle_read_ack(message.from, message.context);
}

// §5.4.2: an index is committed once a quorum holds it durably AND it is of
// the current term; earlier entries commit with it (log matching), never by
// counting their own replicas (figure 8).
bool Raft::maybe_commit() {
  const Index quorum_index = tracker_.committed_index();
  if (quorum_index <= log_.committed()) return false;
  const bool own_term = log_.term_or_zero(quorum_index) == term_;
  if (!own_term && !config_.test_knobs.commit_previous_term_by_counting) return false;
  log_.commit_to(quorum_index);
  while (!uncommitted_proposals_.empty() && uncommitted_proposals_.front().first <= quorum_index) {
    uncommitted_bytes_ -= uncommitted_proposals_.front().second;
    uncommitted_proposals_.pop_front();
  }
  release_reads_waiting_for_own_term_commit();
  return true;
}

// A leader counts itself toward a quorum only for entries it has persisted.
void Raft::update_own_match() {
  if (role_ != Role::leader) return;
  const Index own_match = config_.test_knobs.leader_counts_unpersisted_entries
                              ? log_.last_index()
                              : log_.stable_last_index();
  if (!tracker_.progress(config_.id).maybe_update(own_match)) return;
  if (maybe_commit()) broadcast_append(/*send_if_empty=*/true);
}

}  // namespace faultline::raft
