#include "faultline/core/http_status.hpp"

#include <gtest/gtest.h>

namespace faultline {
namespace {

TEST(HttpStatus, FourHundredsArePermanentExcept408And429) {
  for (int s = 400; s < 500; ++s) {
    const bool expected = s == 408 || s == 429;
    EXPECT_EQ(is_transient_http_status(s), expected) << s;
    EXPECT_EQ(is_transient(status_code_from_http(s)), expected) << s;
  }
}

TEST(HttpStatus, FiveHundredsAreTransientExcept501) {
  for (int s = 500; s < 600; ++s) {
    EXPECT_EQ(is_transient_http_status(s), s != 501) << s;
    EXPECT_EQ(is_transient(status_code_from_http(s)), s != 501) << s;
  }
}

TEST(HttpStatus, EveryStatusAgreesWithTheCodeClassification) {
  for (int s = 0; s < 1000; ++s) {
    EXPECT_EQ(is_transient_http_status(s), is_transient(status_code_from_http(s))) << s;
  }
}

TEST(HttpStatus, WellKnownMappings) {
  EXPECT_EQ(status_code_from_http(200), StatusCode::ok);
  EXPECT_EQ(status_code_from_http(204), StatusCode::ok);
  EXPECT_EQ(status_code_from_http(404), StatusCode::not_found);
  EXPECT_EQ(status_code_from_http(409), StatusCode::aborted);
  EXPECT_EQ(status_code_from_http(429), StatusCode::resource_exhausted);
  EXPECT_EQ(status_code_from_http(503), StatusCode::unavailable);
  EXPECT_EQ(status_code_from_http(504), StatusCode::deadline_exceeded);
  EXPECT_EQ(status_code_from_http(302), StatusCode::unknown);
  EXPECT_TRUE(status_from_http(201, "created").ok());
  EXPECT_EQ(status_from_http(503, "busy").message(), "busy");
}

TEST(HttpStatus, ServerSideMappingRoundTripsTheCommonCodes) {
  for (auto code : {StatusCode::ok, StatusCode::invalid_argument, StatusCode::not_found,
                    StatusCode::resource_exhausted, StatusCode::unimplemented,
                    StatusCode::internal, StatusCode::unavailable, StatusCode::unauthenticated,
                    StatusCode::permission_denied, StatusCode::deadline_exceeded}) {
    EXPECT_EQ(status_code_from_http(http_status_from_code(code)), code) << code;
  }
}

class RetryAfter : public ::testing::Test {
 protected:
  // 2015-10-21T07:28:00Z
  const std::chrono::system_clock::time_point now{std::chrono::seconds(1445412480)};
};

TEST_F(RetryAfter, ParsesDeltaSeconds) {
  EXPECT_EQ(parse_retry_after("120", now), std::chrono::nanoseconds(std::chrono::seconds(120)));
  EXPECT_EQ(parse_retry_after(" 0 ", now), std::chrono::nanoseconds::zero());
}

TEST_F(RetryAfter, ParsesHttpDateAgainstNow) {
  EXPECT_EQ(parse_retry_after("Wed, 21 Oct 2015 07:28:30 GMT", now),
            std::chrono::nanoseconds(std::chrono::seconds(30)));
  EXPECT_EQ(parse_retry_after("Wed, 21 Oct 2015 07:00:00 GMT", now),
            std::chrono::nanoseconds::zero());
}

TEST_F(RetryAfter, CapsHostileDelaysAtOneDay) {
  EXPECT_EQ(parse_retry_after("99999999999999999999999", now),
            std::chrono::nanoseconds(std::chrono::hours(24)));
  EXPECT_EQ(parse_retry_after("Fri, 01 Jan 2100 00:00:00 GMT", now),
            std::chrono::nanoseconds(std::chrono::hours(24)));
}

TEST_F(RetryAfter, RejectsMalformedValues) {
  for (const char* bad : {"", "  ", "-1", "1.5", "12abc", "soon", "Wed, 21 Oct 2015 07:28:00 UTC",
                          "Wed, 32 Oct 2015 07:28:00 GMT", "Wed, 21 Foo 2015 07:28:00 GMT",
                          "Wed, 21 Oct 2015 25:28:00 GMT", "Wed 21 Oct 2015 07:28:00 GMT"}) {
    EXPECT_FALSE(parse_retry_after(bad, now).has_value()) << '"' << bad << '"';
  }
}

}  // namespace
}  // namespace faultline
