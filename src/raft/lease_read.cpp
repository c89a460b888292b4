// Lease-based reads (thesis §6.4.1): answering read_index() without a
// heartbeat round, by trusting time.
//
// Why it is safe: a follower that receives a heartbeat resets its election
// timer, and with CheckQuorum it refuses to vote for anyone else until
// election_ticks of its own ticks have passed (thesis §4.2.3). A heartbeat
// sent at leader tick s and acknowledged (in this term) by a quorum
// therefore rules out any new leader until that quorum's timers run out: a
// new leader needs a vote from at least one node of that quorum, and that
// node received the heartbeat no earlier than s. So until s + election_ticks,
// measured on the followers' clocks, this leader is the only one and its
// commit index is current.
//
// Why the drift bound: the leader measures that interval on its own clock.
// If a follower's clock runs fast (thesis: "clock drift"), its election_ticks
// end earlier in real time than the leader's, and a new leader may be
// elected and commit writes while the old one still believes in its lease; a
// read served then is stale. The thesis divides the timeout by a drift
// bound; here the lease is election_ticks - clock_drift_bound_ticks leader
// ticks, and the bound must cover both the rate drift over one election
// timeout and one tick of phase (two nodes' ticks need not line up). With a
// bound of 0 the lease is only as good as perfectly aligned, perfectly equal
// clocks (tests/raft/lease_read_test.cpp shows the stale read).
#include "faultline/raft/raft.hpp"

namespace faultline::raft {

void Raft::record_lease_ack(NodeId from, std::uint64_t lease_tick) {
  // An echo from the future would extend the lease beyond what anyone
  // promised: only a broken or hostile peer sends one, and it is ignored.
  if (lease_tick > lease_clock_ticks_) return;
  std::uint64_t& acked = lease_acks_[from];
  if (lease_tick > acked) acked = lease_tick;
}

bool Raft::holds_read_lease() const {
  if (!config_.lease_reads || role_ != Role::leader || lease_forfeited_) return false;
  // The quorum arithmetic of commitment answers "which tick did a quorum
  // acknowledge a heartbeat of, at least?"; 0 stands for "never", so ticks
  // go in as tick + 1. The leader counts itself as current.
  MatchMap acked;
  for (NodeId voter : tracker_.voters()) {
    if (voter == config_.id) {
      acked.emplace(voter, lease_clock_ticks_ + 1);
    } else if (const auto found = lease_acks_.find(voter); found != lease_acks_.end()) {
      acked.emplace(voter, found->second + 1);
    }
  }
  const Index quorum_tick_plus_one = tracker_.config().committed_index(acked);
  if (quorum_tick_plus_one == 0) return false;
  const std::uint64_t lease_start = quorum_tick_plus_one - 1;
  const auto lease_ticks =
      static_cast<std::uint64_t>(config_.election_ticks - config_.clock_drift_bound_ticks);
  return lease_clock_ticks_ < lease_start + lease_ticks;
}

}  // namespace faultline::raft
