#include "faultline/core/status.hpp"

#include <gtest/gtest.h>

#include "faultline/core/result.hpp"

namespace faultline {
namespace {

TEST(Status, DefaultIsOkAndCarriesNothing) {
  const Status status;
  EXPECT_TRUE(status.ok());
  EXPECT_EQ(status.code(), StatusCode::ok);
  EXPECT_TRUE(status.message().empty());
  EXPECT_FALSE(status.retry_after().has_value());
  EXPECT_EQ(status.to_string(), "ok");
}

TEST(Status, ErrorKeepsCodeMessageHintAndReason) {
  Status status = Status::unavailable("peer 3 refused").with_retry_after(std::chrono::seconds(2));
  status.with_reason("CIRCUIT_OPEN");
  EXPECT_FALSE(status.ok());
  EXPECT_EQ(status.code(), StatusCode::unavailable);
  EXPECT_EQ(status.message(), "peer 3 refused");
  EXPECT_EQ(status.retry_after(), std::chrono::nanoseconds(std::chrono::seconds(2)));
  EXPECT_EQ(status.reason(), "CIRCUIT_OPEN");
  EXPECT_EQ(status.to_string(), "unavailable: peer 3 refused");
}

TEST(Status, CopiesAreDeepAndIndependent) {
  Status original = Status::internal("boom");
  Status copy = original;
  copy.with_reason("X");
  EXPECT_EQ(original.reason(), "");
  EXPECT_EQ(copy.message(), "boom");
  copy = Status();
  EXPECT_TRUE(copy.ok());
  EXPECT_EQ(original.message(), "boom");
}

TEST(Status, HintsOnOkStatusAreIgnoredAndNegativeHintsClampToZero) {
  Status ok;
  ok.with_retry_after(std::chrono::seconds(1)).with_reason("R");
  EXPECT_TRUE(ok.ok());
  EXPECT_FALSE(ok.retry_after().has_value());
  const Status late = Status::unavailable("x").with_retry_after(std::chrono::seconds(-5));
  EXPECT_EQ(late.retry_after(), std::chrono::nanoseconds::zero());
}

TEST(Status, TransientClassificationMatchesTheErrorModel) {
  const StatusCode transient[] = {StatusCode::unavailable, StatusCode::deadline_exceeded,
                                  StatusCode::resource_exhausted, StatusCode::internal};
  int transient_count = 0;
  for (int i = 0; i < kStatusCodeCount; ++i) {
    const auto code = static_cast<StatusCode>(i);
    bool expected = false;
    for (auto t : transient) expected = expected || t == code;
    EXPECT_EQ(is_transient(code), expected) << status_code_name(code);
    transient_count += is_transient(code) ? 1 : 0;
  }
  EXPECT_EQ(transient_count, 4);
  EXPECT_FALSE(is_transient(StatusCode::aborted));
  EXPECT_FALSE(is_transient(StatusCode::invalid_argument));
}

TEST(Status, CodeNamesAreDistinctAndInvalidCodesAreNamed) {
  EXPECT_EQ(status_code_name(StatusCode::deadline_exceeded), "deadline_exceeded");
  EXPECT_EQ(status_code_name(static_cast<StatusCode>(200)), "invalid_code");
}

TEST(Result, HoldsValueOrError) {
  Result<int> value = 7;
  ASSERT_TRUE(value.ok());
  EXPECT_EQ(*value, 7);
  EXPECT_TRUE(value.status().ok());

  Result<int> error = Status::not_found("no such key");
  ASSERT_FALSE(error.ok());
  EXPECT_EQ(error.status().code(), StatusCode::not_found);
  EXPECT_EQ(error.value_or(3), 3);
}

TEST(Result, BuiltFromOkStatusBecomesInternalError) {
  Result<int> wrong = Status();
  EXPECT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.status().code(), StatusCode::internal);
}

TEST(ResultDeathTest, ReadingTheValueOfAnErrorAborts) {
  Result<int> error = Status::not_found("x");
  EXPECT_DEATH((void)error.value(), "Result::value\\(\\) on an error");
}

}  // namespace
}  // namespace faultline
