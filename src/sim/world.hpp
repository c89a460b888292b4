// World: the simulator's private state and its event loop (simulation.hpp is
// the public face). Split by concern: world.cpp (queue, loop, end-of-run
// checks), faults.cpp (fault episodes), node_driver.cpp (the Ready
// contract), snapshots.cpp (taking, installing and reporting snapshots),
// membership.cpp (the operator's membership changes, leadership transfers),
// clients.cpp (clients and history).
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "faultline/check/history.hpp"
#include "faultline/core/random.hpp"
#include "faultline/raft/raft.hpp"
#include "faultline/resilience/backoff.hpp"
#include "faultline/sim/fault_schedule.hpp"
#include "faultline/sim/kv_command.hpp"
#include "faultline/sim/network.hpp"
#include "faultline/sim/options.hpp"
#include "faultline/sim/safety_monitor.hpp"
#include "faultline/sim/simulation.hpp"

namespace faultline::sim::detail {

enum class OpKind : std::uint8_t { get, put, cas };

struct ClientRequest {
  int client = 0;
  std::uint64_t op = 0;
  std::uint32_t attempt = 0;
  OpKind kind = OpKind::get;
  std::string key;
  std::string value;
  std::optional<std::string> expected;
};

enum class ReplyKind : std::uint8_t { ok, cas_failed, not_leader };

struct ClientReply {
  int client = 0;
  std::uint64_t op = 0;
  std::uint32_t attempt = 0;
  ReplyKind kind = ReplyKind::ok;
  raft::NodeId hint = raft::kNoNode;
  std::optional<std::string> value;
};

enum class EventKind : std::uint8_t {
  tick,
  deliver,
  persist_done,    // the disk write of the in-flight Ready completes
  after_persist,   // then its messages leave, its entries apply, advance()
  request,         // a client request reaches a node
  reply,           // a node's reply reaches a client
  attempt_timeout,
  resend,          // a client's backoff elapsed
  next_op,
  fault_begin,
  fault_end,
  heal_all,
  isolate_leader,  // a scripted LeaderIsolation begins
  end_isolation,
  snapshot_report,   // the transport tells a leader how its install_snapshot went
  operator_attempt,  // the membership operator tries (again) to propose its change
  churn_cut,         // a leader churn episode takes the network of a leader down
  churn_reconnect,   // and brings it back
};

// A new field needs a line in enqueue() and move_event() (world.cpp): queue
// slots are reused, and those two set the header field by field.
struct Event {
  Duration time{0};
  std::uint64_t sequence = 0;
  EventKind kind = EventKind::tick;
  raft::NodeId node = raft::kNoNode;
  std::uint64_t incarnation = 0;  // node events of a crashed incarnation are void
  std::uint64_t number = 0;       // send sequence (deliver), op id, episode index
  std::uint32_t attempt = 0;
  raft::Message message{};
  ClientRequest request{};
  ClientReply reply{};
};

// Builds an event field by field (GCC 12 misreports designated initializers
// of this struct as reading uninitialized vectors).
inline Event make_event(EventKind kind, raft::NodeId node = raft::kNoNode,
                        std::uint64_t incarnation = 0, std::uint64_t number = 0) {
  Event event;
  event.kind = kind;
  event.node = node;
  event.incarnation = incarnation;
  event.number = number;
  return event;
}

struct SimNode {
  raft::NodeId id = raft::kNoNode;
  raft::MemoryStorage disk;  // survives crashes: what was persisted
  std::unique_ptr<raft::Raft> raft;
  KvStateMachine machine;
  std::uint64_t incarnation = 0;
  std::optional<raft::Ready> in_flight;  // the Ready being persisted
  std::map<std::pair<int, std::uint64_t>, ClientRequest> pending_writes;
  std::map<std::string, ClientRequest> pending_reads;  // by ReadIndex context
  std::vector<raft::ReadState> reads_to_serve;         // answered, waiting for apply
  raft::Index applied = 0;
  raft::Index snapshot_index = 0;  // of the latest snapshot its state machine took or loaded
  std::optional<raft::Snapshot> snapshot_to_take;  // noted in apply(), taken after advance()
  bool was_leader = false;
  std::optional<NodeStatus> observed;  // as last reported to the SimObserver
};

struct SimClient {
  int id = 0;
  std::int64_t process = 0;
  bool busy = false;
  ClientRequest op;
  Duration invoked_at{0};
  Duration deadline{0};
  raft::NodeId target = raft::kNoNode;
  std::uint32_t retries = 0;
  Duration previous_delay{0};
  bool possibly_applied = false;  // an attempt timed out: a write may have happened
  std::size_t record = 0;         // its index in World::op_records_
  std::uint64_t next_op_id = 1;
  std::map<std::string, std::string> last_seen;  // key -> a value this client saw
};

class World {
 public:
  World(std::uint64_t seed, const SimOptions& options, std::ostream* log, SimObserver* observer);
  SimResult run();

