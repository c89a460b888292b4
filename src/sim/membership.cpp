// Membership changes and leadership transfers, as fault kinds.
//
// A membership episode starts the operator: it asks the node leading now for
// one change, drawn from the leader's configuration (add a learner, promote
// a learner that caught up, remove a voter or the leader itself, swap a
// learner for a voter through joint consensus, drop a learner), and retries
// every few tens of milliseconds while the leader refuses (no leader, a change
// pending, leader's term not committed, a transfer) until the episode ends.
// Nodes outside the configuration run idle. A transfer episode hands
// leadership to a random voter once.
#include <algorithm>
#include <string>

#include "world.hpp"

namespace faultline::sim::detail {

using namespace std::chrono_literals;

namespace {

constexpr Duration kOperatorRetryMin = 10ms;
constexpr Duration kOperatorRetryMax = 60ms;

bool contains(const std::vector<raft::NodeId>& ids, raft::NodeId id) {
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

void describe(std::ostream& out, const raft::ConfChange& change) {
  if (change.changes.empty()) out << "leave joint";
  for (std::size_t i = 0; i < change.changes.size(); ++i) {
    if (i != 0) out << " + ";
    out << raft::conf_change_type_name(change.changes[i].type) << ' ' << change.changes[i].node;
  }
  if (change.transition == raft::ConfChangeTransition::joint) out << " (joint)";
}

}  // namespace

void World::begin_membership_change() {
  ++operator_round_;
  operator_active_ = true;
  operator_attempt();
}

void World::operator_attempt() {
  if (!operator_active_ || stopped_) return;
  const raft::NodeId leader = current_leader();
  if (leader != raft::kNoNode) {
    SimNode& node = nodes_[leader - 1];
    const std::optional<raft::ConfChange> change = choose_conf_change(*node.raft);
    if (change) {
      const Status status = node.raft->propose_conf_change(*change);
      if (status.ok()) {
        operator_active_ = false;
        ++stats_.membership_changes;
        bool removes_leader = false;
        for (const raft::ConfChangeSingle& single : change->changes) {
          if (single.type == raft::ConfChangeType::remove_voter && single.node == leader) {
            removes_leader = true;
          }
          mix(static_cast<std::uint64_t>(single.type) | (single.node << 8));
        }
        if (removes_leader) ++stats_.leader_removals;
        if (log_) {
          line(leader) << "operator: leader accepts ";
          describe(*log_, *change);
          *log_ << '\n';
        }
        drive(node);
        observe_roles(leader);
        return;
      }
      if (log_) {
        line(leader) << "operator: leader refuses ";
        describe(*log_, *change);
        *log_ << " (" << status.message() << ")\n";
      }
    }
  }
  schedule(now_ + random_.uniform_duration(kOperatorRetryMin, kOperatorRetryMax),
           make_event(EventKind::operator_attempt, raft::kNoNode, 0, operator_round_));
}

// One change that applies to the leader's configuration, or none for now
// (joint: the leader leaves it by itself; nothing applicable). Adding a
// voter with an empty log at once is allowed by Raft (only slower to commit
// until it catches up), so the operator does that too, sometimes.
std::optional<raft::ConfChange> World::choose_conf_change(const raft::Raft& leader) {
  const raft::ConfState conf = leader.conf_state();
  if (conf.joint()) return std::nullopt;
  const std::size_t min_voters = static_cast<std::size_t>(options_.nodes) - 1;
  const std::size_t max_voters = static_cast<std::size_t>(options_.nodes) + 1;
  std::vector<raft::NodeId> spares;
  for (const SimNode& node : nodes_) {
    if (!contains(conf.voters, node.id) && !contains(conf.learners, node.id)) {
      spares.push_back(node.id);
    }
  }
  // A learner is promoted once it holds what the leader committed, as an
  // operator watching its progress would (an empty new voter would stall
  // commitment until it catches up).
  std::vector<raft::NodeId> caught_up;
  for (raft::NodeId learner : conf.learners) {
    if (leader.tracker().has_progress(learner) &&
        leader.tracker().progress(learner).match() >= leader.log().committed()) {
      caught_up.push_back(learner);
    }
  }
  const auto pick = [this](const std::vector<raft::NodeId>& ids) {
    return ids[random_.uniform(ids.size())];
  };
  // The voter to remove: the leader itself a third of the time.
  const auto victim = [&] {
    return random_.uniform(3) == 0 ? leader.id() : pick(conf.voters);
  };
  using Type = raft::ConfChangeType;
  // 0 add learner, 1 promote, 2 remove voter, 3 swap, 4 remove learner,
  // 5 add a voter with an empty log at once, 6 remove two voters (joint).
  std::vector<int> actions;
  if (!spares.empty() && conf.learners.size() < 2) actions.push_back(0);
  if (!caught_up.empty() && conf.voters.size() < max_voters) actions.push_back(1);
  if (conf.voters.size() > min_voters) actions.push_back(2);
  if (!caught_up.empty()) actions.push_back(3);
  if (!conf.learners.empty()) actions.push_back(4);
  if (!spares.empty() && conf.voters.size() < max_voters) actions.push_back(5);
  if (conf.voters.size() >= min_voters + 2) actions.push_back(6);
  if (actions.empty()) return std::nullopt;
  raft::ConfChange change;
  switch (actions[random_.uniform(actions.size())]) {
    case 0:
      change.changes.push_back({Type::add_learner, pick(spares)});
      break;
    case 1:
      change.changes.push_back({Type::promote_learner, pick(caught_up)});
      break;
    case 2:
      change.changes.push_back({Type::remove_voter, victim()});
      break;
    case 3:
      change.changes.push_back({Type::promote_learner, pick(caught_up)});
      change.changes.push_back({Type::remove_voter, victim()});
      change.transition = raft::ConfChangeTransition::joint;
      break;
    case 4:
      change.changes.push_back({Type::remove_learner, pick(conf.learners)});
      break;
    case 5:
      change.changes.push_back({Type::add_voter, pick(spares)});
      break;
    default: {
      const raft::NodeId first = victim();
      raft::NodeId second = pick(conf.voters);
      while (second == first) second = pick(conf.voters);
      change.changes.push_back({Type::remove_voter, first});
      change.changes.push_back({Type::remove_voter, second});
      break;
    }
  }
  return change;
}

void World::begin_transfer() {
  const raft::NodeId leader = current_leader();
  if (leader == raft::kNoNode) return;
  SimNode& node = nodes_[leader - 1];
  std::vector<raft::NodeId> targets;
  for (raft::NodeId voter : node.raft->conf_state().voters) {
    if (voter != leader) targets.push_back(voter);
  }
  if (targets.empty()) return;
  const raft::NodeId to = targets[random_.uniform(targets.size())];
  const Status status = node.raft->transfer_leadership(to);
  if (!status.ok()) {
    if (log_) line(leader) << "transfer to n" << to << " refused: " << status.message() << '\n';
    return;
  }
  if (log_) line(leader) << "transfer: leader hands leadership to n" << to << '\n';
  ++stats_.leadership_transfers;
  mix(to | (1ULL << 62));
  drive(node);
  observe_roles(leader);
}

}  // namespace faultline::sim::detail
