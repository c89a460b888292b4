// Membership change (thesis §4): proposing a change, applying committed
// config-change entries, leaving a joint configuration, removing the leader,
// and rebuilding the configuration on restart.
#include <limits>

#include "faultline/core/assert.hpp"
#include "faultline/raft/conf_changer.hpp"
#include "faultline/raft/raft.hpp"

namespace faultline::raft {

Status Raft::propose_conf_change(const ConfChange& change) {
  if (role_ != Role::leader) {
    return Status::unavailable("raft: not the leader").with_reason("NOT_LEADER");
  }
  if (transfer_target_ != kNoNode) {
    return Status::unavailable("raft: leadership is being transferred")
        .with_reason("TRANSFERRING_LEADERSHIP");
  }
  // Ongaro's 2015 fix to single-server changes: until an entry of its own
  // term commits, a new leader may hold an uncommitted change of an earlier
  // term that a rival leader could overwrite; a change appended on top of it
  // could then commit with a quorum that no longer overlaps.
  if (!committed_in_current_term()) {
    return Status::unavailable("raft: a new leader must commit an entry of its term first")
        .with_reason("OWN_TERM_NOT_COMMITTED");
  }
  if (pending_conf_index_ > log_.applied()) {
    return Status::unavailable("raft: an earlier config change is not applied yet")
        .with_reason("CONF_CHANGE_PENDING");
  }
  if (removing_self_) {
    return Status::unavailable("raft: this leader is being removed from the configuration")
        .with_reason("LEADER_BEING_REMOVED");
  }
  // Nothing is pending, so the configuration in effect is the log's last.
  const Result<ConfState> next = next_conf_state(tracker_.conf_state(), change);
  if (!next.ok()) return next.status();
  const Entry sized{term_, log_.last_index() + 1, EntryType::config_change, encode_conf_change(change)};
  if (uncommitted_bytes_ > 0 &&
      uncommitted_bytes_ + entry_size_bytes(sized) > config_.max_uncommitted_bytes) {
    return Status::resource_exhausted("raft: too many uncommitted proposals")
        .with_reason("UNCOMMITTED_LIMIT");
  }
  const CheckedState before = capture_before_input();
  append_conf_change(change);
  check_invariants(before);
  return Status();
}

void Raft::append_conf_change(const ConfChange& change) {
  const Index index = log_.last_index() + 1;
  const Result<ConfState> next = next_conf_state(tracker_.conf_state(), change);
  FAULTLINE_ASSERT(next.ok(), "a leader appends only changes that apply");
  if (!MajorityConfig(next->voters).contains(config_.id)) removing_self_ = true;
  std::vector<Entry> entries;
  entries.push_back(Entry{term_, index, EntryType::config_change, encode_conf_change(change)});
  append_leader_entries(std::move(entries));
  pending_conf_index_ = index;
  broadcast_append(/*send_if_empty=*/false);
}

// Entries in the log were validated on receipt (step) or on proposal, so a
// change that still does not decode or apply came from a faulty leader; every
// node sees the same bytes against the same configuration and skips it alike.
void Raft::apply_conf_change_entry(const Entry& entry) {
  const Result<ConfChange> change = decode_conf_change(entry.data);
  if (!change.ok()) return;
  const Result<ConfState> next = next_conf_state(tracker_.conf_state(), *change);
  if (!next.ok()) return;
  restore_conf_state(*next);
}

void Raft::restore_conf_state(const ConfState& state) {
  FAULTLINE_ASSERT(is_valid_conf_state(state), "a well-formed configuration");
  tracker_.apply_conf_state(state, log_.last_index());
  if (transfer_target_ != kNoNode && !tracker_.config().incoming().contains(transfer_target_)) {
    abort_transfer();
  }
  if (tracker_.is_voter(config_.id)) {
    if (role_ != Role::leader) return;
    // The quorum changed, so commitment may move (a removed laggard no longer
    // holds it back); new members need their first probe, everyone the commit.
    (void)maybe_commit();
    broadcast_append(/*send_if_empty=*/true);
    return;
  }
  // Thesis §4.2.2: a leader removed from the configuration stepped down only
  // now, once the change that removes it committed; until then it kept
  // replicating. A (pre-)candidate that is no longer a voter stops campaigning.
  if (role_ != Role::follower) become_follower(term_, kNoNode);
}

void Raft::maybe_auto_leave_joint() {
  if (role_ != Role::leader || !tracker_.config().joint()) return;
  if (pending_conf_index_ > log_.applied() || !committed_in_current_term()) return;
  const CheckedState before = capture_before_input();
  append_conf_change(ConfChange{});
  check_invariants(before);
}

ConfState Raft::replay_conf_changes(ConfState bootstrap, Index first, Index through) const {
  ConfState state = std::move(bootstrap);
  for (Index low = first; low <= through;) {
    const std::vector<Entry> batch = log_.slice(low, through + 1, config_.max_entries_per_message,
                                                std::numeric_limits<std::size_t>::max());
    FAULTLINE_ASSERT(!batch.empty(), "applied entries are in the log");
    for (const Entry& entry : batch) {
      if (entry.type != EntryType::config_change) continue;
      const Result<ConfChange> change = decode_conf_change(entry.data);
      if (!change.ok()) continue;
      Result<ConfState> next = next_conf_state(state, *change);
      if (next.ok()) state = std::move(*next);
    }
    low = batch.back().index + 1;
  }
  return state;
}

}  // namespace faultline::raft
