#include "faultline/raft/quorum.hpp"

#include <algorithm>
#include <functional>

#include "faultline/core/assert.hpp"

namespace faultline::raft {

MajorityConfig::MajorityConfig(std::vector<NodeId> voters) : voters_(std::move(voters)) {
  std::sort(voters_.begin(), voters_.end());
  voters_.erase(std::unique(voters_.begin(), voters_.end()), voters_.end());
  FAULTLINE_ASSERT(voters_.empty() || voters_.front() != kNoNode, "node id 0 is reserved");
}

bool MajorityConfig::contains(NodeId id) const noexcept {
  return std::binary_search(voters_.begin(), voters_.end(), id);
}

Index MajorityConfig::committed_index(const MatchMap& matches) const {
  if (voters_.empty()) return kUnconstrainedIndex;
  std::vector<Index> replicated;
  replicated.reserve(voters_.size());
  for (NodeId voter : voters_) {
    const auto found = matches.find(voter);
    replicated.push_back(found == matches.end() ? 0 : found->second);
  }
  std::sort(replicated.begin(), replicated.end(), std::greater<>());
  // The quorum_size()-th largest match is on at least quorum_size() voters.
  return replicated[quorum_size() - 1];
}

VoteResult MajorityConfig::vote_result(const VoteMap& votes) const {
  if (voters_.empty()) return VoteResult::won;
  std::size_t granted = 0;
  std::size_t missing = 0;
  for (NodeId voter : voters_) {
    const auto found = votes.find(voter);
    if (found == votes.end()) {
      ++missing;
    } else if (found->second) {
      ++granted;
    }
  }
  if (granted >= quorum_size()) return VoteResult::won;
  if (granted + missing >= quorum_size()) return VoteResult::pending;
  return VoteResult::lost;
}

bool JointConfig::contains(NodeId id) const noexcept {
  return incoming_.contains(id) || outgoing_.contains(id);
}

std::vector<NodeId> JointConfig::voters() const {
  std::vector<NodeId> all = incoming_.voters();
  all.insert(all.end(), outgoing_.voters().begin(), outgoing_.voters().end());
  std::sort(all.begin(), all.end());
  all.erase(std::unique(all.begin(), all.end()), all.end());
  return all;
}

Index JointConfig::committed_index(const MatchMap& matches) const {
  return std::min(incoming_.committed_index(matches), outgoing_.committed_index(matches));
}

VoteResult JointConfig::vote_result(const VoteMap& votes) const {
  const VoteResult in = incoming_.vote_result(votes);
  const VoteResult out = outgoing_.vote_result(votes);
  if (in == VoteResult::won && out == VoteResult::won) return VoteResult::won;
  if (in == VoteResult::lost || out == VoteResult::lost) return VoteResult::lost;
  return VoteResult::pending;
}

}  // namespace faultline::raft
