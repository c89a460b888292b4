#include "faultline/raft/config.hpp"

#include <algorithm>

namespace faultline::raft {

Status Config::validate() const {
  if (id == kNoNode) return Status::invalid_argument("raft config: id must not be 0");
  if (std::find(voters.begin(), voters.end(), kNoNode) != voters.end()) {
    return Status::invalid_argument("raft config: voter id 0 is reserved");
  }
  if (heartbeat_ticks < 1) return Status::invalid_argument("raft config: heartbeat_ticks >= 1");
  if (election_ticks <= heartbeat_ticks) {
    return Status::invalid_argument("raft config: election_ticks must exceed heartbeat_ticks");
  }
  if (lease_reads && !check_quorum) {
    return Status::invalid_argument("raft config: lease_reads requires check_quorum");
  }
  // Checked only when used, so a short election timeout without lease reads
  // stays valid under the default bound.
  const bool drift_bound_sane =
      clock_drift_bound_ticks >= 0 && clock_drift_bound_ticks < election_ticks;
  if (lease_reads && !drift_bound_sane) {
    return Status::invalid_argument("raft config: clock_drift_bound_ticks in [0, election_ticks)");
  }
  if (max_entries_per_message < 1 || max_bytes_per_message < 1) {
    return Status::invalid_argument("raft config: message limits must be >= 1");
  }
  if (max_inflight_messages < 1 || max_inflight_bytes < 1) {
    return Status::invalid_argument("raft config: inflight limits must be >= 1");
  }
  if (max_uncommitted_bytes < 1 || max_committed_bytes_per_ready < 1 || max_pending_reads < 1) {
    return Status::invalid_argument("raft config: limits must be >= 1");
  }
  return Status();
}

}  // namespace faultline::raft
