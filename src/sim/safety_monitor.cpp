#include "faultline/sim/safety_monitor.hpp"

#include <string>

namespace faultline::sim {
namespace {

std::string describe(const raft::Entry& entry) {
  std::string text = "(index " + std::to_string(entry.index) + ", term " + std::to_string(entry.term);
  if (entry.type == raft::EntryType::noop) return text + ", no-op)";
  return text + ", \"" + std::string(raft::as_string_view(entry.data)) + "\")";
}

bool same_entry(const raft::Entry& a, const raft::Entry& b) {
  return a.term == b.term && a.index == b.index && a.type == b.type && a.data == b.data;
}

}  // namespace

Status SafetyMonitor::observe_leader(raft::NodeId node, raft::Term term, const raft::RaftLog& log) {
  // Called after every event: the common case (a known leader) must not allocate.
  const auto it = leaders_.find(term);
  if (it != leaders_.end()) {
    if (it->second == node) return Status();
    return Status::internal("election safety violated: nodes " + std::to_string(it->second) +
                            " and " + std::to_string(node) + " both lead term " +
                            std::to_string(term));
  }
  leaders_.emplace(term, node);
  // Below its log's start a leader holds entries only inside its snapshot,
  // which observe_snapshot checked; its last index is still in the log.
  const raft::Index held_from = log.first_index() - 1;
  for (std::size_t i = held_from == 0 ? 0 : held_from - 1; i < applied_.size(); ++i) {
    const raft::Entry& committed = applied_[i];
    const std::optional<raft::Term> held = log.term(committed.index);
    if (!held || *held != committed.term) {
      return Status::internal("leader completeness violated: node " + std::to_string(node) +
                              " leads term " + std::to_string(term) + " without committed entry " +
                              describe(committed) + (held ? " (it holds term " +
                                                                std::to_string(*held) + " there)"
                                                          : " (its log is shorter)"));
    }
  }
  return Status();
}

Status SafetyMonitor::observe_applied(raft::NodeId node, const raft::Entry& entry) {
  if (entry.index == applied_.size() + 1) {
    applied_.push_back(entry);
    return Status();
  }
  if (entry.index > applied_.size() + 1) {
    return Status::internal("state machine safety violated: node " + std::to_string(node) +
                            " applied " + describe(entry) + " with a gap before it");
  }
  const raft::Entry& first = applied_[entry.index - 1];
  if (same_entry(first, entry)) return Status();
  return Status::internal("state machine safety violated: node " + std::to_string(node) +
                          " applied " + describe(entry) + " where another node applied " +
                          describe(first));
}

Status SafetyMonitor::observe_snapshot(raft::NodeId node, raft::Index index,
                                       raft::Term term) const {
  if (index > applied_.size()) {
    return Status::internal("state machine safety violated: node " + std::to_string(node) +
                            " holds a snapshot at index " + std::to_string(index) +
                            " beyond any index a node applied (" +
                            std::to_string(applied_.size()) + ")");
  }
  const raft::Entry& applied = applied_[index - 1];
  if (applied.term == term) return Status();
  return Status::internal("state machine safety violated: node " + std::to_string(node) +
                          " holds a snapshot ending at index " + std::to_string(index) +
                          ", term " + std::to_string(term) + " where another node applied " +
                          describe(applied));
}

Status SafetyMonitor::observe_persisted(raft::NodeId node, std::span<const raft::Entry> entries,
                                        std::span<const raft::MemoryStorage* const> disks) const {
  const raft::MemoryStorage& own = *disks[node - 1];
  for (const raft::Entry& entry : entries) {
    for (std::size_t i = 0; i < disks.size(); ++i) {
      if (i + 1 == node) continue;
      // A disk holds entries from its first index on (the rest compacted).
      const std::vector<raft::Entry>& other = disks[i]->all_entries();
      const raft::Index other_first = disks[i]->first_index();
      if (entry.index < other_first || entry.index - other_first >= other.size()) continue;
      const raft::Entry& theirs = other[entry.index - other_first];
      if (theirs.term != entry.term) continue;
      // A previous term compacted away on either side is not compared.
      const Result<raft::Term> own_previous = own.term(entry.index - 1);
      const Result<raft::Term> their_previous = disks[i]->term(entry.index - 1);
      const bool previous_agree = !own_previous.ok() || !their_previous.ok() ||
                                  *own_previous == *their_previous;
      if (same_entry(theirs, entry) && previous_agree) continue;
      return Status::internal("log matching violated: nodes " + std::to_string(node) + " and " +
                              std::to_string(i + 1) + " hold " + describe(entry) + " and " +
                              describe(theirs) + " with previous terms " +
                              std::to_string(own_previous.ok() ? *own_previous : 0) + " and " +
                              std::to_string(their_previous.ok() ? *their_previous : 0));
    }
  }
  return Status();
}

}  // namespace faultline::sim
