// run_simulation(): one deterministic simulator run — a Raft cluster, a
// faulty network, crashing nodes and clients, on virtual time, from a seed.
//
// What it is: the world of issue 3's simulator. N real raft::Raft cores are
// driven by a driver that follows the Ready contract (docs/raft.md) with
// persists that take virtual time, snapshots and compacts every
// SimOptions::snapshot_interval applied entries, installs the snapshots its
// leader sends and reports each one it sends; an operator changes the
// membership and leaders hand over (fault kinds membership and transfer);
// a network delays, drops, duplicates,
// reorders and partitions their messages; K clients put / get / cas on a few
// keys through whoever they believe leads, with timeouts and jittered
// backoff (resilience::Backoff), and their history is recorded as Jepsen
// events. After every event the SafetyMonitor checks election safety, log
// matching, leader completeness and state machine safety; after the faults
// heal, liveness (a leader, every op completes); at the end the
// linearizability checker (faultline::check) judges the history. The first
// violation stops the run. See docs/sim.md.
//
// When to use it: tests and `faultline sim`. Same (seed, options) → same
// run, event for event: SimResult::hash covers every event processed.
//
//   SimResult result = run_simulation(42, SimOptions{});
//   if (!result.ok) std::cerr << result.report << "\nreplay: " << result.replay << '\n';
//
// Thread-safety: a pure function of its arguments (each call owns its world;
// runs may proceed on many threads at once). `log` is written from the
// calling thread only.
#pragma once

#include <chrono>
#include <cstdint>
#include <iosfwd>
#include <string>

#include "faultline/check/history.hpp"
#include "faultline/core/clock.hpp"
#include "faultline/sim/observer.hpp"
#include "faultline/sim/options.hpp"

namespace faultline::sim {

struct SimStats {
  std::uint64_t events = 0;
  std::uint64_t messages_sent = 0;
  std::uint64_t messages_delivered = 0;
  std::uint64_t messages_dropped_by_loss = 0;
  std::uint64_t messages_dropped_by_partition = 0;
  std::uint64_t messages_duplicated = 0;
  std::uint64_t messages_reordered = 0;  // delivered before one sent earlier on its link
  std::uint64_t persists = 0;
  std::uint64_t elections = 0;           // distinct (term, leader) pairs
  std::uint64_t crashes = 0;
  std::uint64_t restarts = 0;
  std::uint64_t lost_unpersisted_readies = 0;  // crashes that landed during a persist
  std::uint64_t churn_episodes = 0;
  std::uint64_t churn_cuts = 0;  // leaders cut off within a round trip of appending or applying
  std::uint64_t loss_episodes = 0;
  std::uint64_t duplicate_episodes = 0;
  std::uint64_t reorder_episodes = 0;
  std::uint64_t partitions_symmetric = 0;
  std::uint64_t partitions_asymmetric = 0;
  std::uint64_t partitions_bridge = 0;
  std::uint64_t partitions_leader_minority = 0;
  std::uint64_t leader_isolations = 0;  // scripted (SimOptions::isolate_leader) that found a leader
  std::uint64_t snapshots_taken = 0;       // by state machines, each followed by a compaction
  std::uint64_t snapshots_sent = 0;        // install_snapshot messages
  std::uint64_t snapshots_installed = 0;   // received, persisted and loaded
  std::uint64_t snapshot_transfers_failed = 0;  // reported to their leader as failed
  std::uint64_t membership_changes = 0;    // proposals a leader accepted from the operator
  std::uint64_t leader_removals = 0;       // of those, ones removing that leader
  std::uint64_t leadership_transfers = 0;  // transfers a leader accepted
  std::uint64_t ops_invoked = 0;
  std::uint64_t ops_ok = 0;
  std::uint64_t ops_fail = 0;
  std::uint64_t ops_info = 0;
  std::uint64_t client_retries = 0;
  Duration simulated{0};
  std::chrono::nanoseconds real{0};

  [[nodiscard]] std::uint64_t partitions() const noexcept {
    return partitions_symmetric + partitions_asymmetric + partitions_bridge +
           partitions_leader_minority + leader_isolations;
  }
  [[nodiscard]] std::uint64_t faults_injected() const noexcept {
    return crashes + churn_episodes + loss_episodes + duplicate_episodes + reorder_episodes + partitions() +
           membership_changes + leadership_transfers;
  }
  // Adds every counter and duration (totals over seeds).
  SimStats& operator+=(const SimStats& other) noexcept;
};

struct SimResult {
  bool ok = true;
  // On a violation: what broke, where and when (virtual time), plus for a
  // non-linearizable history the checker's minimal failing slice.
  std::string report;
  // `faultline sim ...` that replays this run with its event log.
  std::string replay;
  std::uint64_t hash = 0;  // over every event, in order
  SimStats stats;
  check::History history;  // the clients' Jepsen history
};

// Precondition: options.validate() is ok. `log`, when set, receives one
// readable line per event (time, node, what happened); `observer`, when
// set, the changes of each node's role, term, leader and commit index, and
// the scripted isolations (observer.hpp). Neither changes the run.
[[nodiscard]] SimResult run_simulation(std::uint64_t seed, const SimOptions& options,
                                       std::ostream* log = nullptr,
                                       SimObserver* observer = nullptr);

}  // namespace faultline::sim
