#include "faultline/check/linearizability.hpp"

#include <algorithm>
#include <functional>
#include <map>
#include <tuple>
#include <unordered_set>
#include <utility>

#include "faultline/core/assert.hpp"

namespace faultline::check {

std::string_view verdict_name(Verdict verdict) noexcept {
  switch (verdict) {
    case Verdict::linearizable: return "linearizable";
    case Verdict::not_linearizable: return "not linearizable";
    case Verdict::unknown: return "unknown: search limit reached";
  }
  return "invalid";
}

namespace {

// The call and return entries of every operation, in real-time order, as a
// doubly linked list with a sentinel so entries can be unlinked and put
// back in O(1) (Knuth's dancing links). Undo must mirror do in LIFO order,
// which the search's explicit stack guarantees.
class EntryList {
 public:
  explicit EntryList(const std::vector<Operation>& operations) {
    const std::size_t n = operations.size();
    entries_.resize(2 * n + 1);
    std::vector<std::size_t> order(2 * n);
    for (std::size_t i = 0; i < 2 * n; ++i) {
      order[i] = i;
      Entry& e = entries_[i];
      e.op = i / 2;
      e.is_call = i % 2 == 0;
      e.time = e.is_call ? operations[e.op].call_time : operations[e.op].return_time;
    }
    // Calls before returns at equal times: equal timestamps mean "we cannot
    // tell", which must count as concurrent.
    std::stable_sort(order.begin(), order.end(), [this](std::size_t a, std::size_t b) {
      const Entry& x = entries_[a];
      const Entry& y = entries_[b];
      if (x.time != y.time) return x.time < y.time;
      return x.is_call && !y.is_call;
    });
    std::size_t previous = sentinel();
    for (std::size_t index : order) {
      entries_[previous].next = index;
      entries_[index].prev = previous;
      previous = index;
    }
    entries_[previous].next = sentinel();
    entries_[sentinel()].prev = previous;
  }

  [[nodiscard]] std::size_t sentinel() const noexcept { return entries_.size() - 1; }
  [[nodiscard]] std::size_t first() const noexcept { return entries_[sentinel()].next; }
  [[nodiscard]] std::size_t next(std::size_t entry) const noexcept { return entries_[entry].next; }
  [[nodiscard]] bool is_call(std::size_t entry) const noexcept { return entries_[entry].is_call; }
  [[nodiscard]] std::size_t op(std::size_t entry) const noexcept { return entries_[entry].op; }

  // Removes an operation's call entry and its return entry.
  void lift(std::size_t call_entry) noexcept {
    FAULTLINE_ASSERT(is_call(call_entry), "lift takes a call entry");
    unlink(call_entry);
    unlink(call_entry + 1);
  }
  // Undoes the matching lift(); must be the most recent one not undone.
  void unlift(std::size_t call_entry) noexcept {
    relink(call_entry + 1);
    relink(call_entry);
  }

 private:
  struct Entry {
    std::size_t op = 0;
    bool is_call = false;
    std::int64_t time = 0;
    std::size_t prev = 0;
    std::size_t next = 0;
  };
  void unlink(std::size_t i) noexcept {
    entries_[entries_[i].prev].next = entries_[i].next;
    entries_[entries_[i].next].prev = entries_[i].prev;
  }
  void relink(std::size_t i) noexcept {
    entries_[entries_[i].prev].next = i;
    entries_[entries_[i].next].prev = i;
  }
  std::vector<Entry> entries_;  // 2*op = call, 2*op+1 = return, last = sentinel
};

// A configuration already explored: which operations are linearized, and
// the model's state after them.
struct MemoKey {
  std::vector<std::uint64_t> linearized;
  Value state;
  bool operator==(const MemoKey&) const = default;
};

struct MemoKeyHash {
  std::size_t operator()(const MemoKey& key) const noexcept {
    std::size_t hash = key.state ? std::hash<std::string>{}(*key.state) : 0x9e3779b97f4a7c15ULL;
    for (std::uint64_t word : key.linearized) {
      hash ^= std::hash<std::uint64_t>{}(word) + 0x9e3779b97f4a7c15ULL + (hash << 6) + (hash >> 2);
    }
    return hash;
  }
};

// Symmetry: two info operations with the same function and arguments are
// interchangeable once both are invoked (neither has a response to meet),
// so any linearization that places the later-invoked one at some point can
// place the earlier one there instead. The search therefore places twins
// in invoke order only: for each info operation, its previous twin (or
// kNoTwin), which must be placed first. This turns 2^k subsets of k
// pending identical infos into k + 1, which is what keeps Jepsen-style
// histories full of identical timeouts tractable.
constexpr std::size_t kNoTwin = SIZE_MAX;

std::vector<std::size_t> previous_info_twins(const std::vector<Operation>& operations) {
  std::vector<std::size_t> by_call(operations.size());
  for (std::size_t i = 0; i < by_call.size(); ++i) by_call[i] = i;
  std::stable_sort(by_call.begin(), by_call.end(), [&](std::size_t a, std::size_t b) {
    return operations[a].call_time < operations[b].call_time;
  });
  std::vector<std::size_t> twins(operations.size(), kNoTwin);
  std::map<std::tuple<std::string, Value, Value>, std::size_t> last_seen;
  for (std::size_t i : by_call) {
    const Operation& op = operations[i];
    if (op.result_known) continue;
    auto [slot, inserted] = last_seen.try_emplace({op.function, op.value, op.expected}, i);
    if (!inserted) {
      twins[i] = slot->second;
      slot->second = i;
    }
  }
  return twins;
}

struct Frame {
  std::size_t call_entry;
  Value state_before;
};

class Search {
 public:
  Search(const std::vector<Operation>& operations, const Model& model, const SearchLimits& limits)
      : operations_(operations),
        model_(model),
        limits_(limits),
        list_(operations),
        linearized_((operations.size() + 63) / 64, 0),
        previous_twin_(previous_info_twins(operations)),
        state_(model.initial_state()) {
    for (const Operation& op : operations) known_remaining_ += op.result_known ? 1 : 0;
  }

