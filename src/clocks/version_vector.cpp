#include "faultline/clocks/version_vector.hpp"

#include <algorithm>
#include <utility>

#include "faultline/core/assert.hpp"

namespace faultline::clocks {
namespace {

bool by_node(const VersionEntry& a, const VersionEntry& b) noexcept { return a.node < b.node; }

// How many of `other`'s nodes `mine` lacks. Both sorted by node.
std::size_t count_missing(std::span<const VersionEntry> mine,
                          std::span<const VersionEntry> other) noexcept {
  std::size_t missing = 0;
  std::size_t i = 0;
  for (const VersionEntry& entry : other) {
    while (i < mine.size() && mine[i].node < entry.node) ++i;
    if (i == mine.size() || mine[i].node != entry.node) ++missing;
  }
  return missing;
}

void absorb(VersionEntry& into, const VersionEntry& from) noexcept {
  into.counter = std::max(into.counter, from.counter);
  into.touched = std::max(into.touched, from.touched);
}

// The union of two sorted entry lists, absorbing entries of one node.
std::vector<VersionEntry> merge_sorted(std::span<const VersionEntry> a,
                                       std::span<const VersionEntry> b, std::size_t capacity) {
  std::vector<VersionEntry> result;
  result.reserve(capacity);
  std::size_t i = 0;
  std::size_t j = 0;
  while (i < a.size() || j < b.size()) {
    if (j == b.size() || (i < a.size() && a[i].node < b[j].node)) {
      result.push_back(a[i++]);
    } else if (i == a.size() || b[j].node < a[i].node) {
      result.push_back(b[j++]);
    } else {
      result.push_back(a[i++]);
      absorb(result.back(), b[j++]);
    }
  }
  return result;
}

}  // namespace

VersionVector::VersionVector(std::vector<VersionEntry> entries) : entries_(std::move(entries)) {
  std::sort(entries_.begin(), entries_.end(), by_node);
  check_invariants();
}

std::uint64_t VersionVector::increment(NodeId node, WallMillis touched) {
  auto it = std::lower_bound(entries_.begin(), entries_.end(), VersionEntry{node}, by_node);
  if (it == entries_.end() || it->node != node) {
    FAULTLINE_ASSERT(entries_.size() < kEntriesMax, "version vector within its entry bound");
    it = entries_.insert(it, VersionEntry{node, 0, touched});
  }
  FAULTLINE_ASSERT(it->counter < UINT64_MAX, "version vector entry would wrap");
  it->touched = std::max(it->touched, touched);
  return ++it->counter;
}

void VersionVector::merge(const VersionVector& other) {
  // The common case between replicas of one key: the same nodes, merged in
  // place in one walk. A node we lack ends the walk; the entries maxed so
  // far stay correct (max is idempotent) and the general path finishes.
  std::size_t i = 0;
  bool same_nodes = true;
  for (const VersionEntry& entry : other.entries_) {
    while (i < entries_.size() && entries_[i].node < entry.node) ++i;
    if (i == entries_.size() || entries_[i].node != entry.node) {
      same_nodes = false;
      break;
    }
    absorb(entries_[i], entry);
  }
  if (same_nodes) return;
  const std::size_t missing = count_missing(entries_, other.entries_);
  FAULTLINE_ASSERT(entries_.size() + missing <= kEntriesMax, "merge stays within the bound");
  entries_ = merge_sorted(entries_, other.entries_, entries_.size() + missing);
  check_invariants();
}

bool VersionVector::forget(NodeId node) noexcept {
  auto it = std::lower_bound(entries_.begin(), entries_.end(), VersionEntry{node}, by_node);
  if (it == entries_.end() || it->node != node) return false;
  entries_.erase(it);
  return true;
}

std::size_t VersionVector::prune(const PruneConfig& config, WallMillis now) {
  const std::size_t size_before = entries_.size();
  const WallMillis oldest_kept = now - config.age_max;
  std::erase_if(entries_, [&](const VersionEntry& entry) {
    return entry.touched != WallMillis{} && entry.touched < oldest_kept;
  });
  if (entries_.size() > config.entries_max) {
    // Least recently touched go first; unstamped entries count as oldest.
    // Ties break by node id so every replica prunes the same entries.
    std::vector<VersionEntry> by_age = entries_;
    std::sort(by_age.begin(), by_age.end(), [](const VersionEntry& a, const VersionEntry& b) {
      return a.touched != b.touched ? a.touched > b.touched : a.node < b.node;
    });
    by_age.resize(config.entries_max);
    std::sort(by_age.begin(), by_age.end(), by_node);
    entries_ = std::move(by_age);
  }
  check_invariants();
  FAULTLINE_ASSERT(entries_.size() <= config.entries_max, "pruned to the bound");
  return size_before - entries_.size();
}

std::uint64_t VersionVector::counter(NodeId node) const noexcept {
  auto it = std::lower_bound(entries_.begin(), entries_.end(), VersionEntry{node}, by_node);
  return it != entries_.end() && it->node == node ? it->counter : 0;
}

void VersionVector::check_invariants() const noexcept {
  FAULTLINE_ASSERT(entries_.size() <= kEntriesMax, "version vector within its entry bound");
  for (std::size_t i = 0; i < entries_.size(); ++i) {
    FAULTLINE_ASSERT(entries_[i].counter >= 1, "a stored entry has a counter of at least 1");
    FAULTLINE_ASSERT(i == 0 || entries_[i - 1].node < entries_[i].node,
                     "entries sorted by node id, each node once");
  }
}

CausalOrder compare(const VersionVector& a, const VersionVector& b) noexcept {
  const auto left = a.entries();
  const auto right = b.entries();
  bool left_ahead = false;
  bool right_ahead = false;
  std::size_t i = 0;
  std::size_t j = 0;
  // A node present on one side only is ahead there (absent counts as 0).
  while (i < left.size() && j < right.size()) {
    if (left[i].node == right[j].node) {
      left_ahead |= left[i].counter > right[j].counter;
      right_ahead |= right[j].counter > left[i].counter;
      ++i;
      ++j;
    } else if (left[i].node < right[j].node) {
      left_ahead = true;
      ++i;
    } else {
      right_ahead = true;
      ++j;
    }
  }
  left_ahead |= i < left.size();
  right_ahead |= j < right.size();
  if (left_ahead && right_ahead) return CausalOrder::concurrent;
  if (left_ahead) return CausalOrder::after;
  if (right_ahead) return CausalOrder::before;
  return CausalOrder::equal;
}

bool happened_before(const VersionVector& a, const VersionVector& b) noexcept {
  return compare(a, b) == CausalOrder::before;
}

bool descends(const VersionVector& a, const VersionVector& b) noexcept {
  const CausalOrder order = compare(a, b);
  return order == CausalOrder::after || order == CausalOrder::equal;
}

VersionVector merged(VersionVector a, const VersionVector& b) {
  a.merge(b);
  return a;
}

}  // namespace faultline::clocks
