// The Ready/Advance contract (see ready.hpp and docs/raft.md).
#include "faultline/raft/ready.hpp"

#include "faultline/core/assert.hpp"
#include "faultline/raft/raft.hpp"

namespace faultline::raft {

bool may_send_before_persist(MessageType type) noexcept {
  switch (type) {
    case MessageType::append:
    case MessageType::heartbeat:
    case MessageType::install_snapshot:
    case MessageType::timeout_now:
    case MessageType::pre_vote:
      return true;
    default:
      return false;
  }
}

bool Raft::has_ready() const {
  return soft_state() != handed_soft_state_ || hard_state() != handed_hard_state_ ||
         log_.unstable_snapshot().has_value() || !log_.unstable_entries().empty() ||
         !messages_.empty() ||
         !messages_after_persist_.empty() || log_.committed() > log_.applied() ||
         !read_states_.empty();
}

Ready Raft::ready() {
  FAULTLINE_ASSERT(!ready_outstanding_, "advance() the previous Ready before taking another");
  Ready ready;
  if (soft_state() != handed_soft_state_) {
    ready.soft_state = soft_state();
    handed_soft_state_ = soft_state();
  }
  if (hard_state() != handed_hard_state_) {
    ready.hard_state = hard_state();
    handed_hard_state_ = hard_state();
  }
  ready.snapshot = log_.unstable_snapshot();
  ready.entries = log_.unstable_entries();
  ready.messages = std::move(messages_);
  messages_.clear();
  ready.messages_after_persist = std::move(messages_after_persist_);
  messages_after_persist_.clear();
  ready.committed_entries =
      log_.committed_entries_after(log_.applied(), config_.max_committed_bytes_per_ready);
  ready.read_states = std::move(read_states_);
  read_states_.clear();
  ready_outstanding_ = true;
  return ready;
}

void Raft::advance(const Ready& ready) {
  FAULTLINE_ASSERT(ready_outstanding_, "advance() without an outstanding Ready");
  ready_outstanding_ = false;
  const CheckedState before = capture_before_input();
  // The snapshot was persisted before the entries that follow it.
  if (ready.snapshot) log_.snapshot_applied(ready.snapshot->metadata.index);
  if (!ready.entries.empty()) log_.stable_to(ready.entries.back().index, ready.entries.back().term);
  if (!ready.committed_entries.empty()) log_.applied_to(ready.committed_entries.back().index);
  // A configuration takes effect once its entry is applied (docs/raft.md).
  for (const Entry& entry : ready.committed_entries) {
    if (entry.type == EntryType::config_change) apply_conf_change_entry(entry);
  }
  update_own_match();
  maybe_auto_leave_joint();
  check_invariants(before);
}

}  // namespace faultline::raft
