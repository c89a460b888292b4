// A tiny in-test network for Raft scenario tests: a map of cores, a FIFO of
// messages delivered by hand, and a driver that persists each Ready into a
// MemoryStorage exactly as the Ready contract says.
//
// It also checks the cluster-wide safety properties a single core cannot see:
// one leader per term, and state machine safety (no two nodes apply different
// entries at one index; each node applies in log order, a snapshot's state
// first). Tests read the recorded violation.
//
// Snapshots: compact() plays the application (snapshot at an applied index,
// then drop the entries); a node's "state machine" records what it loaded
// and applied, in order, in apply_log(). A snapshot's data names the entries
// it holds, so a node that loads it is checked for state machine safety as
// if it had applied them. Like a runtime, the harness reports to the sender
// whether each install_snapshot was delivered or lost (report_snapshot).
#pragma once

#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "faultline/raft/conf_change.hpp"
#include "faultline/raft/conf_changer.hpp"
#include "faultline/raft/raft.hpp"

namespace faultline::raft::testing {

inline Config make_config(NodeId id, std::vector<NodeId> voters) {
  Config config;
  config.id = id;
  config.voters = std::move(voters);
  config.election_ticks = 10;
  config.heartbeat_ticks = 1;
  return config;
}

// Entries with the given terms at indexes 1..n.
inline std::vector<Entry> entries_with_terms(const std::vector<Term>& terms) {
  std::vector<Entry> entries;
  for (std::size_t i = 0; i < terms.size(); ++i) {
    std::string data = "e";
    data += std::to_string(i + 1);
    entries.push_back(Entry{terms[i], i + 1, EntryType::normal, to_bytes(data)});
  }
  return entries;
}

class Cluster {
 public:
  using ConfigTweak = std::function<void(Config&)>;

  explicit Cluster(std::vector<NodeId> ids, ConfigTweak tweak = {}, std::uint64_t seed = 1)
      : ids_(std::move(ids)), tweak_(std::move(tweak)), seed_(seed) {
    for (NodeId id : ids_) start(id);
  }

  // Replaces a node's durable log and term, then restarts it from them
  // (the paper's figures start from such prepared logs).
  void preload(NodeId id, const std::vector<Term>& terms, Term current_term) {
    Node& node = nodes_.at(id);
    node.storage = MemoryStorage();
    node.storage.append(entries_with_terms(terms));
    node.storage.set_hard_state(HardState{current_term, kNoNode, 0});
    start(id);
  }

  Raft& raft(NodeId id) { return *nodes_.at(id).raft; }
  MemoryStorage& storage(NodeId id) { return nodes_.at(id).storage; }
  const std::map<Index, Entry>& applied(NodeId id) { return nodes_.at(id).applied; }
  const std::vector<ReadState>& read_states(NodeId id) { return nodes_.at(id).read_states; }
  // "snapshot 6" when a snapshot was loaded, "entry 7" when an entry was applied.
  const std::vector<std::string>& apply_log(NodeId id) { return nodes_.at(id).apply_log; }
  Index applied_index(NodeId id) { return nodes_.at(id).applied_index; }

  // The application's compaction: a snapshot of what `id` applied up to
  // `index`, then the covered entries dropped from its storage.
  Status compact(NodeId id, Index index) {
    Node& node = nodes_.at(id);
    if (index > node.applied_index) return Status::failed_precondition("not applied yet");
    // The membership as of `index` (the one in effect now may be newer).
    ConfState conf_state = node.raft->conf_state();
    if (auto at = node.conf_history.upper_bound(index); at != node.conf_history.begin()) {
      conf_state = std::prev(at)->second;
    }
    std::string data = "state@";
    data += std::to_string(index) + "#" + std::to_string(snapshot_states_.size());
    Status created = node.storage.create_snapshot(index, std::move(conf_state), to_bytes(data));
    if (!created.ok()) return created;
    std::map<Index, Entry>& state = snapshot_states_[data];
    for (const auto& [applied_index, entry] : node.applied) {
      if (applied_index <= index) state.emplace(applied_index, entry);
    }
    return node.storage.compact(index);
  }
  std::deque<Message>& network() { return network_; }
  const std::vector<Message>& history() const { return history_; }
  const std::string& violation() const { return violation_; }

