// Raft: the pure consensus core of one node — no I/O, no threads, no clock.
//
// What it is: the Raft state machine (Ongaro & Ousterhout 2014; Ongaro's
// dissertation 2014) as a deterministic object. The driver feeds it inputs
// — tick() at a fixed interval, step() for each message received, propose()
// and read_index() for clients — and collects its outputs in a Ready (what
// to persist, send, apply, and which reads to answer), then calls advance().
// The same core runs under the deterministic simulator and in the real node;
// only the driver differs.
//
// When to use it: to build a replicated service. Wrap it in a driver loop
// (ready.hpp shows the loop and the order that keeps it safe).
//
// Built: leader election with randomized timeouts (§5.2), PreVote (thesis
// §9.6), CheckQuorum (thesis §6.2), log replication with the consistency
// check and fast conflict backtracking (§5.3), pipelining bounded by an
// inflight window and batching (thesis §10.2), commitment only of
// current-term entries (§5.4.2), a no-op entry on election, ReadIndex reads
// (thesis §6.4) and optional lease reads under a clock-drift bound (§6.4.1),
// snapshots and log compaction with InstallSnapshot (thesis §5; the
// application compacts its Storage, the core sends and installs snapshots),
// membership change (thesis §4: single-server changes, joint consensus left
// automatically, learners, removing the leader; a configuration takes effect
// when its entry is applied, or when a snapshot carrying it is installed),
// and leadership transfer (thesis §3.10). What is not built yet is listed in
// docs/raft.md.
//
// Thread-safety: none, by contract. One thread owns a Raft object and calls
// every member; the object never calls out.
//
//   MemoryStorage storage;
//   Raft raft(Config{.id = 1, .voters = {1}}, storage, Random(seed));
//   while (raft.role() != Role::leader) raft.tick();
//   (void)raft.propose(to_bytes("put x 1"));
//   Ready ready = raft.ready();     // persist, send, apply ...
//   raft.advance(ready);
#pragma once

#include <cstddef>
#include <deque>
#include <map>
#include <optional>
#include <utility>
#include <vector>

#include "faultline/core/random.hpp"
#include "faultline/core/status.hpp"
#include "faultline/raft/conf_change.hpp"
#include "faultline/raft/conf_state.hpp"
#include "faultline/raft/config.hpp"
#include "faultline/raft/invariants.hpp"
#include "faultline/raft/message.hpp"
#include "faultline/raft/raft_log.hpp"
#include "faultline/raft/read_index_queue.hpp"
#include "faultline/raft/ready.hpp"
#include "faultline/raft/storage.hpp"
#include "faultline/raft/tracker.hpp"

namespace faultline::raft {

class Raft {
 public:
  // Restores term, vote and commit from storage.hard_state(). Preconditions:
  // config.validate() is ok; storage outlives the Raft and is written only by
  // the driver, as Ready says.
  Raft(Config config, Storage& storage, Random random);

  Raft(const Raft&) = delete;
  Raft& operator=(const Raft&) = delete;

  // One unit of logical time. Followers and candidates count toward an
  // election timeout (§5.2); a leader sends heartbeats and, with CheckQuorum,
  // steps down if a quorum stayed silent for an election timeout.
  void tick();

  // Feeds one received message. invalid_argument for a malformed message (not
  // addressed to us, from ourselves or node 0, an append whose entries are
  // not contiguous from index + 1 with non-decreasing terms, too many, of an
  // unknown type, or a config change that does not decode, an
  // install_snapshot that is empty or holds a malformed configuration, or an
  // append, heartbeat or install_snapshot claiming the leader's own term);
  // the core's state is then unchanged. A sender outside our configuration
  // is heard (our configuration may lag the log); a leader ignores replies
  // from non-members. Stale and duplicate messages are ok and ignored as the
  // protocol requires (a stale vote request is answered with our term).
  [[nodiscard]] Status step(const Message& message);

