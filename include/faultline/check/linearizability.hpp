// The linearizability search for one partition (Wing & Gong 1993, with
// Lowe's 2017 memoization, as Porcupine does it).
//
// Operations become call and return entries on a list ordered by real
// time. The search walks the list: at a call it tries to linearize that
// operation next (the model accepts it in the current state) and restarts
// from the head; at a return it has failed to place an operation before
// its response was seen, so it undoes the last choice. A memo of
// (set of linearized operations, model state) prunes configurations
// already explored: the same set in the same state has the same future.
// The list is "dancing links" and the undo stack is explicit (no
// recursion), so depth costs heap, not the thread's stack. Identical info
// operations (same function and arguments) are placed in invoke order
// only: they are interchangeable, and this turns the 2^k subsets of k
// pending twins into k + 1.
//
// The search is exponential in the worst case (many concurrent `info`
// operations), so it is bounded: past `search_steps_max` steps or
// `memo_entries_max` memo entries it answers `unknown` instead of hanging.
//
//   SearchOutcome out = search_linearization(partition.operations, register_model(), {});
//   if (out.verdict == Verdict::not_linearizable) { ... }
//
// Thread-safety: a pure function; run partitions on many threads freely.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "faultline/check/history.hpp"
#include "faultline/check/model.hpp"

namespace faultline::check {

enum class Verdict : std::uint8_t { linearizable, not_linearizable, unknown };

// "linearizable", "not linearizable", "unknown: search limit reached".
[[nodiscard]] std::string_view verdict_name(Verdict verdict) noexcept;

struct SearchLimits {
  // One step tries one list entry: 20 M steps is a few seconds of CPU.
  std::uint64_t search_steps_max = 20'000'000;
  // Each entry holds one bit per operation plus a state: 1 M entries of a
  // 1,000-operation partition is ~200 MB at most.
  std::size_t memo_entries_max = 1'000'000;
};

struct SearchOutcome {
  Verdict verdict = Verdict::unknown;
  std::uint64_t search_steps = 0;
  std::size_t memo_entries = 0;
  // The most operations placed at once (how far the search got); on a
  // violation, a hint of where it is.
  std::size_t linearized_count_max = 0;
};

// Decides whether `operations` (one partition, ids unused) are linearizable
// under `model`. Precondition: every operation passes model.validate().
[[nodiscard]] SearchOutcome search_linearization(const std::vector<Operation>& operations,
                                                 const Model& model, const SearchLimits& limits);

}  // namespace faultline::check
