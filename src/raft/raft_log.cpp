#include "faultline/raft/raft_log.hpp"

#include <algorithm>

#include "faultline/core/assert.hpp"

namespace faultline::raft {

RaftLog::RaftLog(const Storage& storage, Index applied)
    : storage_(&storage),
      unstable_(storage.last_index() + 1),
      // A snapshot holds only committed entries, and the application loads
      // it before anything else.
      committed_(std::max(storage.hard_state().commit, storage.first_index() - 1)),
      applied_(std::max(applied, storage.first_index() - 1)) {
  FAULTLINE_ASSERT(committed_ <= storage.last_index(), "stored commit beyond the stored log");
  FAULTLINE_ASSERT(applied_ <= committed_, "applied beyond commit at start");
}

std::optional<Term> RaftLog::term(Index index) const {
  // The unstable tail first: recent entries are the ones asked about most.
  const Index offset = unstable_.offset();
  if (index >= offset) {
    const std::vector<Entry>& tail = unstable_.entries();
    if (index - offset < tail.size()) return tail[index - offset].term;
    return std::nullopt;  // beyond the last index
  }
  if (const std::optional<Snapshot>& pending = unstable_.snapshot()) {
    // The log restarts at a pending snapshot (offset == its index + 1).
    if (index == pending->metadata.index) return pending->metadata.term;
    return std::nullopt;  // compacted into it
  }
  if (index + 1 < storage_->first_index()) return std::nullopt;
  Result<Term> stored = storage_->term(index);
  FAULTLINE_ASSERT(stored.ok(), "storage lost an entry the log relies on");
  return *stored;
}

bool RaftLog::match_term(Index index, Term term) const {
  const std::optional<Term> held = this->term(index);
  return held && *held == term;
}

bool RaftLog::is_up_to_date(Index candidate_last_index, Term candidate_last_term) const {
  const Term our_last_term = last_term();
  return candidate_last_term > our_last_term ||
         (candidate_last_term == our_last_term && candidate_last_index >= last_index());
}

Index RaftLog::find_conflict(std::span<const Entry> entries) const {
  for (const Entry& entry : entries) {
    if (!match_term(entry.index, entry.term)) return entry.index;
  }
  return 0;
}

Index RaftLog::find_conflict_by_term(Index index, Term term) const {
  index = std::min(index, last_index());
  const Index floor = first_index() - 1;
  // At or below the compaction point no term is known: the caller's guess
  // goes there, and finds it needs a snapshot.
  if (index <= floor) return index;
  while (index > floor) {
    if (term_or_zero(index) <= term) return index;
    --index;
  }
  return floor;
}

std::optional<Index> RaftLog::maybe_append(Index prev_index, Term prev_term, Index leader_commit,
                                           std::span<const Entry> entries) {
  if (!match_term(prev_index, prev_term)) return std::nullopt;
  const Index last_new = prev_index + entries.size();
  const Index conflict = find_conflict(entries);
  if (conflict != 0) {
    FAULTLINE_ASSERT(conflict > committed_, "a committed entry would be replaced");
    append(entries.subspan(conflict - prev_index - 1));
  }
  commit_to(std::max(committed_, std::min(leader_commit, last_new)));
  return last_new;
}

Index RaftLog::append(std::span<const Entry> entries) {
  if (entries.empty()) return last_index();
  FAULTLINE_ASSERT(entries.front().index > committed_, "append below the commit index");
  FAULTLINE_ASSERT(entries.front().index <= last_index() + 1, "append leaves a gap");
  for (std::size_t i = 1; i < entries.size(); ++i) {
    FAULTLINE_ASSERT(entries[i].index == entries[i - 1].index + 1, "appended entries contiguous");
    FAULTLINE_ASSERT(entries[i].term >= entries[i - 1].term, "terms never decrease in a log");
  }
  ++version_;
  unstable_.truncate_and_append(entries);
  return last_index();
}

std::vector<Entry> RaftLog::slice(Index low, Index high, std::size_t max_entries,
                                  std::size_t max_bytes) const {
  FAULTLINE_ASSERT(low >= first_index() && high <= last_index() + 1, "slice outside the log");
  high = std::min(high, low + max_entries);
  std::vector<Entry> out;
  std::size_t bytes = 0;
  const Index stable_high = std::min(high, unstable_.offset());
  if (low < stable_high) {
    Result<std::vector<Entry>> stored = storage_->entries(low, stable_high, max_bytes);
    FAULTLINE_ASSERT(stored.ok(), "storage failed to read entries the log relies on");
    out = std::move(*stored);
    for (const Entry& entry : out) bytes += entry_size_bytes(entry);
    if (out.size() < stable_high - low) return out;  // byte limit reached
  }
  for (Index index = std::max(low, unstable_.offset()); index < high; ++index) {
    const Entry& entry = unstable_.entries()[index - unstable_.offset()];
    bytes += entry_size_bytes(entry);
    if (!out.empty() && bytes > max_bytes) break;
    out.push_back(entry);
  }
  return out;
}

void RaftLog::commit_to(Index index) {
  FAULTLINE_ASSERT(index >= committed_, "commit index never decreases");
  FAULTLINE_ASSERT(index <= last_index(), "commit beyond the last index");
  if (index != committed_) ++version_;
  committed_ = index;
}

void RaftLog::applied_to(Index index) {
  FAULTLINE_ASSERT(index >= applied_ && index <= committed_, "applied stays in (applied, commit]");
  if (index != applied_) ++version_;
  applied_ = index;
}

Result<Snapshot> RaftLog::snapshot() const {
  if (unstable_.snapshot()) return *unstable_.snapshot();
  return storage_->snapshot();
}

void RaftLog::restore(Snapshot snapshot) {
  const Index index = snapshot.metadata.index;
  FAULTLINE_ASSERT(index > committed_, "a restored snapshot moves commit forward");
  ++version_;
  unstable_.restore(std::move(snapshot));
  committed_ = index;
}

void RaftLog::snapshot_applied(Index index) {
  ++version_;
  unstable_.stable_snapshot_to(index);
  FAULTLINE_ASSERT(index <= committed_, "a snapshot holds only committed entries");
  applied_ = std::max(applied_, index);
}

std::vector<Entry> RaftLog::committed_entries_after(Index after, std::size_t max_bytes) const {
  if (unstable_.snapshot()) return {};
  if (after >= committed_) return {};
  return slice(after + 1, committed_ + 1, committed_ - after, max_bytes);
}

}  // namespace faultline::raft