  // Leader only: appends a normal entry and replicates it. unavailable (reason
  // NOT_LEADER) elsewhere, TRANSFERRING_LEADERSHIP during a transfer,
  // LEADER_BEING_REMOVED while its own removal is pending (see
  // propose_conf_change); resource_exhausted (UNCOMMITTED_LIMIT) past
  // max_uncommitted_bytes. Ok means accepted, not committed: watch
  // committed_entries for it.
  [[nodiscard]] Status propose(Bytes data);
  // Appends all in one go (one persist, batched appends); all-or-nothing.
  [[nodiscard]] Status propose_batch(std::vector<Bytes> batch);

  // Leader only: a linearizable read (thesis §6.4). When answered, a
  // ReadState{index, context} appears in a Ready; serve the read once the
  // state machine applied index. The round starts only after the leader has
  // committed an entry of its own term (until then the request waits), and is
  // confirmed by a heartbeat round a quorum acknowledges — or, with
  // Config::lease_reads, answered at once while the leader holds its lease. Contexts must be
  // unique among pending reads (already_exists otherwise). Pending reads are
  // dropped if the leader steps down; the client retries.
  [[nodiscard]] Status read_index(Bytes context);

  // Leader only: what became of the install_snapshot sent to `id` (the
  // runtime ships it, maybe in chunks, and knows whether it arrived; call it
  // with false on a transport failure or timeout too). Until then appends to
  // `id` stay paused. ok: resume after the snapshot's index once the
  // follower acknowledges; !ok: back to probing, and a new snapshot goes out
  // at the next heartbeat reply. Ignored anywhere else (not leader, unknown
  // id, no snapshot pending).
  void report_snapshot(NodeId id, bool ok);

  // Leader only: proposes a membership change (thesis §4; conf_change.hpp).
  // It takes effect on every node when its entry is applied, i.e. in the
  // advance() of the Ready that hands it out as a committed entry; a joint
  // change is then left automatically (the leader proposes the empty change).
  // Refused with:
  // - unavailable NOT_LEADER off the leader, TRANSFERRING_LEADERSHIP during a
  //   transfer, OWN_TERM_NOT_COMMITTED until this leader committed an entry of
  //   its term (the fix of Ongaro's 2015 single-server change bug), and
  //   CONF_CHANGE_PENDING while an earlier change is not yet applied, and
  //   LEADER_BEING_REMOVED once a change that removes this leader is in its
  //   log (it then appends nothing more, so the quorum that commits its
  //   removal holds its whole log and can elect a successor);
  // - invalid_argument / failed_precondition (conf_changer.hpp) when the
  //   change does not apply to the current configuration.
  // Ok means accepted, not applied: watch conf_state().
  [[nodiscard]] Status propose_conf_change(const ConfChange& change);

  // Leader only: hands leadership to the voter `to` (thesis §3.10). The
  // leader refuses proposals (unavailable TRANSFERRING_LEADERSHIP) while it
  // brings `to` up to date and then sends it timeout_now; `to` campaigns at
  // once, skipping PreVote and the leader lease. If no new leader appears
  // within an election timeout the transfer is abandoned and the leader
  // serves again. invalid_argument for itself, a learner or a non-member;
  // unavailable NOT_LEADER off the leader. A second call names the new target.
  // Once timeout_now went out the leader serves no more lease reads in this
  // term (the target's voters set their lease aside for it).
  [[nodiscard]] Status transfer_leadership(NodeId to);
  // The voter a transfer in progress hands leadership to, or kNoNode.
  [[nodiscard]] NodeId transfer_target() const noexcept { return transfer_target_; }

  // Whether ready() has anything. Call after advance().
  [[nodiscard]] bool has_ready() const;
  // Takes the pending work. Precondition: the previous Ready was advanced.
  [[nodiscard]] Ready ready();
  // The driver persisted, sent and applied `ready` as its contract says.
  void advance(const Ready& ready);

