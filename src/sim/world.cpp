#include "world.hpp"

#include <algorithm>
#include <cstdio>
#include <sstream>

#include "faultline/check/checker.hpp"
#include "faultline/check/kv_model.hpp"
#include "faultline/check/report/timeline.hpp"
#include "faultline/core/assert.hpp"

namespace faultline::sim {
namespace detail {

using namespace std::chrono_literals;

namespace {

// A function object, not a function pointer, so the heap's sifts inline it.
struct Later {
  template <class Key>
  bool operator()(const Key& a, const Key& b) const noexcept {
    if (a.time != b.time) return a.time > b.time;
    return a.sequence > b.sequence;
  }
};

// enqueue() and move_event() set the header field by field: time, then
// sequence, kind, node, incarnation, number and attempt in six 8-byte words
// (kind and attempt padded). An Event that gains a field must be handled
// there too; this size check is the reminder (a field small enough to hide
// in the padding is not caught: see the note on Event).
static_assert(sizeof(Event) == sizeof(Duration) + 6 * sizeof(std::uint64_t) +
                                   sizeof(raft::Message) + sizeof(ClientRequest) +
                                   sizeof(ClientReply),
              "Event changed: update enqueue() and move_event() in world.cpp");

// Moves an event into a queue slot: the header, and only the payload its
// kind carries (dispatch reads no other), instead of all three. A kind not
// listed moves everything.
void move_event(Event& slot, Event&& event) {
  slot.time = event.time;
  slot.sequence = event.sequence;
  slot.kind = event.kind;
  slot.node = event.node;
  slot.incarnation = event.incarnation;
  slot.number = event.number;
  slot.attempt = event.attempt;
  switch (event.kind) {
    case EventKind::tick:
    case EventKind::persist_done:
    case EventKind::after_persist:
    case EventKind::attempt_timeout:
    case EventKind::next_op:
    case EventKind::fault_begin:
    case EventKind::fault_end:
    case EventKind::heal_all:
    case EventKind::isolate_leader:
    case EventKind::end_isolation:
      return;
    case EventKind::deliver:
      slot.message = std::move(event.message);
      return;
    case EventKind::request:
    case EventKind::resend:
      slot.request = std::move(event.request);
      return;
    case EventKind::reply:
      slot.reply = std::move(event.reply);
      return;
    default:
      slot = std::move(event);
      return;
  }
}

}  // namespace

World::World(std::uint64_t seed, const SimOptions& options, std::ostream* log,
             SimObserver* observer)
    : seed_(seed),
      options_(options),
      log_(log),
      observer_(observer),
      random_(seed),
      network_(options.nodes + (options.faults.has(FaultKind::membership) ? kSpareNodes : 0),
               random_.fork()),
      backoff_(resilience::Backoff::exponential(10ms, 2.0)
                   .with_jitter(resilience::Jitter::full)
                   .with_max_delay(200ms)) {
  FAULTLINE_ASSERT(options.validate().ok(), "run_simulation needs valid options");
  heal_time_ = options.duration * 6 / 10;
  // Clients stop early enough for their last op to finish before the end.
  clients_stop_time_ = std::max(options.duration - kOpDeadline - 200ms, options.duration / 2);
  max_entries_per_message_ = 1 + random_.uniform(8);
  max_inflight_messages_ = 1 + random_.uniform(8);
  Random schedule_random = random_.fork();
  episodes_ = make_fault_schedule(options.faults, 300ms, heal_time_, schedule_random);
  crashed_by_episode_.assign(episodes_.size(), raft::kNoNode);
  // Spare nodes, outside the bootstrap configuration, for the operator to add.
  const int spares = options.faults.has(FaultKind::membership) ? kSpareNodes : 0;
  nodes_.resize(static_cast<std::size_t>(options.nodes + spares));
  last_delivered_.assign(nodes_.size() * nodes_.size(), 0);
  churn_cut_.assign(nodes_.size(), false);
  for (std::size_t i = 0; i < nodes_.size(); ++i) {
    nodes_[i].id = i + 1;
    disks_.push_back(&nodes_[i].disk);
  }
  for (SimNode& node : nodes_) start_node(node.id);
  for (std::size_t i = 0; i < episodes_.size(); ++i) {
    schedule(episodes_[i].start, make_event(EventKind::fault_begin, raft::kNoNode, 0, i));
    schedule(episodes_[i].end, make_event(EventKind::fault_end, raft::kNoNode, 0, i));
  }
  for (const LeaderIsolation& isolation : options.isolate_leader) {
    schedule(isolation.start, make_event(EventKind::isolate_leader));
    schedule(isolation.end, make_event(EventKind::end_isolation));
  }
  schedule(heal_time_, make_event(EventKind::heal_all));
  clients_.resize(static_cast<std::size_t>(options.clients));
  for (std::size_t i = 0; i < clients_.size(); ++i) {
    SimClient& client = clients_[i];
    client.id = static_cast<int>(i);
    client.process = client.id;
    client.target = random_.uniform(nodes_.size()) + 1;
    schedule(random_.uniform_duration(0ms, 50ms),
             make_event(EventKind::next_op, raft::kNoNode, 0, i));
  }
}

Event& World::enqueue(Duration at, EventKind kind, raft::NodeId node,
                     std::uint64_t incarnation, std::uint64_t number) {
  std::uint32_t slot = 0;
  if (free_slots_.empty()) {
    slot = static_cast<std::uint32_t>(slots_.size());
    slots_.emplace_back();
  } else {
    slot = free_slots_.back();
    free_slots_.pop_back();
  }
  Event& event = slots_[slot];
  event.time = at;
  event.sequence = sequence_++;
  event.kind = kind;
  event.node = node;
  event.incarnation = incarnation;
  event.number = number;
  event.attempt = 0;
  queue_.push_back(QueueKey{at, event.sequence, slot});
  std::push_heap(queue_.begin(), queue_.end(), Later{});
  return event;
}

void World::schedule(Duration at, Event event) {
  Event& slot = enqueue(at, event.kind, event.node, event.incarnation, event.number);
  event.time = slot.time;
  event.sequence = slot.sequence;
  move_event(slot, std::move(event));
}

std::uint32_t World::pop() {
  std::pop_heap(queue_.begin(), queue_.end(), Later{});
  const std::uint32_t slot = queue_.back().slot;
  queue_.pop_back();
  return slot;
}

std::ostream& World::line(raft::NodeId node) {
  char stamp[48];
  std::snprintf(stamp, sizeof stamp, "%10.3fms ",
                static_cast<double>(now_.count()) / 1e6);
  *log_ << stamp;
  if (node == raft::kNoNode) {
    *log_ << "--  ";
  } else {
    *log_ << 'n' << node << "  ";
  }
  return *log_;
}

void World::fail(const std::string& report) {
  if (stopped_) return;
  stopped_ = true;
  char stamp[48];
  std::snprintf(stamp, sizeof stamp, "%.3fms", static_cast<double>(now_.count()) / 1e6);
  report_ = "seed " + std::to_string(seed_) + " at " + stamp + ": " + report;
  if (log_) line(raft::kNoNode) << "VIOLATION " << report << '\n';
}

void World::check(const Status& status) {
  if (!status.ok()) fail(std::string(status.message()));
}

SimResult World::run() {
  const auto real_start = std::chrono::steady_clock::now();
  while (!stopped_ && !queue_.empty()) {
    if (queue_.front().time > options_.duration) break;
    if (options_.steps_max != 0 && stats_.events >= options_.steps_max) break;
    const std::uint32_t slot = pop();
    Event& event = slots_[slot];
    now_ = event.time;
    ++stats_.events;
    mix(static_cast<std::uint64_t>(event.time.count()));
    mix(static_cast<std::uint64_t>(event.kind) | (event.node << 8) | (event.number << 16));
    dispatch(event);
    free_slots_.push_back(slot);
  }
  if (!stopped_) check_liveness();
  finish_pending_ops();
  if (!stopped_) check_history();
  stats_.simulated = now_;
  stats_.elections = monitor_.elections();
  const NetworkCounters& net = network_.counters();
  stats_.messages_sent = net.sent;
  stats_.messages_dropped_by_loss = net.dropped_by_loss;
  stats_.messages_dropped_by_partition = net.dropped_by_partition;
  stats_.messages_duplicated = net.duplicated;
  stats_.real = std::chrono::steady_clock::now() - real_start;
  mix(stats_.ops_ok);
  mix(stats_.messages_delivered);
  SimResult result;
  result.ok = !stopped_;
  result.report = report_;
  result.replay = replay_command(seed_, options_);
  result.hash = hash_;
  result.stats = stats_;
  result.history = std::move(history_);
  return result;
}

void World::dispatch(Event& event) {
  SimNode* node = event.node != raft::kNoNode ? &nodes_[event.node - 1] : nullptr;
  const bool node_alive = node && node->raft && node->incarnation == event.incarnation;
  switch (event.kind) {
    case EventKind::tick:
      if (node_alive) tick(*node);
      break;
    case EventKind::deliver: {
      const bool cut = churn_cut(event.message);
      if (event.attempt == kReportSnapshotToSender) {
        snapshot_delivered(event, node->raft != nullptr && !cut);
      }
      if (node && node->raft && !cut) deliver(*node, event);  // any incarnation: it is the network
      break;
    }
    case EventKind::persist_done:
      if (node_alive) persist_done(*node);
      break;
    case EventKind::after_persist:
      if (node_alive) after_persist(*node);
      break;
    case EventKind::request:
      if (node && node->raft) handle_request(*node, event.request);
      break;
    case EventKind::reply:
      handle_reply(clients_[static_cast<std::size_t>(event.reply.client)], event.reply);
      break;
    case EventKind::attempt_timeout:
      attempt_timed_out(clients_[event.number], event.attempt);
      break;
    case EventKind::resend: {
      SimClient& client = clients_[event.number];
      if (client.busy && client.op.op == event.request.op) send_attempt(client);
      break;
    }
    case EventKind::next_op:
      next_op(clients_[event.number]);
      break;
    case EventKind::fault_begin:
      begin_fault(event.number);
      break;
    case EventKind::fault_end:
      end_fault(event.number);
      break;
    case EventKind::heal_all:
      heal_all();
      break;
    case EventKind::isolate_leader:
      isolate_leader();
      break;
    case EventKind::end_isolation:
      end_isolation();
      break;
    case EventKind::snapshot_report:
      if (node_alive) report_snapshot(*node, event.number, event.attempt == 1);
      break;
    case EventKind::operator_attempt:
      if (event.number == operator_round_) operator_attempt();
      break;
    case EventKind::churn_cut:
      churn_cut_armed_ = false;
      if (node_alive && churn_active_ && !churn_cut_[node->id - 1]) churn_cut(*node);
      break;
    case EventKind::churn_reconnect:
      churn_cut_[node->id - 1] = false;
      if (log_) line(node->id) << "leader churn: network back\n";
      break;
  }
  if (node && node->raft) {
    drive(*node);
    observe_roles(node->id);
  }
}

void World::observe_roles(raft::NodeId id) {
  SimNode& node = nodes_[id - 1];
  const bool leader = node.raft->role() == raft::Role::leader;
  if (leader) check(monitor_.observe_leader(id, node.raft->term(), node.raft->log()));
  if (leader && !node.was_leader && log_) {
    line(id) << "becomes leader of term " << node.raft->term() << " (last index "
             << node.raft->log().last_index() << ")\n";
  }
  node.was_leader = leader;
  if (observer_) {
    const NodeStatus status{.node = id,
                            .role = node.raft->role(),
                            .term = node.raft->term(),
                            .leader = node.raft->leader(),
                            .commit = node.raft->log().committed(),
                            .last_index = node.raft->log().last_index()};
    const std::optional<NodeStatus>& seen = node.observed;
    if (!seen || seen->role != status.role || seen->term != status.term ||
        seen->leader != status.leader || seen->commit != status.commit) {
      node.observed = status;
      observer_->on_node_changed(now_, status);
    }
  }
}

raft::NodeId World::current_leader() const {
  raft::NodeId leader = raft::kNoNode;
  raft::Term term = 0;
  for (const SimNode& node : nodes_) {
    if (!node.raft || node.raft->role() != raft::Role::leader) continue;
    if (node.raft->term() >= term) {
      term = node.raft->term();
      leader = node.id;
    }
  }
  return leader;
}

// After the faults heal: a leader leads the live cluster, and every op
// invoked once the cluster had time to settle completed.
void World::check_liveness() {
  if (options_.steps_max != 0 && stats_.events >= options_.steps_max) return;  // cut short
  if (options_.duration - heal_time_ >= 1s && current_leader() == raft::kNoNode) {
    fail("liveness violated: no leader " +
         std::to_string((options_.duration - heal_time_) / 1ms) + "ms after the faults healed");
    return;
  }
  for (const OpRecord& record : op_records_) {
    if (record.invoked_at < heal_time_ + kSettleAfterHeal || record.completed_ok) continue;
    if (record.invoked_at + kOpDeadline > options_.duration) continue;  // cut off by the end
    fail("liveness violated: an op invoked at " + std::to_string(record.invoked_at / 1ms) +
         "ms, after the faults healed, did not complete");
    return;
  }
}

void World::check_history() {
  Result<check::CheckResult> result = check::check_history(history_, check::kv_model());
  if (!result.ok()) {
    fail("the client history is malformed: " + std::string(result.status().message()));
    return;
  }
  if (result->verdict == check::Verdict::not_linearizable) {
    fail("the client history is not linearizable:\n" +
         check::render_check_report(*result, check::kv_model()));
  }
}

}  // namespace detail

SimResult run_simulation(std::uint64_t seed, const SimOptions& options, std::ostream* log,
                         SimObserver* observer) {
  detail::World world(seed, options, log, observer);
  return world.run();
}

}  // namespace faultline::sim
