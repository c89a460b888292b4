// Config: one Raft node's identity, cluster, timing (in ticks) and limits.
//
// Time inside the core is ticks: the driver calls Raft::tick() at a fixed
// interval (say every 10 ms) and every timeout below counts ticks. Every
// queue and batch has a limit here.
//
//   Config config{.id = 1, .voters = {1, 2, 3}};
//   config.election_ticks = 10;   // election timeout drawn from [10, 20)
//   if (Status s = config.validate(); !s.ok()) ...
//
// Limits a node enforces on messages it receives (max_entries_per_message)
// must be the same on every node of a cluster.
//
// Thread-safety: a plain value.
#pragma once

#include <cstddef>
#include <vector>

#include "faultline/core/status.hpp"
#include "faultline/raft/test_knobs.hpp"
#include "faultline/raft/types.hpp"

namespace faultline::raft {

struct Config {
  NodeId id = kNoNode;
  // The voters the cluster was bootstrapped with. Every node, including one
  // added later by a membership change, is given the same list: its
  // configuration is this plus the config-change entries it applies (or, once
  // snapshots exist, a snapshot's ConfState plus the changes after it).
  std::vector<NodeId> voters;
  // The index the application's state machine already applied (on restart).
  Index applied = 0;

  // Paper §5.2: a follower that hears no leader for a randomized timeout in
  // [election_ticks, 2 * election_ticks) campaigns. Must exceed heartbeat_ticks.
  int election_ticks = 10;
  int heartbeat_ticks = 1;
  // Thesis §9.6: campaign first without raising the term, so a node that
  // cannot win (partitioned, stale log) never disrupts the cluster.
  bool pre_vote = true;
  // Thesis §6.2: a leader that has not heard from a quorum within an election
  // timeout steps down; followers that heard a leader within the election
  // timeout ignore vote requests (thesis §4.2.3).
  bool check_quorum = true;
  // Lease reads (thesis §6.4.1): a leader that heard a quorum acknowledge a
  // heartbeat sent less than election_ticks - clock_drift_bound_ticks ago
  // answers read_index() at once, without a heartbeat round. Safe only if no
  // node's clock gains more than clock_drift_bound_ticks on the leader's
  // over an election timeout (one tick of that is the phase between two
  // nodes' ticks). Requires check_quorum (followers then refuse to elect
  // anyone else while they hear the leader).
  bool lease_reads = false;
  int clock_drift_bound_ticks = 2;

  // Batching: the most entries and about the most bytes in one append.
  std::size_t max_entries_per_message = 64;
  std::size_t max_bytes_per_message = 1u << 20;
  // Pipelining: appends in flight per follower, by count and by bytes.
  std::size_t max_inflight_messages = 64;
  std::size_t max_inflight_bytes = 8u << 20;
  // Proposals the leader holds uncommitted before refusing more.
  std::size_t max_uncommitted_bytes = 64u << 20;
  // Committed entries handed to the application in one Ready.
  std::size_t max_committed_bytes_per_ready = 8u << 20;
  // ReadIndex requests waiting (for an own-term commit or a heartbeat round).
  std::size_t max_pending_reads = 4096;

  RaftTestKnobs test_knobs;

  [[nodiscard]] Status validate() const;
};

}  // namespace faultline::raft