  [[nodiscard]] NodeId id() const noexcept { return config_.id; }
  [[nodiscard]] Role role() const noexcept { return role_; }
  [[nodiscard]] Term term() const noexcept { return term_; }
  [[nodiscard]] NodeId vote() const noexcept { return vote_; }
  [[nodiscard]] NodeId leader() const noexcept { return leader_; }
  [[nodiscard]] HardState hard_state() const noexcept { return {term_, vote_, log_.committed()}; }
  [[nodiscard]] SoftState soft_state() const noexcept { return {leader_, role_}; }
  [[nodiscard]] const RaftLog& log() const noexcept { return log_; }
  [[nodiscard]] const ProgressTracker& tracker() const noexcept { return tracker_; }
  // The configuration in effect: the last one applied (or restored).
  [[nodiscard]] ConfState conf_state() const { return tracker_.conf_state(); }
  [[nodiscard]] const Config& config() const noexcept { return config_; }
  [[nodiscard]] int randomized_election_ticks() const noexcept { return randomized_election_ticks_; }
  // Whether read_index() would answer at once (lease_reads on, and a quorum
  // acknowledged a heartbeat sent within the lease; see lease_read.cpp).
  [[nodiscard]] bool holds_read_lease() const;
  [[nodiscard]] std::size_t pending_read_count() const noexcept {
    return read_index_queue_.size() + reads_waiting_for_own_term_commit_.size();
  }

 private:
  // raft.cpp: roles and transitions (paper figure 4).
  void reset(Term term);
  void reset_randomized_election_timeout();
  void become_follower(Term term, NodeId leader);
  void become_pre_candidate();
  void become_candidate();
  void become_leader();
  void send(Message message);
  // Invariant checks around each input (invariants.hpp). A snapshot keeps
  // the log version it was taken at: while the log is unchanged its term
  // lookups still hold, so an input that does not touch the log (a tick, a
  // vote, a heartbeat reply) costs a few comparisons.
  struct CheckedState {
    InvariantSnapshot state;
    std::uint64_t log_version = 0;
  };
  // The state now; term lookups reused from `known` where the log and the
  // index are unchanged since it.
  [[nodiscard]] CheckedState capture(const CheckedState* known) const;
  // Before an input: the state, reusing the last check's lookups.
  [[nodiscard]] CheckedState capture_before_input() const { return capture(&checked_); }
  // After an input: checks the state and the change since `before`.
  void check_invariants(const CheckedState& before);

  // election.cpp: §5.2, PreVote §9.6, CheckQuorum §6.2.
  void tick_election();
  void tick_heartbeat();
  void campaign(bool pre_vote, bool leader_transfer = false);
  [[nodiscard]] bool request_votes(bool pre_vote, bool leader_transfer);
  [[nodiscard]] bool in_leader_lease() const noexcept;
  void handle_vote_request(const Message& message);
  void handle_vote_response(const Message& message);

  // step.cpp: message validation, the term rules, dispatch by role.
  [[nodiscard]] Status validate_message(const Message& message) const;
  [[nodiscard]] Status validate_snapshot_message(const Message& message) const;
  [[nodiscard]] bool step_term(const Message& message);
  void step_follower(const Message& message);
  void step_candidate(const Message& message);
  void step_leader(const Message& message);

  // replication.cpp: §5.3, pipelining and batching §10.2, commitment §5.4.2.
  void append_leader_entries(std::vector<Entry> entries);
  [[nodiscard]] bool send_append(NodeId to, bool send_if_empty);
  void send_appends_while_window_open(NodeId to, bool send_if_empty);
  void broadcast_append(bool send_if_empty);
  void send_heartbeat(NodeId to, const Bytes& context);
  void broadcast_heartbeat(const Bytes& context);
  void handle_append(const Message& message);
  void handle_append_response(const Message& message);
  void handle_heartbeat(const Message& message);
  void handle_heartbeat_response(const Message& message);
  bool maybe_commit();
  void update_own_match();

  // snapshot.cpp: log compaction and InstallSnapshot (thesis §5).
  [[nodiscard]] bool send_snapshot(NodeId to);
  void handle_install_snapshot(const Message& message);

