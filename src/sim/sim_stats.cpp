#include "faultline/sim/simulation.hpp"

namespace faultline::sim {

// Every field, by name: the size check below fails when a counter is added
// to SimStats and not here.
static_assert(sizeof(SimStats) == 36 * 8, "a SimStats field is missing from operator+=");

SimStats& SimStats::operator+=(const SimStats& other) noexcept {
  events += other.events;
  messages_sent += other.messages_sent;
  messages_delivered += other.messages_delivered;
  messages_dropped_by_loss += other.messages_dropped_by_loss;
  messages_dropped_by_partition += other.messages_dropped_by_partition;
  messages_duplicated += other.messages_duplicated;
  messages_reordered += other.messages_reordered;
  persists += other.persists;
  elections += other.elections;
  crashes += other.crashes;
  restarts += other.restarts;
  lost_unpersisted_readies += other.lost_unpersisted_readies;
  churn_episodes += other.churn_episodes;
  churn_cuts += other.churn_cuts;
  loss_episodes += other.loss_episodes;
  duplicate_episodes += other.duplicate_episodes;
  reorder_episodes += other.reorder_episodes;
  partitions_symmetric += other.partitions_symmetric;
  partitions_asymmetric += other.partitions_asymmetric;
  partitions_bridge += other.partitions_bridge;
  partitions_leader_minority += other.partitions_leader_minority;
  leader_isolations += other.leader_isolations;
  snapshots_taken += other.snapshots_taken;
  snapshots_sent += other.snapshots_sent;
  snapshots_installed += other.snapshots_installed;
  snapshot_transfers_failed += other.snapshot_transfers_failed;
  membership_changes += other.membership_changes;
  leader_removals += other.leader_removals;
  leadership_transfers += other.leadership_transfers;
  ops_invoked += other.ops_invoked;
  ops_ok += other.ops_ok;
  ops_fail += other.ops_fail;
  ops_info += other.ops_info;
  client_retries += other.client_retries;
  simulated += other.simulated;
  real += other.real;
  return *this;
}

}  // namespace faultline::sim