 private:
  // world.cpp
  void schedule(Duration at, Event event);
  // Queues an event at `at` in a slot and returns it, with the header set
  // from the arguments, to be filled in place: no Event is built and moved.
  // Its payload fields (message, request, reply) hold what an earlier event
  // left; the caller sets the one its kind carries.
  Event& enqueue(Duration at, EventKind kind, raft::NodeId node, std::uint64_t incarnation,
                 std::uint64_t number);
  std::uint32_t pop();  // the slot of the next event; free it after dispatch
  void dispatch(Event& event);
  // splitmix64 over (hash, value): portable and order-sensitive. Inline: it
  // runs several times per event.
  void mix(std::uint64_t value) noexcept { hash_ = splitmix64(hash_ ^ value); }
  void fail(const std::string& report);
  void check(const Status& status);
  void observe_roles(raft::NodeId node);
  void check_liveness();
  void check_history();
  std::ostream& line(raft::NodeId node);
  [[nodiscard]] raft::NodeId current_leader() const;

  // faults.cpp
  void begin_fault(std::size_t episode);
  void end_fault(std::size_t episode);
  void partition();
  void heal_all();
  void isolate_leader();
  void end_isolation();
  void maybe_arm_churn_cut(const SimNode& node, const raft::Ready& ready);
  void churn_cut(SimNode& node);

  // snapshots.cpp
  void load_snapshot_from_disk(SimNode& node);
  void persist_snapshot(SimNode& node, const raft::Snapshot& snapshot);
  void install_snapshot(SimNode& node, const raft::Snapshot& snapshot);
  void note_snapshot_point(SimNode& node, const raft::Entry& entry);
  void maybe_take_snapshot(SimNode& node);
  void check_snapshot(const SimNode& node, const raft::Snapshot& snapshot, const char* what);
  void track_snapshot_send(const raft::Message& message, Event* first_copy);
  void snapshot_delivered(const Event& event, bool receiver_up);
  void report_snapshot(SimNode& node, raft::NodeId to, bool ok);

  // membership.cpp
  void begin_membership_change();
  void operator_attempt();
  [[nodiscard]] std::optional<raft::ConfChange> choose_conf_change(const raft::Raft& leader);
  void begin_transfer();

  // node_driver.cpp
  void start_node(raft::NodeId id);
  void crash_node(raft::NodeId id);
  void tick(SimNode& node);
  void deliver(SimNode& node, const Event& event);
  void drive(SimNode& node);
  void persist_done(SimNode& node);
  void after_persist(SimNode& node);
  void apply(SimNode& node, const raft::Entry& entry);
  void serve_reads(SimNode& node);
  void send(raft::Message message);
  void handle_request(SimNode& node, const ClientRequest& request);
  void reply(const SimNode& node, const ClientRequest& request, ReplyKind kind,
             std::optional<std::string> value = std::nullopt);

  // clients.cpp
  void next_op(SimClient& client);
  void send_attempt(SimClient& client);
  void handle_reply(SimClient& client, const ClientReply& reply);
  void attempt_timed_out(SimClient& client, std::uint32_t attempt);
  void retry(SimClient& client, raft::NodeId target);
  void complete(SimClient& client, check::EventType type, std::optional<std::string> value);
  void finish_pending_ops();

