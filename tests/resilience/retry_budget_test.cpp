#include "faultline/resilience/retry_budget.hpp"

#include <gtest/gtest.h>

#include "faultline/resilience/config_error.hpp"

namespace faultline::resilience {
namespace {

TEST(RetryBudget, StartsFullAndAllowsRetries) {
  RetryBudget budget(RetryBudgetConfig{.max_tokens = 10, .token_ratio = 0.1});
  EXPECT_DOUBLE_EQ(budget.tokens(), 10);
  EXPECT_TRUE(budget.retry_allowed());
}

TEST(RetryBudget, FailuresDrainItUntilRetriesStopAtHalf) {
  RetryBudget budget(RetryBudgetConfig{.max_tokens = 10, .token_ratio = 0.1});
  for (int i = 0; i < 4; ++i) budget.record_failure();
  EXPECT_DOUBLE_EQ(budget.tokens(), 6);
  EXPECT_TRUE(budget.retry_allowed());
  budget.record_failure();  // 5 tokens: not more than half
  EXPECT_FALSE(budget.retry_allowed());
  for (int i = 0; i < 100; ++i) budget.record_failure();
  EXPECT_DOUBLE_EQ(budget.tokens(), 0);
}

TEST(RetryBudget, SuccessesRefillByTheRatioUpToTheMax) {
  RetryBudget budget(RetryBudgetConfig{.max_tokens = 10, .token_ratio = 0.1});
  for (int i = 0; i < 5; ++i) budget.record_failure();
  EXPECT_FALSE(budget.retry_allowed());
  budget.record_success();
  EXPECT_DOUBLE_EQ(budget.tokens(), 5.1);
  EXPECT_TRUE(budget.retry_allowed());
  for (int i = 0; i < 1000; ++i) budget.record_success();
  EXPECT_DOUBLE_EQ(budget.tokens(), 10);
}

TEST(RetryBudget, InvalidConfigsAreRejectedWithTheFieldNamed) {
  EXPECT_THROW(RetryBudget(RetryBudgetConfig{.max_tokens = 0}), ConfigError);
  EXPECT_THROW(RetryBudget(RetryBudgetConfig{.max_tokens = 10, .token_ratio = -1}), ConfigError);
  EXPECT_THROW(RetryBudget(RetryBudgetConfig{.max_tokens = 10, .token_ratio = 11}), ConfigError);
  try {
    RetryBudget budget(RetryBudgetConfig{.max_tokens = -3});
    FAIL() << "accepted a negative max_tokens";
  } catch (const ConfigError& error) {
    EXPECT_NE(std::string(error.what()).find("retry_budget.max_tokens"), std::string::npos);
  }
}

}  // namespace
}  // namespace faultline::resilience
