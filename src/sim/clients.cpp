// The simulated clients: each runs one op at a time against whichever node
// it believes leads, retries refusals and timeouts with jittered exponential
// backoff until the op's deadline, and records Jepsen events.
#include <cstdio>
#include <string>

#include "world.hpp"

namespace faultline::sim::detail {

using namespace std::chrono_literals;

namespace {

constexpr int kKeys = 3;

const char* function_name(OpKind kind) {
  switch (kind) {
    case OpKind::get: return "get";
    case OpKind::put: return "put";
    case OpKind::cas: return "cas";
  }
  return "?";
}

}  // namespace

void World::next_op(SimClient& client) {
  if (now_ >= clients_stop_time_ || client.busy) return;
  ClientRequest& op = client.op;
  op = ClientRequest{};
  op.client = client.id;
  op.op = client.next_op_id++;
  const std::uint64_t draw = random_.uniform(10);
  op.kind = draw < 4 ? OpKind::get : draw < 8 ? OpKind::put : OpKind::cas;
  // snprintf, not string concatenation: GCC 12 misreports the latter (-Wrestrict).
  char text[64];
  std::snprintf(text, sizeof text, "k%llu", static_cast<unsigned long long>(random_.uniform(kKeys)));
  op.key = text;
  if (op.kind != OpKind::get) {
    std::snprintf(text, sizeof text, "c%d-%llu", client.id, static_cast<unsigned long long>(op.op));
    op.value = text;
  }
  if (op.kind == OpKind::cas) {
    // The kv model compares against a value, never against "absent": a
    // client that saw nothing of the key yet puts instead. Mostly the value
    // it saw last (often current, so the swap succeeds), sometimes one that
    // is never written (so it is refused).
    const auto seen = client.last_seen.find(op.key);
    if (seen == client.last_seen.end()) {
      op.kind = OpKind::put;
    } else {
      op.expected = random_.bernoulli(0.8) ? seen->second : std::string("never");
    }
  }
  client.busy = true;
  client.invoked_at = now_;
  client.deadline = now_ + kOpDeadline;
  client.retries = 0;
  client.previous_delay = Duration::zero();
  client.possibly_applied = false;
  client.record = op_records_.size();
  op_records_.push_back(OpRecord{now_, false});
  ++stats_.ops_invoked;
  check::Event invoke = check::Event::invoke(
      client.process, function_name(op.kind), op.key,
      op.kind == OpKind::get ? check::Value{} : check::Value{op.value}, op.expected);
  invoke.time_ns = now_.count();
  history_.push_back(std::move(invoke));
  if (log_) {
    line(raft::kNoNode) << "client " << client.id << " invokes " << function_name(op.kind) << ' '
                        << op.key << ' ' << op.expected.value_or(op.kind == OpKind::cas ? "nil" : "")
                        << (op.kind == OpKind::cas ? "->" : "") << op.value << '\n';
  }
  send_attempt(client);
}

void World::send_attempt(SimClient& client) {
  ++client.op.attempt;
  mix(client.target | (client.op.op << 8));
  Event request = make_event(EventKind::request, client.target);
  request.request = client.op;
  schedule(now_ + random_.uniform_duration(200us, 1ms), std::move(request));
  Event timeout = make_event(EventKind::attempt_timeout, raft::kNoNode, 0,
                             static_cast<std::uint64_t>(client.id));
  timeout.attempt = client.op.attempt;
  schedule(now_ + kAttemptTimeout, std::move(timeout));
}

void World::handle_reply(SimClient& client, const ClientReply& reply) {
  if (!client.busy || reply.op != client.op.op) return;  // an op it already finished
  switch (reply.kind) {
    case ReplyKind::ok:
      complete(client, check::EventType::ok, reply.value);
      return;
    case ReplyKind::cas_failed:
      complete(client, check::EventType::fail, std::nullopt);
      return;
    case ReplyKind::not_leader:
      if (reply.attempt != client.op.attempt) return;  // a newer attempt is out
      retry(client, reply.hint);
      return;
  }
}

void World::attempt_timed_out(SimClient& client, std::uint32_t attempt) {
  if (!client.busy || attempt != client.op.attempt) return;
  // No answer: a write may have been proposed and may still commit.
  if (client.op.kind != OpKind::get) client.possibly_applied = true;
  retry(client, raft::kNoNode);
}

void World::retry(SimClient& client, raft::NodeId hint) {
  if (now_ >= client.deadline) {
    // A read has no effect; a write every attempt of which was refused
    // before proposing had none either. Otherwise nobody knows.
    const bool no_effect = client.op.kind == OpKind::get || !client.possibly_applied;
    complete(client, no_effect ? check::EventType::fail : check::EventType::info, std::nullopt);
    return;
  }
  client.target = hint != raft::kNoNode && hint != client.target
                      ? hint
                      : random_.uniform(nodes_.size()) + 1;
  ++client.retries;
  ++stats_.client_retries;
  const Duration delay = backoff_.delay(client.retries, client.previous_delay, random_);
  client.previous_delay = delay;
  Event resend = make_event(EventKind::resend, raft::kNoNode, 0, static_cast<std::uint64_t>(client.id));
  resend.request.op = client.op.op;
  schedule(now_ + delay, std::move(resend));
}

void World::complete(SimClient& client, check::EventType type, std::optional<std::string> value) {
  const ClientRequest& op = client.op;
  const char* function = function_name(op.kind);
  check::Event event;
  switch (type) {
    case check::EventType::ok:
      event = check::Event::ok(client.process, function, op.key,
                               op.kind == OpKind::get ? value : check::Value{op.value}, op.expected);
      ++stats_.ops_ok;
      if (op.kind != OpKind::get) {
        client.last_seen[op.key] = op.value;
      } else if (value) {
        client.last_seen[op.key] = *value;
      }
      break;
    case check::EventType::fail:
      event = check::Event::fail(client.process, function, op.key);
      ++stats_.ops_fail;
      break;
    default:
      event = check::Event::info(client.process, function, op.key);
      ++stats_.ops_info;
      break;
  }
  event.time_ns = now_.count();
  history_.push_back(std::move(event));
  // Ok, or a cas the state machine refused: the cluster answered.
  const bool answered = type == check::EventType::ok || (type == check::EventType::fail &&
                                                         op.kind == OpKind::cas &&
                                                         now_ < client.deadline);
  op_records_[client.record].completed_ok = answered;
  mix(static_cast<std::uint64_t>(type) | (op.op << 8));
  if (log_) {
    line(raft::kNoNode) << "client " << client.id << ' ' << check::event_type_name(type) << ' '
                        << function << ' ' << op.key;
    if (type == check::EventType::ok && op.kind == OpKind::get) *log_ << " = " << check::value_to_string(value);
    *log_ << '\n';
  }
  // After an info the op may still take effect: Jepsen gives the client a
  // new process so its next op is not ordered after this one.
  if (type == check::EventType::info) client.process += static_cast<std::int64_t>(clients_.size());
  client.busy = false;
  schedule(now_ + random_.uniform_duration(0ms, 20ms),
           make_event(EventKind::next_op, raft::kNoNode, 0, static_cast<std::uint64_t>(client.id)));
}

void World::finish_pending_ops() {
  for (SimClient& client : clients_) {
    if (client.busy) complete(client, check::EventType::info, std::nullopt);
  }
}

}  // namespace faultline::sim::detail
