// SafetyMonitor: Raft's cluster-wide safety properties (paper figure 3),
// checked by the simulator after every event.
//
// A single core can only check itself (raft/invariants.hpp); these need
// every node's view and the whole run's memory, across crashes:
//   - election safety: at most one leader per term, ever;
//   - leader completeness: a leader's log, when it is first seen leading,
//     holds every entry committed before (every entry any node applied);
//   - state machine safety: every node applies the same entry at an index;
//   - log matching: two logs with an entry of the same index and term hold
//     the same entry there and agree on the term before it (checked on
//     every persisted entry against every other node's disk, which by
//     induction gives identical prefixes).
// Snapshots: a snapshot (taken or installed) stands for the entries it
// covers; observe_snapshot checks that its last entry is the one applied at
// its index, and the caller compares its data with the state every node
// reached there (the simulator replays applied_entries()). Entries compacted
// away are no longer compared by leader completeness or log matching: the
// snapshot check covers them.
// Each check returns ok or an internal error whose message is the report.
//
//   SafetyMonitor monitor;
//   if (Status s = monitor.observe_leader(id, term, raft.log()); !s.ok()) stop(s);
//
// Thread-safety: none; the simulation's one thread owns it.
#pragma once

#include <cstdint>
#include <map>
#include <span>
#include <vector>

#include "faultline/core/status.hpp"
#include "faultline/raft/raft_log.hpp"
#include "faultline/raft/storage.hpp"

namespace faultline::sim {

class SafetyMonitor {
 public:
  // A node seen as leader of term. Election safety and leader completeness.
  [[nodiscard]] Status observe_leader(raft::NodeId node, raft::Term term, const raft::RaftLog& log);
  // A node applied entry. State machine safety.
  [[nodiscard]] Status observe_applied(raft::NodeId node, const raft::Entry& entry);
  // A node persisted entries; disks[i] is node i+1's storage. Log matching.
  [[nodiscard]] Status observe_persisted(raft::NodeId node, std::span<const raft::Entry> entries,
                                         std::span<const raft::MemoryStorage* const> disks) const;

  // A node took or installed a snapshot ending at (index, term): state
  // machine safety for the entries it covers (index and term identify them,
  // by log matching). The snapshot's data is the caller's to compare.
  [[nodiscard]] Status observe_snapshot(raft::NodeId node, raft::Index index,
                                        raft::Term term) const;

  // Distinct (term, leader) pairs seen: the elections won.
  [[nodiscard]] std::uint64_t elections() const noexcept { return leaders_.size(); }
  [[nodiscard]] raft::Index highest_applied_index() const noexcept { return applied_.size(); }
  // The entry applied at each index, [0] for index 1.
  [[nodiscard]] const std::vector<raft::Entry>& applied_entries() const noexcept {
    return applied_;
  }

 private:
  std::map<raft::Term, raft::NodeId> leaders_;
  std::vector<raft::Entry> applied_;  // applied_[i - 1]: the entry applied at index i
};

}  // namespace faultline::sim
