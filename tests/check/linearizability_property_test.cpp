// Randomized: histories from a sequential execution must pass; a read
// mutated so no order can explain it must fail. RapidCheck prints the
// seed that reproduces a failure.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "check/history_generator.hpp"
#include "faultline/check/checker.hpp"
#include "faultline/check/kv_model.hpp"
#include "faultline/check/register_model.hpp"

namespace faultline::check {
namespace {

using namespace testing;

GeneratorConfig config_for(bool kv, int operation_count) {
  GeneratorConfig config;
  config.kv = kv;
  config.operation_count = operation_count;
  config.key_count = 3;
  return config;
}

Verdict check(const std::vector<GeneratedOp>& ops, bool kv) {
  Result<CheckResult> result = check_history(to_history(ops), kv ? kv_model() : register_model());
  RC_ASSERT(result.ok());
  return result->verdict;
}

bool is_ok_read(const GeneratedOp& op) {
  return (op.function == "read" || op.function == "get") && op.outcome == Outcome::ok;
}

RC_GTEST_PROP(LinearizabilityProperty, SequentialExecutionWithOverlapsIsLinearizable,
              (std::uint64_t seed, bool kv)) {
  const int count = *rc::gen::inRange(1, 120);
  const std::vector<GeneratedOp> ops = HistoryGenerator(seed, config_for(kv, count)).generate();
  RC_ASSERT(check(ops, kv) == Verdict::linearizable);
}

RC_GTEST_PROP(LinearizabilityProperty, ReadOfUnwrittenValueIsDetected, (std::uint64_t seed, bool kv)) {
  std::vector<GeneratedOp> ops = HistoryGenerator(seed, config_for(kv, 60)).generate();
  std::vector<std::size_t> reads;
  for (std::size_t i = 0; i < ops.size(); ++i) {
    if (is_ok_read(ops[i])) reads.push_back(i);
  }
  RC_PRE(!reads.empty());
  const std::size_t victim = reads[*rc::gen::inRange<std::size_t>(0, reads.size())];
  ops[victim].value = "mutant";  // no operation ever writes or appends this
  RC_ASSERT(check(ops, kv) == Verdict::not_linearizable);
}

RC_GTEST_PROP(LinearizabilityProperty, ReadFromTheFutureIsDetected, (std::uint64_t seed)) {
  // Register only: each write's value is unique, so a read returning the
  // value of a write invoked after the read returned cannot be ordered.
  std::vector<GeneratedOp> ops = HistoryGenerator(seed, config_for(false, 60)).generate();
  std::vector<std::pair<std::size_t, std::size_t>> candidates;  // (read, later write)
  for (std::size_t r = 0; r < ops.size(); ++r) {
    if (!is_ok_read(ops[r])) continue;
    for (std::size_t w = 0; w < ops.size(); ++w) {
      if (ops[w].function == "write" && ops[w].call_ns > ops[r].return_ns) candidates.emplace_back(r, w);
    }
  }
  RC_PRE(!candidates.empty());
  const auto [read, write] = candidates[*rc::gen::inRange<std::size_t>(0, candidates.size())];
  ops[read].value = ops[write].value;
  RC_ASSERT(check(ops, false) == Verdict::not_linearizable);
}

}  // namespace
}  // namespace faultline::check