  SearchOutcome run() {
    std::size_t entry = list_.first();
    for (;;) {
      // Every remaining operation is an info: the models accept those in any
      // state (model.hpp), so they can all be placed last.
      if (known_remaining_ == 0) return finish(Verdict::linearizable);
      if (++outcome_.search_steps > limits_.search_steps_max) return finish(Verdict::unknown);
      FAULTLINE_ASSERT(entry != list_.sentinel(), "list exhausted with known operations left");
      if (list_.is_call(entry)) {
        if (try_linearize(entry)) {
          entry = list_.first();
        } else if (memo_.size() >= limits_.memo_entries_max) {
          return finish(Verdict::unknown);
        } else {
          entry = list_.next(entry);
        }
        continue;
      }
      // A return entry: its operation was not placed before its response.
      if (stack_.empty()) return finish(Verdict::not_linearizable);
      entry = backtrack();
    }
  }

 private:
  bool try_linearize(std::size_t call_entry) {
    const std::size_t op = list_.op(call_entry);
    if (previous_twin_[op] != kNoTwin && !bit(previous_twin_[op])) return false;
    std::optional<Value> next = model_.step(state_, operations_[op]);
    if (!next) return false;
    set_bit(op, true);
    if (memo_.size() >= limits_.memo_entries_max || !memo_.insert(MemoKey{linearized_, *next}).second) {
      set_bit(op, false);
      return false;
    }
    stack_.push_back(Frame{call_entry, std::move(state_)});
    state_ = std::move(*next);
    list_.lift(call_entry);
    if (operations_[op].result_known) --known_remaining_;
    outcome_.linearized_count_max = std::max(outcome_.linearized_count_max, stack_.size());
    return true;
  }

  // Undoes the last placement; returns the entry after it to try next.
  std::size_t backtrack() {
    Frame frame = std::move(stack_.back());
    stack_.pop_back();
    const std::size_t op = list_.op(frame.call_entry);
    state_ = std::move(frame.state_before);
    set_bit(op, false);
    list_.unlift(frame.call_entry);
    if (operations_[op].result_known) ++known_remaining_;
    return list_.next(frame.call_entry);
  }

  [[nodiscard]] bool bit(std::size_t op) const noexcept {
    return (linearized_[op / 64] >> (op % 64)) & 1U;
  }

  void set_bit(std::size_t op, bool on) noexcept {
    const std::uint64_t mask = std::uint64_t{1} << (op % 64);
    if (on) {
      linearized_[op / 64] |= mask;
    } else {
      linearized_[op / 64] &= ~mask;
    }
  }

  SearchOutcome finish(Verdict verdict) {
    outcome_.verdict = verdict;
    outcome_.memo_entries = memo_.size();
    return outcome_;
  }

  const std::vector<Operation>& operations_;
  const Model& model_;
  const SearchLimits& limits_;
  EntryList list_;
  std::vector<std::uint64_t> linearized_;  // bit per operation: placed?
  std::vector<std::size_t> previous_twin_;  // per operation; kNoTwin for most
  Value state_;
  std::size_t known_remaining_ = 0;  // result_known operations not yet placed
  std::vector<Frame> stack_;         // placements, undone LIFO
  std::unordered_set<MemoKey, MemoKeyHash> memo_;
  SearchOutcome outcome_;
};

}  // namespace

SearchOutcome search_linearization(const std::vector<Operation>& operations, const Model& model,
                                   const SearchLimits& limits) {
  Search search(operations, model, limits);
  return search.run();
}

}  // namespace faultline::check
