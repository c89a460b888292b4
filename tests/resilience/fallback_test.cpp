#include "faultline/resilience/fallback.hpp"

#include <gtest/gtest.h>

#include <string>

#include "faultline/core/manual_clock.hpp"
#include "faultline/core/manual_scheduler.hpp"

namespace faultline::resilience {
namespace {

TEST(Fallback, SuccessPassesThroughUntouched) {
  ManualClock clock;
  auto fallback = make_fallback([](const Status&) -> Result<std::string> { return std::string("cached"); });
  CallContext context(clock);
  Result<std::string> result = fallback->execute(context, [] { return Result<std::string>("fresh"); });
  EXPECT_EQ(*result, "fresh");
  EXPECT_EQ(fallback->fallbacks_total(), 0u);
}

TEST(Fallback, ErrorsBecomeTheHandlersAnswer) {
  ManualClock clock;
  auto fallback = make_fallback([](const Status& error) -> Result<std::string> {
    return "cached after " + std::string(status_code_name(error.code()));
  });
  CallContext context(clock);
  Result<std::string> result =
      fallback->execute(context, [] { return Result<std::string>(Status::unavailable("down")); });
  EXPECT_EQ(*result, "cached after unavailable");
  EXPECT_EQ(fallback->fallbacks_total(), 1u);
}

TEST(Fallback, OnlyHandlesWhatThePredicateAccepts) {
  ManualClock clock;
  auto fallback = make_fallback([](const Status&) { return Status(); },
                                [](const Status& s) { return s.transient(); });
  CallContext context(clock);
  EXPECT_TRUE(fallback->execute(context, [] { return Status::unavailable("x"); }).ok());
  EXPECT_EQ(fallback->execute(context, [] { return Status::not_found("x"); }).code(), StatusCode::not_found);
}

TEST(FallbackAsync, HandlesTheAsyncOutcome) {
  ManualScheduler scheduler;
  auto fallback = make_fallback([](const Status&) -> Result<int> { return -1; });
  int value = 0;
  fallback->async_execute<Result<int>>(
      AsyncCallContext(&scheduler),
      [](const AsyncCallContext&, Completion<Result<int>> done) { done(Status::internal("x")); },
      [&](Result<int> r) { value = *r; });
  EXPECT_EQ(value, -1);
}

}  // namespace
}  // namespace faultline::resilience
