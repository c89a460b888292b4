// SimObserver: a window on a simulator run as it happens — each node's role,
// term, leader and commit index as they change, and the scripted isolations
// (options.hpp, LeaderIsolation) as they begin and end.
//
// When to use it: to tell the story of a run (the demo's consensus scene
// prints its timeline from these calls) or to assert on its course in a
// test. The log (`run_simulation(..., log)`) says everything, one line per
// event; an observer gets only the changes, as values.
//
//   struct Leaders : SimObserver {
//     void on_node_changed(Duration at, const NodeStatus& status) override { ... }
//   };
//   Leaders leaders;
//   SimResult result = run_simulation(seed, options, nullptr, &leaders);
//
// Thread-safety: called from the thread running the simulation, in virtual
// time order, between events: it sees values, never the world itself.
#pragma once

#include "faultline/core/clock.hpp"
#include "faultline/raft/types.hpp"

namespace faultline::sim {

// What a node believes, as its Raft core says after an event.
struct NodeStatus {
  raft::NodeId node = raft::kNoNode;
  raft::Role role = raft::Role::follower;
  raft::Term term = 0;
  raft::NodeId leader = raft::kNoNode;  // whom it follows (itself when it leads)
  raft::Index commit = 0;
  raft::Index last_index = 0;
};

class SimObserver {
 public:
  virtual ~SimObserver() = default;

  // After an event changed a node's role, term, leader or commit index (a
  // new last index alone is not a change); also after a node's first event
  // once it starts or restarts, whatever its state.
  virtual void on_node_changed(Duration /*at*/, const NodeStatus& /*status*/) {}
  // A scripted isolation began: `node` (the leader at that moment) can no
  // longer reach any other node, nor they it.
  virtual void on_leader_isolated(Duration /*at*/, raft::NodeId /*node*/) {}
  // A scripted isolation ended: every partition healed.
  virtual void on_partition_healed(Duration /*at*/) {}
};

}  // namespace faultline::sim
