// The search itself: bounds, and the hard shapes (many concurrent infos).
#include <gtest/gtest.h>

#include "check/history_builder.hpp"
#include "faultline/check/checker.hpp"
#include "faultline/check/linearizability.hpp"
#include "faultline/check/register_model.hpp"

namespace faultline::check {
namespace {

using namespace testing;

std::vector<Operation> operations_of(const History& history) {
  Result<std::vector<Operation>> ops = pair_operations(history);
  EXPECT_TRUE(ops.ok()) << ops.status();
  return ops.ok() ? *ops : std::vector<Operation>{};
}

TEST(Search, EmptyHistoryIsLinearizable) {
  EXPECT_EQ(search_linearization({}, register_model(), {}).verdict, Verdict::linearizable);
}

TEST(Search, ManyConcurrentWritersAndAReaderOfTheFirst) {
  // Eight writes all overlap one another and a read; the read may see any.
  History h;
  for (int p = 0; p < 8; ++p) h.push_back(invoke_write(p, std::to_string(p)));
  h.push_back(invoke_read(8));
  h.push_back(ok_read(8, "3"));
  for (int p = 0; p < 8; ++p) h.push_back(ok_write(p, std::to_string(p)));
  EXPECT_EQ(search_linearization(operations_of(h), register_model(), {}).verdict,
            Verdict::linearizable);
}

TEST(Search, AReadOfAValueNoOneWroteFailsEvenAmongManyInfos) {
  History h;
  for (int p = 0; p < 12; ++p) {
    h.push_back(invoke_write(p, std::to_string(p)));
    h.push_back(info_op(p, "write"));
  }
  h.push_back(invoke_read(99));
  h.push_back(ok_read(99, "never-written"));
  EXPECT_EQ(search_linearization(operations_of(h), register_model(), {}).verdict,
            Verdict::not_linearizable);
}

TEST(Search, ManyIdenticalTimeoutsAreInterchangeable) {
  // Forty clients time out writing 1 (Jepsen's usual picture during a
  // partition); then 2 is written and a read still sees 0. Before giving
  // up the search must rule out every way the timeouts could have landed:
  // 2^40 subsets if each is distinct, 41 counts since they are twins.
  History h = {invoke_write(0, "0"), ok_write(0, "0")};
  for (int p = 1; p <= 40; ++p) {
    h.push_back(invoke_write(p, "1"));
    h.push_back(info_op(p, "write"));
  }
  h.push_back(invoke_read(41));  // a read that observes the timeouts' value
  h.push_back(ok_read(41, "1"));
  h.push_back(invoke_write(0, "2"));
  h.push_back(ok_write(0, "2"));
  h.push_back(invoke_read(42));
  h.push_back(ok_read(42, "0"));
  const SearchOutcome outcome = search_linearization(operations_of(h), register_model(), {});
  EXPECT_EQ(outcome.verdict, Verdict::not_linearizable);
  EXPECT_LT(outcome.search_steps, 100'000u);
}

TEST(Search, StepLimitGivesUnknownNotAHang) {
  // Thirteen overlapping writes and reads that force the search to try
  // orders; one step is not enough to decide.
  History h;
  for (int p = 0; p < 6; ++p) h.push_back(invoke_write(p, std::to_string(p)));
  for (int p = 6; p < 12; ++p) h.push_back(invoke_read(p));
  for (int p = 6; p < 12; ++p) h.push_back(ok_read(p, std::to_string(p - 6)));
  for (int p = 0; p < 6; ++p) h.push_back(ok_write(p, std::to_string(p)));
  SearchLimits tiny;
  tiny.search_steps_max = 1;
  const SearchOutcome outcome = search_linearization(operations_of(h), register_model(), tiny);
  EXPECT_EQ(outcome.verdict, Verdict::unknown);
  EXPECT_EQ(verdict_name(outcome.verdict), "unknown: search limit reached");
  // With room to search it decides.
  EXPECT_EQ(search_linearization(operations_of(h), register_model(), {}).verdict,
            Verdict::linearizable);
}

TEST(Search, MemoLimitGivesUnknown) {
  History h;
  for (int p = 0; p < 6; ++p) h.push_back(invoke_write(p, std::to_string(p)));
  h.push_back(invoke_read(9));
  h.push_back(ok_read(9, "x"));
  for (int p = 0; p < 6; ++p) h.push_back(ok_write(p, std::to_string(p)));
  SearchLimits tiny;
  tiny.memo_entries_max = 3;
  EXPECT_EQ(search_linearization(operations_of(h), register_model(), tiny).verdict,
            Verdict::unknown);
}

TEST(Search, UnknownPartitionMakesTheWholeCheckUnknown) {
  History h;
  for (int p = 0; p < 4; ++p) h.push_back(invoke_write(p, std::to_string(p)));
  for (int p = 0; p < 4; ++p) h.push_back(ok_write(p, std::to_string(p)));
  h.push_back(invoke_read(9));
  h.push_back(ok_read(9, "2"));
  CheckOptions options;
  options.limits.search_steps_max = 2;
  Result<CheckResult> result = check_history(h, register_model(), options);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->verdict, Verdict::unknown);
}

TEST(Search, EqualTimestampsCountAsConcurrent) {
  // The write returns at t=10 and the read is invoked at t=10: we cannot
  // tell which came first, so the read may see the old value.
  History h = {invoke_write(0, "1"), ok_write(0, "1"), invoke_write(0, "2"), ok_write(0, "2"),
               invoke_read(1), ok_read(1, "1")};
  const std::int64_t times[] = {0, 1, 5, 10, 10, 12};
  for (std::size_t i = 0; i < h.size(); ++i) h[i].time_ns = times[i];
  EXPECT_EQ(search_linearization(operations_of(h), register_model(), {}).verdict,
            Verdict::linearizable);
  h[4].time_ns = 11;  // now strictly after: stale
  EXPECT_EQ(search_linearization(operations_of(h), register_model(), {}).verdict,
            Verdict::not_linearizable);
}

}  // namespace
}  // namespace faultline::check
