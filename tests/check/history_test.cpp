// Pairing events into operations: Jepsen's invoke / ok / fail / info.
#include <gtest/gtest.h>

#include "check/history_builder.hpp"
#include "faultline/check/history.hpp"

namespace faultline::check {
namespace {

using namespace testing;

TEST(PairOperations, OkCompletesWithTheReadResult) {
  Result<std::vector<Operation>> ops = pair_operations({invoke_read(0), ok_read(0, "5")});
  ASSERT_TRUE(ops.ok());
  ASSERT_EQ(ops->size(), 1u);
  EXPECT_TRUE((*ops)[0].result_known);
  EXPECT_EQ((*ops)[0].value, Value("5"));
  EXPECT_EQ((*ops)[0].call_time, 0);
  EXPECT_EQ((*ops)[0].return_time, 1);
}

TEST(PairOperations, FailIsDroppedInfoAndUnfinishedAreUnknown) {
  Result<std::vector<Operation>> ops =
      pair_operations({invoke_write(0, "1"), fail_op(0, "write"), invoke_write(0, "2"),
                       info_op(0, "write"), invoke_write(1, "3")});
  ASSERT_TRUE(ops.ok());
  ASSERT_EQ(ops->size(), 2u);
  EXPECT_EQ((*ops)[0].value, Value("2"));
  EXPECT_FALSE((*ops)[0].result_known);
  EXPECT_EQ((*ops)[0].return_time, Operation::kNeverReturned);
  EXPECT_EQ((*ops)[1].value, Value("3"));
  EXPECT_FALSE((*ops)[1].result_known);
}

TEST(PairOperations, UsesTimestampsWhenEveryEventHasOne) {
  History h = {invoke_write(0, "1"), ok_write(0, "1")};
  h[0].time_ns = 100;
  h[1].time_ns = 250;
  Result<std::vector<Operation>> ops = pair_operations(h);
  ASSERT_TRUE(ops.ok());
  EXPECT_EQ((*ops)[0].call_time, 100);
  EXPECT_EQ((*ops)[0].return_time, 250);
}

TEST(PairOperations, CompletionWithoutInvokeIsAnError) {
  History h = {ok_write(0, "1")};
  h[0].line = 9;
  Result<std::vector<Operation>> ops = pair_operations(h);
  ASSERT_FALSE(ops.ok());
  EXPECT_EQ(ops.status().code(), StatusCode::invalid_argument);
  EXPECT_NE(ops.status().message().find("line 9"), std::string_view::npos);
}

TEST(PairOperations, DoubleInvokeIsAnError) {
  Result<std::vector<Operation>> ops = pair_operations({invoke_write(0, "1"), invoke_read(0)});
  ASSERT_FALSE(ops.ok());
  EXPECT_NE(ops.status().message().find("event 2"), std::string_view::npos);
}

TEST(PairOperations, CompletingAnotherFunctionIsAnError) {
  Result<std::vector<Operation>> ops = pair_operations({invoke_write(0, "1"), ok_read(0, "1")});
  ASSERT_FALSE(ops.ok());
  EXPECT_NE(ops.status().message().find("invoked 'write' but completes 'read'"),
            std::string_view::npos);
}

}  // namespace
}  // namespace faultline::check
