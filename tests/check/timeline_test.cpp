// The text report: verdict line and the failing slice's timeline.
#include <gtest/gtest.h>

#include "check/history_builder.hpp"
#include "faultline/check/checker.hpp"
#include "faultline/check/register_model.hpp"
#include "faultline/check/report/timeline.hpp"

namespace faultline::check {
namespace {

using namespace testing;

TEST(Timeline, DrawsOverlapAndOrder) {
  // p0 |write 1|
  // p1           |read 2|   and p2's write 2 never answered
  History h = {invoke_write(0, "1"), ok_write(0, "1"), invoke_write(2, "2"), info_op(2, "write"),
               invoke_read(1), ok_read(1, "2")};
  h[0].line = 1;
  h[1].line = 2;
  Result<std::vector<Operation>> ops = pair_operations(h);
  ASSERT_TRUE(ops.ok());
  const std::string text = render_timeline(*ops, register_model());
  EXPECT_EQ(text,
            "p0    |--|               write 1                (lines 1-2)\n"
            "p2          |--------->  write 2 (info)\n"
            "p1             |--|      read -> 2\n");
}

TEST(Timeline, ReportNamesVerdictAndSlice) {
  History h = {invoke_write(0, "1"), ok_write(0, "1"), invoke_read(1), ok_read(1, "2")};
  Result<CheckResult> result = check_history(h, register_model());
  ASSERT_TRUE(result.ok());
  const std::string report = render_check_report(*result, register_model());
  EXPECT_EQ(report.substr(0, report.find('\n')),
            "not linearizable (2 operations, one register, register model)");
  EXPECT_NE(report.find("minimal failing slice on the register (1 operation that"), std::string::npos)
      << report;
  EXPECT_NE(report.find("read -> 2"), std::string::npos);
}

}  // namespace
}  // namespace faultline::check
