// Fault injection: what each episode of the schedule does when it begins
// and ends, drawn from the run's Random at that moment (fault_schedule.hpp
// decides only when).
#include <algorithm>

#include "world.hpp"

namespace faultline::sim::detail {

using namespace std::chrono_literals;

void World::begin_fault(std::size_t index) {
  const FaultEpisode& episode = episodes_[index];
  switch (episode.kind) {
    case FaultKind::loss: {
      const double p = 0.05 + 0.25 * random_.uniform_unit();
      network_.set_loss_probability(p);
      ++stats_.loss_episodes;
      if (log_) line(raft::kNoNode) << "fault: loss " << static_cast<int>(p * 100) << "%\n";
      break;
    }
    case FaultKind::duplicate: {
      const double p = 0.05 + 0.25 * random_.uniform_unit();
      network_.set_duplicate_probability(p);
      ++stats_.duplicate_episodes;
      if (log_) line(raft::kNoNode) << "fault: duplicate " << static_cast<int>(p * 100) << "%\n";
      break;
    }
    case FaultKind::reorder: {
      const Duration jitter = random_.uniform_duration(5ms, 40ms);
      network_.set_extra_jitter(jitter);
      ++stats_.reorder_episodes;
      if (log_) line(raft::kNoNode) << "fault: reorder, extra jitter " << jitter.count() / 1000 << "us\n";
      break;
    }
    case FaultKind::partition:
      partition();
      break;
    case FaultKind::crash: {
      // A third of the time, the leader right after it next applies; else
      // the leader now half the time: that is where unpersisted state matters.
      if (random_.uniform(3) == 0) {
        crash_leader_after_apply_ = index;
        break;
      }
      raft::NodeId victim = current_leader();
      if (victim == raft::kNoNode || random_.bernoulli(0.5)) {
        victim = random_.uniform(nodes_.size()) + 1;
      }
      if (!nodes_[victim - 1].raft) break;
      crashed_by_episode_[index] = victim;
      crash_node(victim);
      break;
    }
    case FaultKind::membership:
      begin_membership_change();
      break;
    case FaultKind::transfer:
      begin_transfer();
      break;
    case FaultKind::churn:
      churn_active_ = true;
      ++stats_.churn_episodes;
      if (log_) line(raft::kNoNode) << "fault: leader churn\n";
      break;
  }
}

void World::end_fault(std::size_t index) {
  switch (episodes_[index].kind) {
    case FaultKind::loss: network_.set_loss_probability(0); break;
    case FaultKind::duplicate: network_.set_duplicate_probability(0); break;
    case FaultKind::reorder: network_.set_extra_jitter(Duration::zero()); break;
    case FaultKind::partition:
      network_.heal_partitions();
      if (log_) line(raft::kNoNode) << "fault: partition healed\n";
      break;
    case FaultKind::crash: {
      if (crash_leader_after_apply_ == index) crash_leader_after_apply_.reset();
      const raft::NodeId victim = crashed_by_episode_[index];
      if (victim != raft::kNoNode && !nodes_[victim - 1].raft) start_node(victim);
      break;
    }
    case FaultKind::membership:
      // The operator gives up on a change no leader accepted in time.
      if (operator_active_ && log_) line(raft::kNoNode) << "operator: gives up\n";
      operator_active_ = false;
      break;
    case FaultKind::transfer:
      break;  // a transfer ends by itself: a new leader, or abandoned after a timeout
    case FaultKind::churn:
      // A leader cut off comes back at its reconnect time (or the heal).
      churn_active_ = false;
      break;
  }
}

// One partition, its shape drawn now: both directions between two sides;
// one direction only; two sides joined by one bridge node that hears both;
// or the current leader in a minority.
void World::partition() {
  std::vector<raft::NodeId> order;
  for (const SimNode& node : nodes_) order.push_back(node.id);
  for (std::size_t i = order.size() - 1; i > 0; --i) {
    std::swap(order[i], order[random_.uniform(i + 1)]);
  }
  const std::size_t n = order.size();
  const auto block_between = [&](std::size_t side_a_end, std::size_t side_b_begin, bool both) {
    for (std::size_t a = 0; a < side_a_end; ++a) {
      for (std::size_t b = side_b_begin; b < n; ++b) {
        network_.block(order[a], order[b]);
        if (both) network_.block(order[b], order[a]);
      }
    }
  };
  const char* shape = "";
  switch (random_.uniform(4)) {
    case 0: {
      const std::size_t split = 1 + random_.uniform(n - 1);
      block_between(split, split, true);
      ++stats_.partitions_symmetric;
      shape = "symmetric";
      break;
    }
    case 1: {
      const std::size_t split = 1 + random_.uniform(n - 1);
      block_between(split, split, false);
      ++stats_.partitions_asymmetric;
      shape = "asymmetric (first side cannot reach the second)";
      break;
    }
    case 2: {
      // order[0] is the bridge; sides [1, split) and [split, n).
      const std::size_t split = 2 + random_.uniform(n - 2);
      for (std::size_t a = 1; a < split; ++a) {
        for (std::size_t b = split; b < n; ++b) {
          network_.block(order[a], order[b]);
          network_.block(order[b], order[a]);
        }
      }
      ++stats_.partitions_bridge;
      shape = "bridge (first node hears both sides)";
      break;
    }
    default: {
      const raft::NodeId leader = current_leader();
      if (leader != raft::kNoNode) {
        std::swap(*std::find(order.begin(), order.end(), leader), order[0]);
      }
      block_between((n - 1) / 2, (n - 1) / 2, true);
      ++stats_.partitions_leader_minority;
      shape = "leader in the minority";
      break;
    }
  }
  if (log_) {
    line(raft::kNoNode) << "fault: partition " << shape << ", order";
    for (raft::NodeId id : order) *log_ << ' ' << id;
    *log_ << '\n';
  }
}

// A scripted LeaderIsolation: the leader of this moment against everyone.
void World::isolate_leader() {
  const raft::NodeId leader = current_leader();
  if (leader == raft::kNoNode) {
    if (log_) line(raft::kNoNode) << "scripted isolation: no leader to isolate\n";
    return;
  }
  for (const SimNode& node : nodes_) {
    if (node.id == leader) continue;
    network_.block(leader, node.id);
    network_.block(node.id, leader);
  }
  ++stats_.leader_isolations;
  if (log_) line(raft::kNoNode) << "scripted isolation: leader " << leader << " cut off\n";
  if (observer_) observer_->on_leader_isolated(now_, leader);
}

void World::end_isolation() {
  network_.heal_partitions();
  if (log_) line(raft::kNoNode) << "scripted isolation ends: partition healed\n";
  if (observer_) observer_->on_partition_healed(now_);
}

// Figure 8 needs leaders that vanish with their newest entries on only some
// followers: a new leader's first append (its no-op, then clients' writes)
// reaches a few followers and the leader is gone within a round trip, before
// it learns what committed or tells anyone; or a leader vanishes right after
// it applied, before its followers hear of the commit. Its network interface
// goes down, so what it had in flight is lost too (a crash would let those
// messages land, and then every log soon agrees again: crashes alone never
// found figure 8 in thousands of seeds).
void World::maybe_arm_churn_cut(const SimNode& node, const raft::Ready& ready) {
  if (churn_cut_armed_ || ready.entries.empty() || node.raft->role() != raft::Role::leader) {
    return;
  }
  churn_cut_armed_ = true;
  // Links take 0.5..3 ms one way: the cut lands before most acks return.
  schedule(now_ + random_.uniform_duration(0ms, 2ms),
           make_event(EventKind::churn_cut, node.id, node.incarnation));
}

void World::churn_cut(SimNode& node) {
  ++stats_.churn_cuts;
  if (log_) line(node.id) << "leader churn: network down, in-flight messages lost\n";
  churn_cut_[node.id - 1] = true;
  // Back around an election timeout later: often in time to be elected
  // again with its old-term entries, as figure 8's S1 is.
  schedule(now_ + random_.uniform_duration(20ms, 400ms),
           make_event(EventKind::churn_reconnect, node.id));
}

void World::heal_all() {
  churn_active_ = false;
  churn_cut_.assign(churn_cut_.size(), false);
  network_.heal_partitions();
  network_.set_loss_probability(0);
  network_.set_duplicate_probability(0);
  network_.set_extra_jitter(Duration::zero());
  crash_leader_after_apply_.reset();
  operator_active_ = false;
  for (SimNode& node : nodes_) {
    if (!node.raft) start_node(node.id);
  }
  if (log_) line(raft::kNoNode) << "faults end: network healed, every node up\n";
}

}  // namespace faultline::sim::detail
