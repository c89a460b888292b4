// Membership change rules (thesis §4.1 single-server changes, §4.3 joint
// consensus); see conf_changer.hpp.
#include "faultline/raft/conf_changer.hpp"

#include <algorithm>
#include <set>
#include <string>

namespace faultline::raft {
namespace {

bool contains(const std::vector<NodeId>& sorted, NodeId id) {
  return std::binary_search(sorted.begin(), sorted.end(), id);
}

bool sorted_unique_nonzero(const std::vector<NodeId>& ids) {
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (ids[i] == kNoNode) return false;
    if (i > 0 && ids[i - 1] >= ids[i]) return false;
  }
  return true;
}

Status refused(const ConfChangeSingle& single, std::string_view why) {
  std::string message = "raft: config change ";
  message += conf_change_type_name(single.type);
  message += " ";
  message += std::to_string(single.node);
  message += ": ";
  message += why;
  return Status::invalid_argument(message);
}

// Applies one single change to the incoming voters and learners.
Status apply_single(const ConfChangeSingle& single, std::set<NodeId>& voters,
                    std::set<NodeId>& learners) {
  const bool voter = voters.contains(single.node);
  const bool learner = learners.contains(single.node);
  switch (single.type) {
    case ConfChangeType::add_voter:
    case ConfChangeType::add_learner:
      if (voter) return refused(single, "the node is already a voter");
      if (learner) return refused(single, "the node is already a learner");
      (single.type == ConfChangeType::add_voter ? voters : learners).insert(single.node);
      return Status();
    case ConfChangeType::remove_voter:
      if (!voter) return refused(single, "the node is not a voter");
      voters.erase(single.node);
      return Status();
    case ConfChangeType::remove_learner:
    case ConfChangeType::promote_learner:
      if (!learner) return refused(single, "the node is not a learner");
      learners.erase(single.node);
      if (single.type == ConfChangeType::promote_learner) voters.insert(single.node);
      return Status();
  }
  return refused(single, "unknown change type");
}

std::size_t symmetric_difference_size(const std::vector<NodeId>& a, const std::vector<NodeId>& b) {
  std::vector<NodeId> difference;
  std::set_symmetric_difference(a.begin(), a.end(), b.begin(), b.end(),
                                std::back_inserter(difference));
  return difference.size();
}

}  // namespace

bool is_valid_conf_state(const ConfState& state) {
  if (!sorted_unique_nonzero(state.voters) || !sorted_unique_nonzero(state.voters_outgoing) ||
      !sorted_unique_nonzero(state.learners)) {
    return false;
  }
  for (NodeId learner : state.learners) {
    if (contains(state.voters, learner) || contains(state.voters_outgoing, learner)) return false;
  }
  return true;
}

Result<ConfState> next_conf_state(const ConfState& current, const ConfChange& change) {
  if (change.leaves_joint()) {
    if (!current.joint()) {
      return Status::failed_precondition("raft: not in a joint configuration; nothing to leave");
    }
    ConfState next = current;
    next.voters_outgoing.clear();
    return next;
  }
  if (current.joint()) {
    return Status::failed_precondition(
        "raft: a joint configuration must be left before another change starts");
  }
  if (change.changes.size() > kMaxConfChanges) {
    return Status::invalid_argument("raft: too many changes in one config change");
  }
  std::set<NodeId> seen;
  std::set<NodeId> voters(current.voters.begin(), current.voters.end());
  std::set<NodeId> learners(current.learners.begin(), current.learners.end());
  for (const ConfChangeSingle& single : change.changes) {
    if (single.node == kNoNode) return refused(single, "node id 0 is reserved");
    // One change per node keeps a batch's meaning independent of its order.
    if (!seen.insert(single.node).second) return refused(single, "the node appears twice");
    if (Status status = apply_single(single, voters, learners); !status.ok()) return status;
  }
  if (voters.empty()) return Status::invalid_argument("raft: a config change may not remove every voter");
  ConfState next;
  next.voters.assign(voters.begin(), voters.end());
  next.learners.assign(learners.begin(), learners.end());
  // Thesis §4.1: one voter added or removed keeps every old majority and
  // every new majority overlapping, so the change may be applied directly.
  const bool simple = change.transition == ConfChangeTransition::automatic &&
                      symmetric_difference_size(current.voters, next.voters) <= 1;
  if (!simple) next.voters_outgoing = current.voters;
  return next;
}

}  // namespace faultline::raft
