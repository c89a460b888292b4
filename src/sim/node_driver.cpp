// The driver loop of each simulated node: the Ready contract of
// docs/raft.md, with a persist that takes virtual time so a crash can land
// between receiving and persisting, or between persisting and sending.
#include <string>

#include "faultline/core/assert.hpp"
#include "world.hpp"

namespace faultline::sim::detail {

using namespace std::chrono_literals;

namespace {

void describe(std::ostream& out, const raft::Message& m) {
  out << raft::message_type_name(m.type) << ' ' << m.from << "->" << m.to << " term " << m.term;
  if (m.type == raft::MessageType::append || m.type == raft::MessageType::append_response ||
      m.type == raft::MessageType::vote || m.type == raft::MessageType::pre_vote) {
    out << " index " << m.index << " log_term " << m.log_term;
  }
  if (!m.entries.empty()) out << " entries " << m.entries.size();
  if (m.type == raft::MessageType::append || m.type == raft::MessageType::heartbeat) {
    out << " commit " << m.commit;
  }
  if (m.reject) out << " reject";
}

}  // namespace

void World::start_node(raft::NodeId id) {
  SimNode& node = nodes_[id - 1];
  FAULTLINE_ASSERT(!node.raft, "start a node that is down");
  raft::Config config;
  config.id = id;
  // Every node, spares included, is given the bootstrap voters; its own
  // configuration then comes from its snapshot and the changes it applies.
  for (int voter = 1; voter <= options_.nodes; ++voter) {
    config.voters.push_back(static_cast<raft::NodeId>(voter));
  }
  config.election_ticks = 10;
  config.heartbeat_ticks = 1;
  config.max_entries_per_message = max_entries_per_message_;
  config.max_inflight_messages = max_inflight_messages_;
  config.test_knobs = options_.knobs;
  // The state machine restarts from the disk's snapshot, if any, and is
  // rebuilt by applying the committed log after it.
  node.machine = KvStateMachine();
  node.applied = 0;
  node.snapshot_index = 0;
  node.snapshot_to_take.reset();
  load_snapshot_from_disk(node);
  config.applied = node.applied;
  node.pending_writes.clear();
  node.pending_reads.clear();
  node.reads_to_serve.clear();
  node.in_flight.reset();
  node.was_leader = false;
  node.observed.reset();  // a (re)started node is reported afresh
  ++node.incarnation;
  node.raft = std::make_unique<raft::Raft>(std::move(config), node.disk, random_.fork());
  if (node.incarnation > 1) {
    ++stats_.restarts;
    if (log_) {
      line(id) << "restarts from disk: snapshot at index " << node.snapshot_index << ", term "
               << node.disk.hard_state().term << ", last index "
               << node.disk.last_index() << ", commit " << node.disk.hard_state().commit << '\n';
    }
  }
  schedule(now_ + random_.uniform_duration(0ms, kTickInterval),
           make_event(EventKind::tick, id, node.incarnation));
}

void World::crash_node(raft::NodeId id) {
  SimNode& node = nodes_[id - 1];
  if (!node.raft) return;
  ++stats_.crashes;
  if (node.in_flight) ++stats_.lost_unpersisted_readies;
  if (log_) {
    line(id) << "crashes" << (node.in_flight ? " during a persist (its Ready is lost)" : "")
             << ", disk keeps last index " << node.disk.last_index() << '\n';
  }
  node.raft.reset();
  node.in_flight.reset();
  node.pending_writes.clear();
  node.pending_reads.clear();
  node.reads_to_serve.clear();
  node.machine = KvStateMachine();
  node.snapshot_to_take.reset();
  ++node.incarnation;  // voids its pending ticks and persists
}

void World::tick(SimNode& node) {
  node.raft->tick();
  schedule(now_ + kTickInterval,
           make_event(EventKind::tick, node.id, node.incarnation));
}

void World::deliver(SimNode& node, const Event& event) {
  ++stats_.messages_delivered;
  const raft::Message& message = event.message;
  std::uint64_t& last = last_delivered_[(message.from - 1) * nodes_.size() + (message.to - 1)];
  if (event.number < last) ++stats_.messages_reordered;
  last = std::max(last, event.number);
  mix(static_cast<std::uint64_t>(message.type) | (message.term << 8));
  mix(message.index ^ (message.commit << 32) ^ (message.entries.size() << 56));
  if (log_) {
    line(node.id) << "receives ";
    describe(*log_, message);
    *log_ << '\n';
  }
  const Status status = node.raft->step(message);
  if (!status.ok()) {
    fail("node " + std::to_string(node.id) + " refused a message a correct peer sent: " +
         std::string(status.message()));
  }
}

void World::drive(SimNode& node) {
  while (!stopped_ && node.raft && !node.in_flight && node.raft->has_ready()) {
    raft::Ready ready = node.raft->ready();
    if (churn_active_) maybe_arm_churn_cut(node, ready);
    for (raft::Message& message : ready.messages) send(std::move(message));
    const bool must_persist =
        !ready.entries.empty() || ready.hard_state.has_value() || ready.snapshot.has_value();
    node.in_flight = std::move(ready);
    if (must_persist) {
      ++stats_.persists;
      schedule(now_ + random_.uniform_duration(50us, 400us),
               make_event(EventKind::persist_done, node.id, node.incarnation));
      return;
    }
    after_persist(node);
  }
}

void World::persist_done(SimNode& node) {
  FAULTLINE_ASSERT(node.in_flight.has_value(), "a persist completes for a Ready in flight");
  const raft::Ready& ready = *node.in_flight;
  if (ready.snapshot) {
    persist_snapshot(node, *ready.snapshot);
    if (stopped_) return;
  }
  if (!ready.entries.empty()) {
    node.disk.append(ready.entries);
    check(monitor_.observe_persisted(node.id, ready.entries, disks_));
  }
  if (ready.hard_state) node.disk.set_hard_state(*ready.hard_state);
  if (log_) {
    line(node.id) << "persisted " << ready.entries.size() << " entries (last index "
                  << node.disk.last_index() << "), term " << node.disk.hard_state().term
                  << " vote " << node.disk.hard_state().vote << " commit "
                  << node.disk.hard_state().commit << '\n';
  }
  // Durable now; a crash before the next event still loses the sends.
  schedule(now_ + random_.uniform_duration(0us, 20us),
           make_event(EventKind::after_persist, node.id, node.incarnation));
}

void World::after_persist(SimNode& node) {
  FAULTLINE_ASSERT(node.in_flight.has_value(), "after_persist for a Ready in flight");
  raft::Ready ready = std::move(*node.in_flight);
  for (raft::Message& message : ready.messages_after_persist) send(std::move(message));
  if (ready.snapshot) install_snapshot(node, *ready.snapshot);
  for (const raft::Entry& entry : ready.committed_entries) {
    apply(node, entry);
    note_snapshot_point(node, entry);
  }
  for (raft::ReadState& state : ready.read_states) node.reads_to_serve.push_back(std::move(state));
  serve_reads(node);
  node.in_flight.reset();
  node.raft->advance(ready);
  maybe_take_snapshot(node);
  if (churn_active_ && !ready.committed_entries.empty() && node.raft->role() == raft::Role::leader &&
      !churn_cut_[node.id - 1] && random_.bernoulli(0.5)) {
    churn_cut(node);
    return;
  }
  if (crash_leader_after_apply_ && !ready.committed_entries.empty() &&
      node.raft->role() == raft::Role::leader) {
    crashed_by_episode_[*crash_leader_after_apply_] = node.id;
    crash_leader_after_apply_.reset();
    crash_node(node.id);
  }
}

void World::apply(SimNode& node, const raft::Entry& entry) {
  check(monitor_.observe_applied(node.id, entry));
  node.applied = entry.index;
  mix(entry.index ^ (entry.term << 40));
  if (entry.type != raft::EntryType::normal) {
    if (log_) line(node.id) << "applies index " << entry.index << " term " << entry.term << " no-op\n";
    return;
  }
  Result<KvCommand> command = decode_command(entry.data);
  if (!command.ok()) {
    fail("node " + std::to_string(node.id) + " applied an entry that is not a kv command");
    return;
  }
  const KvApplied result = node.machine.apply(*command);
  if (log_) {
    line(node.id) << "applies index " << entry.index << " term " << entry.term << " \""
                  << raft::as_string_view(entry.data) << "\"" << (result.ok ? "" : " (no effect)")
                  << '\n';
  }
  const auto key = std::make_pair(static_cast<int>(command->client), command->op);
  const auto pending = node.pending_writes.find(key);
  if (pending == node.pending_writes.end()) return;
  reply(node, pending->second, result.ok ? ReplyKind::ok : ReplyKind::cas_failed);
  node.pending_writes.erase(pending);
}

void World::serve_reads(SimNode& node) {
  std::size_t kept = 0;
  for (std::size_t i = 0; i < node.reads_to_serve.size(); ++i) {
    raft::ReadState& state = node.reads_to_serve[i];
    if (state.index > node.applied) {
      node.reads_to_serve[kept++] = std::move(state);
      continue;
    }
    const auto pending = node.pending_reads.find(std::string(raft::as_string_view(state.context)));
    if (pending == node.pending_reads.end()) continue;
    reply(node, pending->second, ReplyKind::ok, node.machine.get(pending->second.key));
    node.pending_reads.erase(pending);
  }
  node.reads_to_serve.resize(kept);
}

void World::send(raft::Message message) {
  Network::Fate fate;
  if (!churn_cut(message)) fate = network_.route(message.from, message.to);
  const bool snapshot = message.type == raft::MessageType::install_snapshot;
  if (snapshot && fate.copies == 0) track_snapshot_send(message, nullptr);
  for (int copy = 0; copy < fate.copies; ++copy) {
    Event& delivery =
        enqueue(now_ + fate.delays[copy], EventKind::deliver, message.to, 0, send_sequence_);
    if (snapshot && copy == 0) track_snapshot_send(message, &delivery);
    if (copy + 1 == fate.copies) {
      delivery.message = std::move(message);
    } else {
      delivery.message = message;
    }
  }
  ++send_sequence_;
}

void World::handle_request(SimNode& node, const ClientRequest& request) {
  raft::Raft& raft = *node.raft;
  if (request.kind != OpKind::get) {
    if (const auto done = node.machine.applied_result(static_cast<std::uint64_t>(request.client),
                                                      request.op)) {
      reply(node, request, done->ok ? ReplyKind::ok : ReplyKind::cas_failed);
      return;
    }
  }
  if (raft.role() != raft::Role::leader) {
    reply(node, request, ReplyKind::not_leader);
    return;
  }
  if (request.kind == OpKind::get) {
    std::string context = "R " + std::to_string(request.client) + ' ' +
                          std::to_string(request.op) + ' ' + std::to_string(request.attempt);
    if (!raft.read_index(raft::to_bytes(context)).ok()) {
      reply(node, request, ReplyKind::not_leader);
      return;
    }
    node.pending_reads[std::move(context)] = request;
    return;
  }
  KvCommand command{.kind = request.kind == OpKind::put ? KvCommand::Kind::put : KvCommand::Kind::cas,
                    .client = static_cast<std::uint64_t>(request.client),
                    .op = request.op,
                    .key = request.key,
                    .value = request.value,
                    .expected = request.expected};
  if (!raft.propose(encode_command(command)).ok()) {
    reply(node, request, ReplyKind::not_leader);
    return;
  }
  node.pending_writes[{request.client, request.op}] = request;
}

void World::reply(const SimNode& node, const ClientRequest& request, ReplyKind kind,
                  std::optional<std::string> value) {
  ClientReply answer{.client = request.client, .op = request.op, .attempt = request.attempt,
                     .kind = kind,
                     .hint = node.raft ? node.raft->leader() : raft::kNoNode,
                     .value = std::move(value)};
  Event event = make_event(EventKind::reply);
  event.reply = std::move(answer);
  schedule(now_ + random_.uniform_duration(200us, 1ms), std::move(event));
}

}  // namespace faultline::sim::detail
