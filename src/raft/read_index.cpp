// ReadIndex: linearizable reads without writing to the log (thesis §6.4).
#include <algorithm>

#include "faultline/core/assert.hpp"
#include "faultline/raft/raft.hpp"

namespace faultline::raft {

Status Raft::read_index(Bytes context) {
  if (role_ != Role::leader) {
    return Status::unavailable("raft: not the leader").with_reason("NOT_LEADER");
  }
  if (pending_read_count() >= config_.max_pending_reads) {
    return Status::resource_exhausted("raft: too many pending reads").with_reason("READ_LIMIT");
  }
  const bool waiting = std::find(reads_waiting_for_own_term_commit_.begin(),
                                 reads_waiting_for_own_term_commit_.end(),
                                 context) != reads_waiting_for_own_term_commit_.end();
  if (waiting || read_index_queue_.contains(context)) {
    return Status::already_exists("raft: a read with this context is pending");
  }
  const CheckedState before = capture_before_input();
  if (committed_in_current_term() && holds_read_lease()) {
    // Thesis §6.4.1: no other leader can exist yet, so the commit index is
    // current without asking anyone.
    read_states_.push_back({log_.committed(), std::move(context)});
  } else if (committed_in_current_term()) {
    std::vector<Bytes> contexts;
    contexts.push_back(std::move(context));
    start_read_rounds(std::move(contexts));
  } else {
    // §6.4 step 1: until an entry of its term commits, a new leader does not
    // know the commit index; reading at a stale one would miss writes.
    reads_waiting_for_own_term_commit_.push_back(std::move(context));
  }
  check_invariants(before);
  return Status();
}

bool Raft::committed_in_current_term() const {
  return log_.term_or_zero(log_.committed()) == term_;
}

// §6.4 steps 2-3: record the commit index as the read index, then confirm
// leadership with one heartbeat round for the whole batch.
void Raft::start_read_rounds(std::vector<Bytes> contexts) {
  FAULTLINE_ASSERT(role_ == Role::leader && committed_in_current_term(),
                   "reads start only on a leader that committed in its term");
  if (contexts.empty()) return;
  if (tracker_.voters().size() == 1 || config_.test_knobs.read_index_skips_quorum_check) {
    for (Bytes& context : contexts) read_states_.push_back({log_.committed(), std::move(context)});
    return;
  }
  for (Bytes& context : contexts) {
    read_index_queue_.add(std::move(context), log_.committed(), config_.id);
  }
  broadcast_heartbeat(*read_index_queue_.newest_context());
}

void Raft::release_reads_waiting_for_own_term_commit() {
  if (reads_waiting_for_own_term_commit_.empty() || !committed_in_current_term()) return;
  std::vector<Bytes> contexts = std::move(reads_waiting_for_own_term_commit_);
  reads_waiting_for_own_term_commit_.clear();
  start_read_rounds(std::move(contexts));
}

void Raft::handle_read_ack(NodeId from, const Bytes& context) {
  const std::optional<VoteMap> acks = read_index_queue_.record_ack(context, from);
  if (!acks || tracker_.config().vote_result(*acks) != VoteResult::won) return;
  for (ReadState& state : read_index_queue_.release_through(context)) {
    read_states_.push_back(std::move(state));
  }
}

}  // namespace faultline::raft
