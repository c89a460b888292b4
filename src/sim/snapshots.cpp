// Snapshots in the simulated nodes: each state machine snapshots every
// SimOptions::snapshot_interval applied entries and its storage compacts;
// a node that receives one from its leader persists it (a crash before the
// persist loses it) and loads it; the sender's transport reports how each
// install_snapshot went (Raft::report_snapshot). Every snapshot taken,
// persisted or loaded is judged against the reference state: the canonical
// applied entries (SafetyMonitor) replayed into a fresh state machine.
#include <string>

#include "world.hpp"

namespace faultline::sim::detail {

using namespace std::chrono_literals;

// On start: a compacted disk holds the snapshot its state machine restarts
// from; the core skips the entries it covers.
void World::load_snapshot_from_disk(SimNode& node) {
  if (node.disk.first_index() <= 1) return;
  Result<raft::Snapshot> snapshot = node.disk.snapshot();
  if (!snapshot.ok() || snapshot->empty()) {
    fail("node " + std::to_string(node.id) + " has a compacted disk without a snapshot");
    return;
  }
  Result<KvStateMachine> machine = KvStateMachine::decode(snapshot->data);
  if (!machine.ok()) {
    fail("node " + std::to_string(node.id) + " cannot read its own snapshot");
    return;
  }
  node.machine = std::move(*machine);
  node.applied = snapshot->metadata.index;
  node.snapshot_index = snapshot->metadata.index;
}

// Ready::snapshot, during the persist of its Ready: it replaces the log.
void World::persist_snapshot(SimNode& node, const raft::Snapshot& snapshot) {
  check_snapshot(node, snapshot, "received");
  if (stopped_) return;
  if (Status s = node.disk.apply_snapshot(snapshot); !s.ok()) {
    fail("node " + std::to_string(node.id) + " cannot persist the snapshot at index " +
         std::to_string(snapshot.metadata.index) + " its core handed out: " +
         std::string(s.message()));
  }
}

// Ready::snapshot, once durable: the state machine becomes the snapshot's,
// and applying continues after its index.
void World::install_snapshot(SimNode& node, const raft::Snapshot& snapshot) {
  Result<KvStateMachine> machine = KvStateMachine::decode(snapshot.data);
  if (!machine.ok()) {
    fail("node " + std::to_string(node.id) + " received a snapshot it cannot read");
    return;
  }
  node.machine = std::move(*machine);
  node.applied = snapshot.metadata.index;
  node.snapshot_index = snapshot.metadata.index;
  ++stats_.snapshots_installed;
  mix(snapshot.metadata.index ^ (snapshot.metadata.term << 40) ^ (1ULL << 63));
  if (log_) {
    line(node.id) << "installs the snapshot at index " << snapshot.metadata.index << " term "
                  << snapshot.metadata.term << '\n';
  }
  // Writes it was waiting to apply may be inside: their sessions say.
  for (auto it = node.pending_writes.begin(); it != node.pending_writes.end();) {
    const auto done = node.machine.applied_result(static_cast<std::uint64_t>(it->first.first),
                                                  it->first.second);
    if (!done) {
      ++it;
      continue;
    }
    reply(node, it->second, done->ok ? ReplyKind::ok : ReplyKind::cas_failed);
    it = node.pending_writes.erase(it);
  }
}

// apply(): at every multiple of the interval (the same indexes on every
// node, so snapshots can be compared), the state as of that entry; it is
// written after advance(), once conf_state() is known.
void World::note_snapshot_point(SimNode& node, const raft::Entry& entry) {
  const std::uint64_t interval = options_.snapshot_interval;
  if (entry.type == raft::EntryType::config_change && node.snapshot_to_take &&
      node.snapshot_to_take->metadata.index < entry.index) {
    // conf_state() after advance() would be this entry's, not the snapshot's.
    node.snapshot_to_take.reset();
  }
  if (interval == 0 || entry.index % interval != 0 || entry.index <= node.snapshot_index) return;
  node.snapshot_to_take = raft::Snapshot{.metadata = {.index = entry.index, .term = entry.term},
                                         .data = node.machine.encode()};
}

// After advance(): conf_state() is the configuration of the applied index,
// which is the snapshot's unless a config change followed it in the batch
// (then note_snapshot_point dropped it). Only an entry on disk, with the
// term applied, can be covered by a snapshot of the storage.
void World::maybe_take_snapshot(SimNode& node) {
  if (!node.snapshot_to_take) return;
  raft::Snapshot snapshot = std::move(*node.snapshot_to_take);
  node.snapshot_to_take.reset();
  const raft::Index index = snapshot.metadata.index;
  if (index > node.disk.last_index()) return;
  const Result<raft::Term> term = node.disk.term(index);
  if (!term.ok() || *term != snapshot.metadata.term) return;
  snapshot.metadata.conf_state = node.raft->conf_state();
  check_snapshot(node, snapshot, "taken");
  if (stopped_) return;
  Status status = node.disk.create_snapshot(index, snapshot.metadata.conf_state, snapshot.data);
  if (status.ok()) status = node.disk.compact(index);
  if (!status.ok()) {
    fail("node " + std::to_string(node.id) + " cannot snapshot at its applied index " +
         std::to_string(index) + ": " + std::string(status.message()));
    return;
  }
  node.snapshot_index = index;
  ++stats_.snapshots_taken;
  mix(index ^ (*term << 40));
  if (log_) line(node.id) << "snapshots at index " << index << " and compacts its log\n";
}

// State machine safety across snapshots: the snapshot's last entry is the
// one applied there, and its data is exactly the reference state there.
void World::check_snapshot(const SimNode& node, const raft::Snapshot& snapshot, const char* what) {
  const raft::Index index = snapshot.metadata.index;
  check(monitor_.observe_snapshot(node.id, index, snapshot.metadata.term));
  if (stopped_) return;
  const std::vector<raft::Entry>& applied = monitor_.applied_entries();
  if (index < reference_index_) {
    reference_ = KvStateMachine();
    reference_index_ = 0;
  }
  for (; reference_index_ < index; ++reference_index_) {
    const raft::Entry& entry = applied[reference_index_];
    if (entry.type != raft::EntryType::normal) continue;
    if (Result<KvCommand> command = decode_command(entry.data); command.ok()) {
      (void)reference_.apply(*command);
    }
  }
  if (snapshot.data == reference_.encode()) return;
  fail("state machine safety violated: node " + std::to_string(node.id) + "'s " + what +
       " snapshot at index " + std::to_string(index) + " holds \"" +
       std::string(raft::as_string_view(snapshot.data)) + "\" where applying the committed " +
       "entries gives \"" + std::string(raft::as_string_view(reference_.encode())) + "\"");
}

// Sending an install_snapshot: the transport knows whether it arrives. Lost
// on the way, the sender hears so after a timeout; delivered, its first
// copy (first_copy, null when none goes) tells the sender on arrival
// (snapshot_delivered).
void World::track_snapshot_send(const raft::Message& message, Event* first_copy) {
  ++stats_.snapshots_sent;
  const std::uint64_t sender_incarnation = nodes_[message.from - 1].incarnation;
  if (first_copy) {
    first_copy->incarnation = sender_incarnation;
    first_copy->attempt = kReportSnapshotToSender;
    return;
  }
  Event report = make_event(EventKind::snapshot_report, message.from, sender_incarnation,
                            message.to);
  report.attempt = 0;
  schedule(now_ + kSnapshotTransferTimeout, std::move(report));
}

// An install_snapshot reached its node (up, or down: then it failed).
void World::snapshot_delivered(const Event& event, bool receiver_up) {
  Event report = make_event(EventKind::snapshot_report, event.message.from, event.incarnation,
                            event.message.to);
  report.attempt = receiver_up ? 1 : 0;
  schedule(now_ + random_.uniform_duration(200us, 1ms), std::move(report));
}

void World::report_snapshot(SimNode& node, raft::NodeId to, bool ok) {
  if (!ok) ++stats_.snapshot_transfers_failed;
  if (log_) {
    line(node.id) << "transport reports the snapshot to n" << to
                  << (ok ? " delivered" : " failed") << '\n';
  }
  node.raft->report_snapshot(to, ok);
}

}  // namespace faultline::sim::detail
