#include "faultline/resilience/backoff.hpp"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

namespace faultline::resilience {
namespace {

using namespace std::chrono_literals;

TEST(Backoff, ConstantLinearAndExponentialBaseDelays) {
  const auto constant = Backoff::constant(100ms);
  EXPECT_EQ(constant.base_delay(1), 100ms);
  EXPECT_EQ(constant.base_delay(7), 100ms);

  const auto linear = Backoff::linear(100ms, 50ms);
  EXPECT_EQ(linear.base_delay(1), 100ms);
  EXPECT_EQ(linear.base_delay(2), 150ms);
  EXPECT_EQ(linear.base_delay(5), 300ms);

  const auto exponential = Backoff::exponential(100ms, 2.0);
  EXPECT_EQ(exponential.base_delay(1), 100ms);
  EXPECT_EQ(exponential.base_delay(2), 200ms);
  EXPECT_EQ(exponential.base_delay(4), 800ms);
}

TEST(Backoff, MaxDelayCapsEveryStrategyWithoutOverflow) {
  const auto exponential = Backoff::exponential(100ms, 2.0).with_max_delay(1s);
  EXPECT_EQ(exponential.base_delay(4), 800ms);
  EXPECT_EQ(exponential.base_delay(5), 1s);
  EXPECT_EQ(exponential.base_delay(5000), 1s);  // 2^4999 would overflow anything
  EXPECT_EQ(Backoff::linear(1s, 1s).with_max_delay(3s).base_delay(100), 3s);
}

TEST(Backoff, NoJitterIsExactlyTheBase) {
  Random random(1);
  const auto backoff = Backoff::exponential(10ms, 3.0);
  EXPECT_EQ(backoff.delay(3, Duration::zero(), random), 90ms);
}

TEST(Backoff, SameSeedSameJitter) {
  const auto backoff = Backoff::exponential(10ms).with_jitter(Jitter::full);
  Random a(5);
  Random b(5);
  for (std::uint32_t retry = 1; retry < 10; ++retry) {
    EXPECT_EQ(backoff.delay(retry, Duration::zero(), a), backoff.delay(retry, Duration::zero(), b));
  }
}

RC_GTEST_PROP(Backoff, JitteredDelaysStayWithinTheirBounds,
              (std::uint64_t seed, std::uint32_t retry_raw, std::uint32_t initial_ms_raw)) {
  const std::uint32_t retry = 1 + retry_raw % 40;
  const Duration initial = std::chrono::milliseconds(1 + initial_ms_raw % 1000);
  const Duration cap = 20s;
  Random random(seed);
  const auto base = Backoff::exponential(initial, 2.0).with_max_delay(cap);
  const Duration expected_base = base.base_delay(retry);

  const Duration full = base.with_jitter(Jitter::full).delay(retry, Duration::zero(), random);
  RC_ASSERT(full >= Duration::zero());
  RC_ASSERT(full <= expected_base);

  const Duration equal = base.with_jitter(Jitter::equal).delay(retry, Duration::zero(), random);
  RC_ASSERT(equal >= expected_base / 2);
  RC_ASSERT(equal <= expected_base);

  const Duration previous(*rc::gen::inRange<std::int64_t>(0, 30'000'000'000));
  const Duration decorrelated = base.with_jitter(Jitter::decorrelated).delay(retry, previous, random);
  RC_ASSERT(decorrelated >= initial);
  RC_ASSERT(decorrelated <= cap);
  RC_ASSERT(decorrelated <= std::max(initial, 3 * std::max(previous, initial)));
}

TEST(Backoff, ValidationNamesTheField) {
  EXPECT_TRUE(Backoff::exponential(10ms).validate().ok());
  const Status negative = Backoff::constant(-1ms).validate();
  EXPECT_EQ(negative.code(), StatusCode::invalid_argument);
  EXPECT_NE(negative.message().find("initial_delay"), std::string_view::npos);
  EXPECT_NE(Backoff::exponential(10ms, 0.5).validate().message().find("multiplier"), std::string_view::npos);
  EXPECT_NE(Backoff::exponential(10ms, std::nan("")).validate().message().find("multiplier"),
            std::string_view::npos);
  EXPECT_NE(Backoff::linear(10ms, -1ms).validate().message().find("increment"), std::string_view::npos);
  EXPECT_NE(Backoff::constant(1s).with_max_delay(10ms).validate().message().find("max_delay"),
            std::string_view::npos);
}

}  // namespace
}  // namespace faultline::resilience
