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
  for (const raft::Entry& committed : applied_) {
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

Status SafetyMonitor::observe_persisted(raft::NodeId node, std::span<const raft::Entry> entries,
                                        std::span<const raft::MemoryStorage* const> disks) const {
  const raft::MemoryStorage& own = *disks[node - 1];
  for (const raft::Entry& entry : entries) {
    for (std::size_t i = 0; i < disks.size(); ++i) {
      if (i + 1 == node) continue;
      const std::vector<raft::Entry>& other = disks[i]->all_entries();
      if (other.size() < entry.index || other[entry.index - 1].term != entry.term) continue;
      const raft::Entry& theirs = other[entry.index - 1];
      const raft::Term own_previous = own.term(entry.index - 1).value_or(0);
      const raft::Term their_previous = disks[i]->term(entry.index - 1).value_or(0);
      if (same_entry(theirs, entry) && own_previous == their_previous) continue;
      return Status::internal("log matching violated: nodes " + std::to_string(node) + " and " +
                              std::to_string(i + 1) + " hold " + describe(entry) + " and " +
                              describe(theirs) + " with previous terms " +
                              std::to_string(own_previous) + " and " +
                              std::to_string(their_previous));
    }
  }
  return Status();
}

}  // namespace faultline::sim
