// Performance sanity: realistic sizes decide quickly. Only the verdict is
// asserted (timing belongs to bench/); a regression shows as a slow test
// or an `unknown` when the search limits are hit.
#include <gtest/gtest.h>

#include "check/history_generator.hpp"
#include "faultline/check/checker.hpp"
#include "faultline/check/kv_model.hpp"
#include "faultline/check/register_model.hpp"

namespace faultline::check {
namespace {

using namespace testing;

TEST(CheckerPerformance, FiveClientsTwoHundredOpsEachOnAFewKeys) {
  GeneratorConfig config;
  config.kv = true;
  config.operation_count = 1'000;
  config.key_count = 3;
  config.overlap_span_ns = 22;  // about five operations in flight at once
  const std::vector<GeneratedOp> ops = HistoryGenerator(7, config).generate();
  std::int64_t processes = 0;
  for (const GeneratedOp& op : ops) processes = std::max(processes, op.process + 1);
  EXPECT_LE(processes, 6);
  Result<CheckResult> result = check_history(to_history(ops), kv_model());
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->verdict, Verdict::linearizable);
}

TEST(CheckerPerformance, SingleRegisterWithManyInfos) {
  GeneratorConfig config;
  config.operation_count = 1'000;
  config.overlap_span_ns = 45;  // about ten in flight
  config.info_percent = 30;
  Result<CheckResult> result =
      check_history(to_history(HistoryGenerator(11, config).generate()), register_model());
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->verdict, Verdict::linearizable);
}

TEST(CheckerPerformance, LargeViolationStillShrinksToAFewOperations) {
  GeneratorConfig config;
  config.kv = true;
  config.operation_count = 1'000;
  config.key_count = 3;
  std::vector<GeneratedOp> ops = HistoryGenerator(3, config).generate();
  for (std::size_t i = ops.size() / 2; i < ops.size(); ++i) {
    if (ops[i].function == "get" && ops[i].outcome == Outcome::ok) {
      ops[i].value = "mutant";
      break;
    }
  }
  Result<CheckResult> result = check_history(to_history(ops), kv_model());
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->verdict, Verdict::not_linearizable);
  EXPECT_LE(result->failing_slice.size(), 10u);
}

}  // namespace
}  // namespace faultline::check
