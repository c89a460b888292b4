// Log compaction and InstallSnapshot (thesis §5): the leader sends its
// snapshot to a follower that needs entries it no longer holds; the follower
// installs it unless it already has what it covers.
#include "faultline/core/assert.hpp"
#include "faultline/raft/raft.hpp"

namespace faultline::raft {

// Returns whether a snapshot went out; false when storage cannot produce one
// right now (the next heartbeat reply or ack tries again).
bool Raft::send_snapshot(NodeId to) {
  Result<Snapshot> snapshot = log_.snapshot();
  if (!snapshot.ok()) {
    FAULTLINE_ASSERT(snapshot.status().code() == StatusCode::unavailable,
                     "storage failed to read its snapshot");
    return false;
  }
  FAULTLINE_ASSERT(!snapshot->empty() && snapshot->metadata.index + 1 >= log_.first_index(),
                   "a compacted log has a snapshot covering what it dropped");
  tracker_.progress(to).become_snapshot(snapshot->metadata.index);
  send(Message{.type = MessageType::install_snapshot,
               .to = to,
               .term = term_,
               .snapshot = std::move(*snapshot)});
  return true;
}

void Raft::handle_install_snapshot(const Message& message) {
  const SnapshotMetadata& metadata = message.snapshot.metadata;
  // Sent after persisting: an ack of the snapshot's index means it is durable.
  Message reply{.type = MessageType::append_response, .to = message.from, .term = term_};
  if (metadata.index <= log_.committed()) {
    // Stale or duplicate: we already hold (committed) at least as much.
    reply.index = log_.committed();
  } else if (log_.match_term(metadata.index, metadata.term)) {
    // We hold the snapshot's last entry, so (log matching, §5.3) everything
    // up to it: keep the log, only learn that it is committed.
    log_.commit_to(metadata.index);
    reply.index = metadata.index;
  } else {
    log_.restore(message.snapshot);
    // The snapshot's membership is the one as of its index, and the log after
    // it is gone: it becomes ours through the path every configuration takes.
    restore_conf_state(metadata.conf_state);
    reply.index = metadata.index;
  }
  send(std::move(reply));
}

void Raft::report_snapshot(NodeId id, bool ok) {
  // Learners are caught up by snapshots too: any member with progress.
  if (role_ != Role::leader || id == config_.id || !tracker_.has_progress(id)) return;
  Progress& progress = tracker_.progress(id);
  if (progress.state() != ProgressState::snapshot) return;
  const CheckedState before = capture_before_input();
  if (!ok) progress.snapshot_failed();
  progress.become_probe();
  // Wait for the follower's ack, or the next heartbeat reply, before probing:
  // sending again at once would repeat a failure right away.
  progress.sent_probe();
  check_invariants(before);
}

}  // namespace faultline::raft