  // membership.cpp: configuration changes, thesis §4.
  // The configuration a node starts with: `bootstrap` (Config::voters, or a
  // snapshot's ConfState) followed by every config-change entry in
  // [first, through] of the log, which the application already applied.
  [[nodiscard]] ConfState replay_conf_changes(ConfState bootstrap, Index first, Index through) const;
  // The one way a configuration takes effect: restart (from Config::voters or
  // the stored snapshot, plus the changes applied after it), an applied
  // config-change entry, and an installed snapshot's ConfState all install it
  // here, so the tracker, the learners, a transfer in progress and a leader
  // no longer among the voters (it steps down, thesis §4.2.2) stay consistent.
  void restore_conf_state(const ConfState& state);
  void apply_conf_change_entry(const Entry& entry);
  void append_conf_change(const ConfChange& change);
  void maybe_auto_leave_joint();

  // transfer.cpp: leadership transfer, thesis §3.10.
  void tick_transfer();
  void maybe_send_timeout_now(NodeId to);
  void abort_transfer() noexcept { transfer_target_ = kNoNode; }
  void handle_timeout_now();

  // read_index.cpp: ReadIndex §6.4.
  [[nodiscard]] bool committed_in_current_term() const;
  void start_read_rounds(std::vector<Bytes> contexts);
  void release_reads_waiting_for_own_term_commit();
  void handle_read_ack(NodeId from, const Bytes& context);

  // lease_read.cpp: lease-based reads (thesis §6.4.1).
  void record_lease_ack(NodeId from, std::uint64_t lease_tick);

  Config config_;
  Random random_;
  RaftLog log_;
  ProgressTracker tracker_;

  // Persistent (figure 2). Invariants: term_ never decreases; vote_ changes
  // at most once per term.
  Term term_ = 0;
  NodeId vote_ = kNoNode;
  // Volatile. Invariant: leader_ == id() iff role_ == leader.
  Role role_ = Role::follower;
  NodeId leader_ = kNoNode;

  // Ticks since the last reset; followers reset on hearing the leader,
  // leaders every election timeout (CheckQuorum).
  int election_elapsed_ = 0;
  int heartbeat_elapsed_ = 0;
  int randomized_election_ticks_ = 0;  // in [election_ticks, 2 * election_ticks)
  // Leader: a clock of its own ticks (never reset, so echoed values from
  // earlier in the term stay comparable), and per voter the newest clock
  // value of a heartbeat it acknowledged in this term.
  std::uint64_t lease_clock_ticks_ = 0;
  std::map<NodeId, std::uint64_t> lease_acks_;
  // Leader: timeout_now went out this term. The target's voters grant it
  // their vote despite their leader lease, so our lease promises nothing more.
  bool lease_forfeited_ = false;
  // A node restarted (term > 0) in a lease-reads cluster refuses votes for
  // its first election timeout (see in_leader_lease()).
  bool restarted_with_lease_reads_ = false;
  int ticks_since_start_ = 0;  // saturates at election_ticks

  // Leader: proposals not yet committed, (index, bytes), for the
  // max_uncommitted_bytes bound.
  std::deque<std::pair<Index, std::size_t>> uncommitted_proposals_;
  std::size_t uncommitted_bytes_ = 0;

  // Leader: the index of the last config-change entry it may have appended
  // (on election: its last index, conservatively). Another change waits until
  // it is applied: one change at a time (thesis §4.1).
  Index pending_conf_index_ = 0;
  // Leader: a config change in its log (applied or not) leaves it out of the
  // incoming voters. It then appends nothing more, so that when the change
  // commits a quorum holds its whole log and can elect a successor without
  // it (docs/raft.md, "Removing the leader").
  bool removing_self_ = false;
  // Leader: the voter a leadership transfer targets, and ticks since it began.
  NodeId transfer_target_ = kNoNode;
  int transfer_elapsed_ = 0;

  ReadIndexQueue read_index_queue_;
  std::vector<Bytes> reads_waiting_for_own_term_commit_;
  std::vector<ReadState> read_states_;

  std::vector<Message> messages_;
  std::vector<Message> messages_after_persist_;
  HardState handed_hard_state_;  // the last hard state given out (or restored)
  SoftState handed_soft_state_;
  bool ready_outstanding_ = false;
  CheckedState checked_{};  // as the last invariant check saw it
};

}  // namespace faultline::raft
