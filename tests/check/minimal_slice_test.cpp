// The minimal failing slice: few operations, and still failing on its own.
#include <gtest/gtest.h>

#include "check/history_builder.hpp"
#include "faultline/check/checker.hpp"
#include "faultline/check/kv_model.hpp"
#include "faultline/check/register_model.hpp"

namespace faultline::check {
namespace {

using namespace testing;

std::vector<std::string> described(const std::vector<Operation>& ops, const Model& model) {
  std::vector<std::string> out;
  for (const Operation& op : ops) out.push_back(model.describe(op));
  return out;
}

TEST(MinimalSlice, StaleReadKeepsTheWritesThatMakeItStale) {
  // Twenty good reads and writes, then one stale read at the end.
  History h;
  for (int i = 1; i <= 10; ++i) {
    h.push_back(invoke_write(0, std::to_string(i)));
    h.push_back(ok_write(0, std::to_string(i)));
    h.push_back(invoke_read(1));
    h.push_back(ok_read(1, std::to_string(i)));
  }
  h.push_back(invoke_read(2));
  h.push_back(ok_read(2, "4"));  // 10 was written long ago
  Result<CheckResult> result = check_history(h, register_model());
  ASSERT_TRUE(result.ok());
  ASSERT_EQ(result->verdict, Verdict::not_linearizable);
  EXPECT_LE(result->failing_slice.size(), 4u);
  const std::vector<std::string> slice = described(result->failing_slice, register_model());
  EXPECT_EQ(slice.back(), "read -> 4");
  EXPECT_NE(std::find(slice.begin(), slice.end(), "write 4"), slice.end());
  // Sound: the slice fails on its own.
  EXPECT_EQ(search_linearization(result->failing_slice, register_model(), {}).verdict,
            Verdict::not_linearizable);
}

TEST(MinimalSlice, ReadOfValueNeverWrittenIsTheWholeStory) {
  History h;
  for (int i = 1; i <= 5; ++i) {
    h.push_back(invoke_put(0, "k", std::to_string(i)));
    h.push_back(ok_put(0, "k", std::to_string(i)));
  }
  h.push_back(invoke_get(1, "k"));
  h.push_back(ok_get(1, "k", "42"));
  for (int i = 6; i <= 9; ++i) {
    h.push_back(invoke_put(0, "k", std::to_string(i)));
    h.push_back(ok_put(0, "k", std::to_string(i)));
  }
  Result<CheckResult> result = check_history(h, kv_model());
  ASSERT_TRUE(result.ok());
  ASSERT_EQ(result->verdict, Verdict::not_linearizable);
  // Later puts are cut off by the prefix; earlier ones nobody read go.
  EXPECT_EQ(described(result->failing_slice, kv_model()),
            std::vector<std::string>{"get k -> 42"});
}

TEST(MinimalSlice, CanBeTurnedOff) {
  History h = {invoke_write(0, "1"), ok_write(0, "1"), invoke_read(1), ok_read(1, "2")};
  CheckOptions options;
  options.shrink_slice = false;
  Result<CheckResult> result = check_history(h, register_model(), options);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->failing_slice.size(), 2u);
}

}  // namespace
}  // namespace faultline::check
