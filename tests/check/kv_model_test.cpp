// The kv model: get / put / append / cas per key, checked per key.
#include <gtest/gtest.h>

#include "check/history_builder.hpp"
#include "faultline/check/checker.hpp"
#include "faultline/check/kv_model.hpp"
#include "faultline/check/partition.hpp"

namespace faultline::check {
namespace {

using namespace testing;

Result<CheckResult> check_kv(const History& history) { return check_history(history, kv_model()); }

Verdict verdict_of(const History& history) {
  Result<CheckResult> result = check_kv(history);
  EXPECT_TRUE(result.ok()) << result.status();
  return result.ok() ? result->verdict : Verdict::unknown;
}

TEST(KvModel, PutThenGetSeesTheValue) {
  EXPECT_EQ(verdict_of({invoke_put(0, "x", "1"), ok_put(0, "x", "1"), invoke_get(1, "x"),
                        ok_get(1, "x", "1")}),
            Verdict::linearizable);
}

TEST(KvModel, GetOfAbsentKeyIsNil) {
  EXPECT_EQ(verdict_of({invoke_get(0, "x"), ok_get(0, "x", kNil)}), Verdict::linearizable);
}

TEST(KvModel, KeysAreIndependent) {
  // A put on y says nothing about x: the get of x still sees nil.
  EXPECT_EQ(verdict_of({invoke_put(0, "y", "1"), ok_put(0, "y", "1"), invoke_get(1, "x"),
                        ok_get(1, "x", kNil)}),
            Verdict::linearizable);
  // But a get of x that sees y's value is wrong.
  EXPECT_EQ(verdict_of({invoke_put(0, "y", "1"), ok_put(0, "y", "1"), invoke_get(1, "x"),
                        ok_get(1, "x", "1")}),
            Verdict::not_linearizable);
}

TEST(KvModel, AppendConcatenatesInOrder) {
  // p0 |append x a|  |append x b|
  // p1                            |get x -> ab|
  EXPECT_EQ(verdict_of({invoke_append(0, "x", "a"), ok_append(0, "x", "a"),
                        invoke_append(0, "x", "b"), ok_append(0, "x", "b"), invoke_get(1, "x"),
                        ok_get(1, "x", "ab")}),
            Verdict::linearizable);
  // "ba" would need b before a, but a completed before b was invoked.
  EXPECT_EQ(verdict_of({invoke_append(0, "x", "a"), ok_append(0, "x", "a"),
                        invoke_append(0, "x", "b"), ok_append(0, "x", "b"), invoke_get(1, "x"),
                        ok_get(1, "x", "ba")}),
            Verdict::not_linearizable);
}

TEST(KvModel, ConcurrentAppendsMayLandInEitherOrder) {
  // p0 |---append x a---|
  // p1    |---append x b---|
  // p2                       |get x -> ba|
  EXPECT_EQ(verdict_of({invoke_append(0, "x", "a"), invoke_append(1, "x", "b"),
                        ok_append(0, "x", "a"), ok_append(1, "x", "b"), invoke_get(2, "x"),
                        ok_get(2, "x", "ba")}),
            Verdict::linearizable);
}

TEST(KvModel, CasPerKey) {
  EXPECT_EQ(verdict_of({invoke_put(0, "x", "1"), ok_put(0, "x", "1"),
                        invoke_kv_cas(1, "x", "1", "2"), ok_kv_cas(1, "x", "1", "2"),
                        invoke_get(0, "x"), ok_get(0, "x", "2")}),
            Verdict::linearizable);
  // Two cas from 1 cannot both succeed.
  EXPECT_EQ(verdict_of({invoke_put(0, "x", "1"), ok_put(0, "x", "1"),
                        invoke_kv_cas(1, "x", "1", "2"), invoke_kv_cas(2, "x", "1", "3"),
                        ok_kv_cas(1, "x", "1", "2"), ok_kv_cas(2, "x", "1", "3")}),
            Verdict::not_linearizable);
}

TEST(KvModel, InfoPutMayOrMayNotHappen) {
  for (const char* seen : {"1", "2"}) {
    EXPECT_EQ(verdict_of({invoke_put(0, "x", "1"), ok_put(0, "x", "1"), invoke_put(0, "x", "2"),
                          info_op(0, "put", "x"), invoke_get(1, "x"), ok_get(1, "x", seen)}),
              Verdict::linearizable)
        << seen;
  }
}

TEST(KvModel, FailedPutNeverHappened) {
  EXPECT_EQ(verdict_of({invoke_put(0, "x", "1"), fail_op(0, "put", "x"), invoke_get(1, "x"),
                        ok_get(1, "x", "1")}),
            Verdict::not_linearizable);
}

TEST(KvModel, PartitionsPerKeyInKeyOrder) {
  Result<std::vector<Operation>> ops = pair_operations(
      {invoke_put(0, "b", "1"), ok_put(0, "b", "1"), invoke_put(0, "a", "1"), ok_put(0, "a", "1"),
       invoke_get(1, "b"), ok_get(1, "b", "1")});
  ASSERT_TRUE(ops.ok());
  Result<std::vector<Partition>> parts = partition_operations(*ops, kv_model());
  ASSERT_TRUE(parts.ok()) << parts.status();
  ASSERT_EQ(parts->size(), 2u);
  EXPECT_EQ((*parts)[0].key, "a");
  EXPECT_EQ((*parts)[0].operations.size(), 1u);
  EXPECT_EQ((*parts)[1].key, "b");
  EXPECT_EQ((*parts)[1].operations.size(), 2u);
}

TEST(KvModel, OnlyTheFailingKeyIsReported) {
  Result<CheckResult> result =
      check_kv({invoke_put(0, "a", "1"), ok_put(0, "a", "1"), invoke_put(0, "b", "1"),
                ok_put(0, "b", "1"), invoke_get(1, "b"), ok_get(1, "b", "7")});
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->verdict, Verdict::not_linearizable);
  EXPECT_EQ(result->failing_key, "b");
  ASSERT_EQ(result->partitions.size(), 2u);
  EXPECT_EQ(result->partitions[0].outcome.verdict, Verdict::linearizable);
  EXPECT_EQ(result->partitions[1].outcome.verdict, Verdict::not_linearizable);
}

TEST(KvModel, RejectsRegisterFunctionsNamingTheLine) {
  Event invoke = Event::invoke(0, "write", "x", Value("1"));
  invoke.line = 4;
  Result<CheckResult> result = check_kv({invoke, Event::ok(0, "write", "x", Value("1"))});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().message().substr(0, 7), "line 4:");
}

}  // namespace
}  // namespace faultline::check
