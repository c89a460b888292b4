// Quorum arithmetic: pure functions over a set of voters.
//
// Use MajorityConfig for a plain cluster and JointConfig during a membership
// change (paper §6, thesis §4.3: joint consensus needs separate majorities of
// the old and the new configuration). Both answer the two questions the core
// asks: "which index is replicated on a quorum?" (commitment, §5.3) and "did
// this election / ReadIndex round win?" (§5.2, thesis §6.4).
//
//   MajorityConfig config({1, 2, 3});
//   config.committed_index({{1, 7}, {2, 5}, {3, 4}});   // 5
//   config.vote_result({{1, true}, {2, false}});       // pending
//
// Thread-safety: immutable values; const members are safe from any thread.
#pragma once

#include <cstddef>
#include <limits>
#include <map>
#include <vector>

#include "faultline/raft/types.hpp"

namespace faultline::raft {

enum class VoteResult : std::uint8_t { pending, lost, won };

// Matches: each voter's highest index known to be replicated on it. A voter
// missing from the map counts as 0.
using MatchMap = std::map<NodeId, Index>;
// Votes: granted (true) or refused (false); a voter missing has not answered.
using VoteMap = std::map<NodeId, bool>;

// The committed index of an empty configuration: "no constraint", so that a
// joint configuration with an empty outgoing half behaves as the incoming one.
inline constexpr Index kUnconstrainedIndex = std::numeric_limits<Index>::max();

class MajorityConfig {
 public:
  MajorityConfig() = default;
  // Duplicates are removed; kNoNode is not a valid voter.
  explicit MajorityConfig(std::vector<NodeId> voters);

  [[nodiscard]] const std::vector<NodeId>& voters() const noexcept { return voters_; }  // sorted
  [[nodiscard]] bool contains(NodeId id) const noexcept;
  [[nodiscard]] std::size_t size() const noexcept { return voters_.size(); }
  [[nodiscard]] bool empty() const noexcept { return voters_.empty(); }
  // floor(n / 2) + 1.
  [[nodiscard]] std::size_t quorum_size() const noexcept { return voters_.size() / 2 + 1; }

  // The largest index replicated on a majority: sort the voters' matches
  // descending and take the quorum_size()-th. kUnconstrainedIndex when empty.
  [[nodiscard]] Index committed_index(const MatchMap& matches) const;
  // won once a majority granted; lost once a majority can no longer grant.
  // An empty configuration wins (it constrains nothing).
  [[nodiscard]] VoteResult vote_result(const VoteMap& votes) const;

  friend bool operator==(const MajorityConfig&, const MajorityConfig&) = default;

 private:
  std::vector<NodeId> voters_;
};

// Two majorities (thesis §4.3): decisions need both. Outside a membership
// change the outgoing half is empty and the config is the incoming majority.
class JointConfig {
 public:
  JointConfig() = default;
  explicit JointConfig(MajorityConfig incoming, MajorityConfig outgoing = {})
      : incoming_(std::move(incoming)), outgoing_(std::move(outgoing)) {}

  [[nodiscard]] const MajorityConfig& incoming() const noexcept { return incoming_; }
  [[nodiscard]] const MajorityConfig& outgoing() const noexcept { return outgoing_; }
  [[nodiscard]] bool joint() const noexcept { return !outgoing_.empty(); }
  [[nodiscard]] bool contains(NodeId id) const noexcept;
  // Every voter of either half, sorted, without duplicates.
  [[nodiscard]] std::vector<NodeId> voters() const;

  // The smaller of the two halves' committed indexes.
  [[nodiscard]] Index committed_index(const MatchMap& matches) const;
  // won if both won; lost if either lost; pending otherwise.
  [[nodiscard]] VoteResult vote_result(const VoteMap& votes) const;

 private:
  MajorityConfig incoming_;
  MajorityConfig outgoing_;
};

}  // namespace faultline::raft
