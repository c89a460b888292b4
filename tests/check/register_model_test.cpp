// The register model, scenario by scenario. Each history is drawn as a
// timeline in its comment: time runs left to right, one row per process.
#include <gtest/gtest.h>

#include "check/history_builder.hpp"
#include "faultline/check/checker.hpp"
#include "faultline/check/register_model.hpp"

namespace faultline::check {
namespace {

using namespace testing;

Verdict verdict_of(const History& history) {
  Result<CheckResult> result = check_history(history, register_model());
  EXPECT_TRUE(result.ok()) << result.status();
  return result.ok() ? result->verdict : Verdict::unknown;
}

TEST(RegisterModel, SequentialWriteThenReadIsLinearizable) {
  // p0 |write 1|
  // p1          |read 1|
  EXPECT_EQ(verdict_of({invoke_write(0, "1"), ok_write(0, "1"), invoke_read(1), ok_read(1, "1")}),
            Verdict::linearizable);
}

TEST(RegisterModel, ReadOfUnwrittenRegisterIsNil) {
  EXPECT_EQ(verdict_of({invoke_read(0), ok_read(0, kNil)}), Verdict::linearizable);
  EXPECT_EQ(verdict_of({invoke_read(0), ok_read(0, "1")}), Verdict::not_linearizable);
}

TEST(RegisterModel, StaleReadAfterWriteCompletedIsNotLinearizable) {
  // p0 |write 1|        |write 2|
  // p1                             |read 1|   <- 2 was already written
  EXPECT_EQ(verdict_of({invoke_write(0, "1"), ok_write(0, "1"), invoke_write(0, "2"),
                        ok_write(0, "2"), invoke_read(1), ok_read(1, "1")}),
            Verdict::not_linearizable);
}

TEST(RegisterModel, ReadConcurrentWithWriteMaySeeEitherValue) {
  // p0 |write 1|
  // p0          |----write 2----|
  // p1             |read ?|
  for (const char* seen : {"1", "2"}) {
    EXPECT_EQ(verdict_of({invoke_write(0, "1"), ok_write(0, "1"), invoke_write(0, "2"),
                          invoke_read(1), ok_read(1, seen), ok_write(0, "2")}),
              Verdict::linearizable)
        << seen;
  }
}

TEST(RegisterModel, TwoReadersMustAgreeOnOrder) {
  // The classic: while write 2 is in flight, p1 reads 2 and then, strictly
  // later, p2 reads the older 1. Once a read saw 2, 1 cannot come back.
  // p0 |write 1|  |--------------write 2--------------|
  // p1                |read 2|
  // p2                         |read 1|
  EXPECT_EQ(verdict_of({invoke_write(0, "1"), ok_write(0, "1"), invoke_write(0, "2"),
                        invoke_read(1), ok_read(1, "2"), invoke_read(2), ok_read(2, "1"),
                        ok_write(0, "2")}),
            Verdict::not_linearizable);
}

TEST(RegisterModel, CasSucceedsOnlyFromExpectedValue) {
  EXPECT_EQ(verdict_of({invoke_write(0, "1"), ok_write(0, "1"), invoke_cas(0, "1", "2"),
                        ok_cas(0, "1", "2"), invoke_read(1), ok_read(1, "2")}),
            Verdict::linearizable);
  // A cas from 5 cannot have succeeded: the register never held 5.
  EXPECT_EQ(verdict_of({invoke_write(0, "1"), ok_write(0, "1"), invoke_cas(0, "5", "2"),
                        ok_cas(0, "5", "2")}),
            Verdict::not_linearizable);
}

TEST(RegisterModel, FailedCasHadNoEffect) {
  // p0's cas failed: it certainly did not happen, so the read still sees 1.
  EXPECT_EQ(verdict_of({invoke_write(0, "1"), ok_write(0, "1"), invoke_cas(0, "1", "2"),
                        fail_op(0, "cas"), invoke_read(1), ok_read(1, "1")}),
            Verdict::linearizable);
  // ... and if a later read saw the cas's value, something is wrong.
  EXPECT_EQ(verdict_of({invoke_write(0, "1"), ok_write(0, "1"), invoke_cas(0, "1", "2"),
                        fail_op(0, "cas"), invoke_read(1), ok_read(1, "2")}),
            Verdict::not_linearizable);
}

TEST(RegisterModel, InfoWriteMayTakeEffectLater) {
  // p0's write timed out (info). Long after, p1 reads 2: the write may have
  // landed late, so this is fine.
  EXPECT_EQ(verdict_of({invoke_write(0, "1"), ok_write(0, "1"), invoke_write(0, "2"),
                        info_op(0, "write"), invoke_read(1), ok_read(1, "1"), invoke_read(1),
                        ok_read(1, "2")}),
            Verdict::linearizable);
}

TEST(RegisterModel, InfoWriteMayNeverTakeEffect) {
  EXPECT_EQ(verdict_of({invoke_write(0, "1"), ok_write(0, "1"), invoke_write(0, "2"),
                        info_op(0, "write"), invoke_read(1), ok_read(1, "1")}),
            Verdict::linearizable);
}

TEST(RegisterModel, InfoWriteCannotTakeEffectBeforeItsInvoke) {
  // p1 read 2 before anyone invoked write 2.
  EXPECT_EQ(verdict_of({invoke_read(1), ok_read(1, "2"), invoke_write(0, "2"),
                        info_op(0, "write")}),
            Verdict::not_linearizable);
}

TEST(RegisterModel, UnfinishedInvokeIsTreatedAsInfo) {
  EXPECT_EQ(verdict_of({invoke_write(0, "3"), invoke_read(1), ok_read(1, "3")}),
            Verdict::linearizable);
}

TEST(RegisterModel, InfoCasThatCouldNotApplyHasNoEffect) {
  // The register holds 1; an info cas 7->8 cannot have swapped.
  EXPECT_EQ(verdict_of({invoke_write(0, "1"), ok_write(0, "1"), invoke_cas(0, "7", "8"),
                        info_op(0, "cas"), invoke_read(1), ok_read(1, "1")}),
            Verdict::linearizable);
  EXPECT_EQ(verdict_of({invoke_write(0, "1"), ok_write(0, "1"), invoke_cas(0, "7", "8"),
                        info_op(0, "cas"), invoke_read(1), ok_read(1, "8")}),
            Verdict::not_linearizable);
}

TEST(RegisterModel, RejectsKvFunctions) {
  Result<CheckResult> result =
      check_history({Event::invoke(0, "put", "x", Value("1")), Event::ok(0, "put", "x", Value("1"))},
                    register_model());
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.status().message().find("read/write/cas"), std::string_view::npos);
}

}  // namespace
}  // namespace faultline::check