  std::uint64_t seed_;
  SimOptions options_;
  std::ostream* log_;
  SimObserver* observer_;
  Random random_;
  Network network_;
  SafetyMonitor monitor_;
  resilience::Backoff backoff_;
  std::vector<FaultEpisode> episodes_;
  std::vector<raft::NodeId> crashed_by_episode_;
  // A crash episode waiting for the most damaging moment: right after a
  // leader applied entries (and answered clients), before its followers
  // learn the new commit index.
  std::optional<std::size_t> crash_leader_after_apply_;
  // A leader churn episode is on: the next leader Ready that appends entries
  // arms a cut of that leader's network within a round trip (one armed at a
  // time), and a leader that applies is cut right then half the time.
  bool churn_active_ = false;
  bool churn_cut_armed_ = false;
  // Per node: its network interface is down (a churn fault): nothing it
  // sends leaves and what was in flight to or from it is lost.
  std::vector<bool> churn_cut_;
  [[nodiscard]] bool churn_cut(const raft::Message& m) const {
    return churn_cut_[m.from - 1] || churn_cut_[m.to - 1];
  }
  std::vector<SimNode> nodes_;  // the first options_.nodes bootstrap the cluster
  std::vector<const raft::MemoryStorage*> disks_;
  // The membership operator: between a membership episode's begin and its
  // end (or the heal) it retries until the leader accepts one change.
  bool operator_active_ = false;
  std::uint64_t operator_round_ = 0;  // voids attempts of an earlier episode
  // The state every node must have reached at reference_index_: replayed
  // from the monitor's applied entries, to judge snapshots.
  KvStateMachine reference_;
  raft::Index reference_index_ = 0;
  std::vector<SimClient> clients_;
  // The event queue: a binary heap of small keys on (time, sequence), the
  // events themselves in reusable slots (a deque: references stay valid
  // while dispatch schedules more), so sifting moves 24 bytes, not an Event
  // with its message, and dispatch reads the event in place. A slot keeps
  // only the payload its event's kind carries current (see schedule()).
  struct QueueKey {
    Duration time;
    std::uint64_t sequence;
    std::uint32_t slot;
  };
  std::vector<QueueKey> queue_;
  std::deque<Event> slots_;
  std::vector<std::uint32_t> free_slots_;
  std::uint64_t sequence_ = 0;
  std::uint64_t send_sequence_ = 0;
  std::vector<std::uint64_t> last_delivered_;  // per link [from-1][to-1]: newest send sequence
  Duration now_{0};
  Duration heal_time_{0};
  Duration clients_stop_time_{0};
  // Drawn per run, the same on every node (the core requires that): small
  // batches and windows split a catching-up follower's appends, which is
  // where a previous-term entry can sit alone at the quorum index.
  std::size_t max_entries_per_message_ = 64;
  std::size_t max_inflight_messages_ = 64;
  std::uint64_t hash_ = 0xcbf29ce484222325ULL;
  bool stopped_ = false;
  std::string report_;
  SimStats stats_;
  check::History history_;
  struct OpRecord {
    Duration invoked_at{0};
    bool completed_ok = false;  // ok, or a cas refused by the state machine
  };
  std::vector<OpRecord> op_records_;
};

// Timing of the world, in one place.
inline constexpr Duration kTickInterval = std::chrono::milliseconds(10);
inline constexpr Duration kAttemptTimeout = std::chrono::milliseconds(300);
inline constexpr Duration kOpDeadline = std::chrono::milliseconds(2500);
inline constexpr Duration kSettleAfterHeal = std::chrono::milliseconds(1500);
// How long a transport takes to give up on a snapshot it could not deliver.
inline constexpr Duration kSnapshotTransferTimeout = std::chrono::milliseconds(50);
// An install_snapshot delivery event whose sender waits for the transport's
// report (Event::attempt); Event::incarnation then holds the sender's.
inline constexpr std::uint32_t kReportSnapshotToSender = 1;

}  // namespace faultline::sim::detail