  // Persists everything the node has pending, queues its messages, applies.
  void persist(NodeId id) {
    Node& node = nodes_.at(id);
    for (int round = 0; round < 100 && node.raft->has_ready(); ++round) {
      Ready ready = node.raft->ready();
      if (ready.snapshot) {
        EXPECT_TRUE(node.storage.apply_snapshot(*ready.snapshot).ok());
      }
      node.storage.append(ready.entries);
      if (ready.hard_state) node.storage.set_hard_state(*ready.hard_state);
      for (const Message& m : ready.messages) enqueue(m);
      for (const Message& m : ready.messages_after_persist) enqueue(m);
      if (ready.snapshot) load_snapshot(id, *ready.snapshot);
      for (const Entry& entry : ready.committed_entries) apply(id, entry);
      for (const ReadState& read : ready.read_states) node.read_states.push_back(read);
      node.raft->advance(ready);
      record_leader(id);
    }
  }
  void persist_all() {
    for (const auto& [id, node] : nodes_) {
      if (!down_.contains(id)) persist(id);
    }
  }
  // Every live node, in id order (bootstrap voters and nodes added later).
  std::vector<NodeId> live_nodes() const {
    std::vector<NodeId> ids;
    for (const auto& [id, node] : nodes_) {
      if (!down_.contains(id)) ids.push_back(id);
    }
    return ids;
  }
  // Ticks every live node once and delivers everything, `rounds` times.
  void tick_all(int rounds = 1) {
    for (int i = 0; i < rounds; ++i) {
      for (NodeId id : live_nodes()) tick(id);
      deliver_all();
    }
  }
  // The live leader with the highest term, or kNoNode.
  NodeId leader() {
    NodeId found = kNoNode;
    for (NodeId id : live_nodes()) {
      if (raft(id).role() == Role::leader && (found == kNoNode || raft(id).term() > raft(found).term())) {
        found = id;
      }
    }
    return found;
  }

  void tick(NodeId id, int times = 1) {
    for (int i = 0; i < times; ++i) {
      raft(id).tick();
      persist(id);
    }
  }
  // Ticks `id` until it starts campaigning (or leads, for a single node).
  void tick_until_campaign(NodeId id) {
    for (int i = 0; i < 100 && raft(id).role() == Role::follower; ++i) tick(id);
  }
  // Makes `id` campaign and delivers everything; returns the resulting role.
  Role elect(NodeId id) {
    tick_until_campaign(id);
    deliver_all();
    return raft(id).role();
  }

  // Delivers the oldest message; dropped if either end is down or cut off.
  bool deliver_one() {
    if (network_.empty()) return false;
    Message message = std::move(network_.front());
    network_.pop_front();
    if (dropped(message)) {
      const bool sender_up = !down_.contains(message.from);
      if (message.type == MessageType::install_snapshot && sender_up) {
        raft(message.from).report_snapshot(message.to, /*ok=*/false);
        persist(message.from);
      }
      return true;
    }
    EXPECT_TRUE(raft(message.to).step(message).ok());
    persist(message.to);
    if (message.type == MessageType::install_snapshot) {
      // The transfer finished: the runtime tells the sender (the follower's
      // ack may still be lost; this report is what unpauses it then).
      raft(message.from).report_snapshot(message.to, /*ok=*/true);
      persist(message.from);
    }
    return true;
  }
  int deliver_all(int limit = 100000) {
    int delivered = 0;
    while (delivered < limit && deliver_one()) ++delivered;
    return delivered;
  }
  // Delivers one message at a time until done() holds; returns done().
  template <class Done>
  bool deliver_until(Done done, int limit = 100000) {
    for (int i = 0; i < limit; ++i) {
      if (done()) return true;
      if (!deliver_one()) break;
    }
    return done();
  }
  void drop_all() { network_.clear(); }
  // Loses the oldest message in flight; a lost snapshot is reported to its
  // sender, as a runtime whose transfer failed would.
  void lose_one() {
    if (network_.empty()) return;
    const Message message = std::move(network_.front());
    network_.pop_front();
    if (message.type == MessageType::install_snapshot && !down_.contains(message.from)) {
      raft(message.from).report_snapshot(message.to, /*ok=*/false);
      persist(message.from);
    }
  }
  // Campaigns `id` repeatedly (ticking only it) until it leads or gives up.
  bool elect_with_retries(NodeId id, int attempts = 10) {
    for (int i = 0; i < attempts && raft(id).role() != Role::leader; ++i) {
      tick_until_campaign(id);
      deliver_all();
      if (raft(id).role() != Role::leader) tick(id, 2 * raft(id).config().election_ticks);
    }
    return raft(id).role() == Role::leader;
  }

  // Cuts every link of `id` (both directions) until heal().
  void isolate(NodeId id) { isolated_.insert(id); }
  // Cuts one link, both directions.
  void cut(NodeId a, NodeId b) { cut_links_.insert({std::min(a, b), std::max(a, b)}); }
  void heal() {
    isolated_.clear();
    cut_links_.clear();
  }
  // A crashed node keeps only its storage; messages to it are lost.
  void crash(NodeId id) { down_.insert(id); }
  // Restarts from storage; `applied` is what the application's state machine
  // says it already applied (Config::applied).
  void restart(NodeId id, Index applied = 0) {
    down_.erase(id);
    start(id, applied);
  }
  // Starts a node that is not among the bootstrap voters: it knows the
  // cluster's bootstrap configuration and learns the rest from the log.
  void add_node(NodeId id) { start(id); }

 private:
  struct Node {
    MemoryStorage storage;
    std::unique_ptr<Raft> raft;
    std::map<Index, Entry> applied;
    std::vector<ReadState> read_states;
    std::vector<std::string> apply_log;
    Index applied_index = 0;
    // The configuration in effect from each index on (a change takes effect
    // at its entry), so compact() can name the one as of its index.
    std::map<Index, ConfState> conf_history;
  };

