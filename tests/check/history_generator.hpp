// Test helper: linearizable histories made from a sequential execution.
//
// Operation i takes effect at time 10*i + 5 on a sequential model; its call
// is drawn up to `overlap_span_ns` before that point and its return up to
// `overlap_span_ns` after, so operations overlap at random while the true
// order stays a valid linearization. Hence every generated history is
// linearizable, and a read changed to a value nobody wrote (or that is
// written only after the read returned) makes it certainly not.
//
// Deterministic per seed; the engine is std::mt19937_64 (portable) and the
// draws use modulo, not std::uniform_*.
#pragma once

#include <algorithm>
#include <cstdint>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "faultline/check/history.hpp"

namespace faultline::check::testing {

enum class Outcome { ok, fail, info };

struct GeneratedOp {
  std::string function;
  std::string key;
  Value value;     // argument or read result
  Value expected;  // cas
  std::int64_t call_ns = 0;
  std::int64_t return_ns = 0;
  Outcome outcome = Outcome::ok;
  std::int64_t process = 0;
};

struct GeneratorConfig {
  bool kv = false;  // kv functions (get/put/append/cas) or register ones
  int operation_count = 100;
  int key_count = 1;
  std::int64_t overlap_span_ns = 30;  // 10 ns between linearization points
  int info_percent = 10;              // of non-reads
  int value_count = 0;  // 0: every write is unique; else values 0..value_count-1, as Jepsen does
};

class HistoryGenerator {
 public:
  HistoryGenerator(std::uint64_t seed, GeneratorConfig config) : rng_(seed), config_(config) {}

  std::vector<GeneratedOp> generate() {
    std::vector<GeneratedOp> ops;
    for (int i = 0; i < config_.operation_count; ++i) ops.push_back(next(i));
    assign_processes(ops);
    return ops;
  }

 private:
  std::uint64_t below(std::uint64_t n) { return rng_() % n; }

  GeneratedOp next(int index) {
    GeneratedOp op;
    const std::int64_t point = 10 * static_cast<std::int64_t>(index) + 5;
    op.call_ns = point - 1 - static_cast<std::int64_t>(below(config_.overlap_span_ns));
    op.return_ns = point + 1 + static_cast<std::int64_t>(below(config_.overlap_span_ns));
    op.key = config_.kv ? "k" + std::to_string(below(config_.key_count)) : "";
    Value& state = state_[op.key];
    const std::string fresh =
        config_.value_count == 0 ? "v" + std::to_string(index)
                                 : std::to_string(below(static_cast<std::uint64_t>(config_.value_count)));
    const std::uint64_t kind = below(config_.kv ? 4 : 3);
    if (kind == 0) {
      op.function = config_.kv ? "get" : "read";
      op.value = state;
      return op;
    }
    const bool info = static_cast<int>(below(100)) < config_.info_percent;
    op.outcome = info ? Outcome::info : Outcome::ok;
    // An info may have happened or not; the generator decides, the checker
    // must accept both.
    const bool takes_effect = !info || below(2) == 0;
    if (kind == 1 || (kind == 3 && !config_.kv)) {
      op.function = config_.kv ? "put" : "write";
      op.value = fresh;
      if (takes_effect) state = fresh;
    } else if (kind == 3) {
      op.function = "append";
      op.value = fresh;
      if (takes_effect) state = state.value_or("") + fresh;
    } else {
      op.function = "cas";
      op.expected = below(3) == 0 || !state ? Value("absent") : state;
      op.value = fresh;
      if (op.expected != state) {
        if (!info) op.outcome = Outcome::fail;  // certainly did not happen
      } else if (takes_effect) {
        state = fresh;
      }
    }
    return op;
  }

  // A process runs one operation at a time: reuse the first idle one.
  static void assign_processes(std::vector<GeneratedOp>& ops) {
    std::vector<std::int64_t> busy_until_ns;
    std::vector<std::size_t> order(ops.size());
    for (std::size_t i = 0; i < ops.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(),
              [&](std::size_t a, std::size_t b) { return ops[a].call_ns < ops[b].call_ns; });
    for (std::size_t i : order) {
      std::size_t p = 0;
      while (p < busy_until_ns.size() && busy_until_ns[p] >= ops[i].call_ns) ++p;
      if (p == busy_until_ns.size()) busy_until_ns.push_back(0);
      busy_until_ns[p] = ops[i].return_ns;
      ops[i].process = static_cast<std::int64_t>(p);
    }
  }

  std::mt19937_64 rng_;
  GeneratorConfig config_;
  std::map<std::string, Value> state_;
};

// Events in time order (calls before returns at equal times), timestamped.
inline History to_history(const std::vector<GeneratedOp>& ops) {
  struct Timed {
    std::int64_t time_ns;
    bool is_call;
    Event event;
  };
  std::vector<Timed> timed;
  for (const GeneratedOp& op : ops) {
    Event call = Event::invoke(op.process, op.function, op.key,
                               op.function == "get" || op.function == "read" ? Value() : op.value,
                               op.expected);
    call.time_ns = op.call_ns;
    Event done = op.outcome == Outcome::ok     ? Event::ok(op.process, op.function, op.key, op.value, op.expected)
                 : op.outcome == Outcome::fail ? Event::fail(op.process, op.function, op.key)
                                               : Event::info(op.process, op.function, op.key);
    done.time_ns = op.return_ns;
    timed.push_back({op.call_ns, true, call});
    timed.push_back({op.return_ns, false, done});
  }
  std::stable_sort(timed.begin(), timed.end(), [](const Timed& a, const Timed& b) {
    if (a.time_ns != b.time_ns) return a.time_ns < b.time_ns;
    return a.is_call && !b.is_call;
  });
  History history;
  for (Timed& t : timed) history.push_back(std::move(t.event));
  return history;
}

}  // namespace faultline::check::testing