  void start(NodeId id, Index applied = 0) {
    Node& node = nodes_[id];
    Config config = make_config(id, ids_);
    config.applied = applied;
    if (tweak_) tweak_(config);
    node.raft = std::make_unique<Raft>(config, node.storage, Random(seed_ * 1000 + id));
    // A restarted state machine keeps what it applied up to `applied` (the
    // promise Config::applied makes), or else starts from the stored
    // snapshot, if any.
    std::erase_if(node.applied, [&](const auto& kept) { return kept.first > applied; });
    node.apply_log.clear();
    node.applied_index = applied;
    Result<Snapshot> snapshot = node.storage.snapshot();
    if (snapshot.ok() && !snapshot->empty() && snapshot->metadata.index > applied) {
      load_snapshot(id, *snapshot);
    }
    // Restart replayed the changes the state machine applied.
    node.conf_history.clear();
    node.conf_history[node.raft->log().applied()] = node.raft->conf_state();
  }
  void load_snapshot(NodeId id, const Snapshot& snapshot) {
    Node& node = nodes_.at(id);
    node.apply_log.push_back("snapshot " + std::to_string(snapshot.metadata.index));
    node.applied_index = snapshot.metadata.index;
    node.conf_history.clear();
    node.conf_history[snapshot.metadata.index] = snapshot.metadata.conf_state;
    const auto state = snapshot_states_.find(std::string(as_string_view(snapshot.data)));
    if (state == snapshot_states_.end()) return;  // made by hand in a test
    for (const auto& [index, entry] : state->second) {
      node.applied[index] = entry;
      check_applied_anywhere(id, entry);
    }
  }
  void enqueue(const Message& message) {
    history_.push_back(message);
    network_.push_back(message);
  }
  bool dropped(const Message& message) const {
    if (!nodes_.contains(message.to)) return true;
    if (down_.contains(message.to) || down_.contains(message.from)) return true;
    if (isolated_.contains(message.to) || isolated_.contains(message.from)) return true;
    return cut_links_.contains({std::min(message.from, message.to), std::max(message.from, message.to)});
  }
  // State machine safety (paper §5.4.3): one entry per index, cluster-wide.
  void apply(NodeId id, const Entry& entry) {
    Node& node = nodes_.at(id);
    if (entry.index != node.applied_index + 1 && violation_.empty()) {
      violation_ = "apply order: node " + std::to_string(id) + " applied index " +
                   std::to_string(entry.index) + " after " + std::to_string(node.applied_index);
    }
    node.applied_index = entry.index;
    node.apply_log.push_back("entry " + std::to_string(entry.index));
    node.applied[entry.index] = entry;
    check_applied_anywhere(id, entry);
    if (entry.type == EntryType::config_change && !node.conf_history.empty()) {
      // The same rule the core applies: a change that does not decode or
      // apply is skipped.
      const Result<ConfChange> change = decode_conf_change(entry.data);
      if (!change.ok()) return;
      Result<ConfState> next = next_conf_state(std::prev(node.conf_history.end())->second, *change);
      if (next.ok()) node.conf_history[entry.index] = std::move(*next);
    }
  }
  void check_applied_anywhere(NodeId id, const Entry& entry) {
    const auto [it, inserted] = applied_anywhere_.emplace(entry.index, entry);
    if (!inserted && it->second != entry && violation_.empty()) {
      violation_ = "state machine safety: node " + std::to_string(id) + " applied term " +
                   std::to_string(entry.term) + " at index " + std::to_string(entry.index) +
                   ", another node applied term " + std::to_string(it->second.term);
    }
  }
  // Election safety (paper §5.2): at most one leader per term.
  void record_leader(NodeId id) {
    const Raft& node = raft(id);
    if (node.role() != Role::leader) return;
    const auto [it, inserted] = leaders_.emplace(node.term(), id);
    if (!inserted && it->second != id && violation_.empty()) {
      violation_ = "election safety: two leaders in term " + std::to_string(node.term());
    }
  }

  std::vector<NodeId> ids_;
  ConfigTweak tweak_;
  std::uint64_t seed_;
  std::map<NodeId, Node> nodes_;
  std::deque<Message> network_;
  std::vector<Message> history_;
  std::set<NodeId> isolated_;
  std::set<std::pair<NodeId, NodeId>> cut_links_;
  std::set<NodeId> down_;
  std::map<Index, Entry> applied_anywhere_;
  std::map<std::string, std::map<Index, Entry>> snapshot_states_;  // by snapshot data
  std::map<Term, NodeId> leaders_;
  std::string violation_;
};

// Tests that turn PreVote and CheckQuorum off to reproduce the paper's plain
// algorithm step by step.
inline void plain_raft(Config& config) {
  config.pre_vote = false;
  config.check_quorum = false;
}

}  // namespace faultline::raft::testing
