#include "faultline/resilience/retry_budget.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "faultline/resilience/config_error.hpp"

namespace faultline::resilience {

Status RetryBudgetConfig::validate() const {
  if (!std::isfinite(max_tokens) || max_tokens <= 0 || max_tokens > 1000) {
    return Status::invalid_argument("retry_budget.max_tokens must be in (0, 1000], got " +
                                    std::to_string(max_tokens));
  }
  if (!std::isfinite(token_ratio) || token_ratio <= 0 || token_ratio > max_tokens) {
    return Status::invalid_argument("retry_budget.token_ratio must be in (0, max_tokens], got " +
                                    std::to_string(token_ratio));
  }
  return Status();
}

RetryBudget::RetryBudget(RetryBudgetConfig config) : config_(config) {
  throw_if_invalid(config_.validate());
  max_milli_ = std::llround(config_.max_tokens * kScale);
  ratio_milli_ = std::max<std::int64_t>(1, std::llround(config_.token_ratio * kScale));
  milli_tokens_.store(max_milli_, std::memory_order_relaxed);
}

void RetryBudget::record_success() noexcept {
  std::int64_t current = milli_tokens_.load(std::memory_order_relaxed);
  // A full bucket, the common case, costs one load and no write.
  while (current < max_milli_) {
    const std::int64_t next = std::min(max_milli_, current + ratio_milli_);
    if (milli_tokens_.compare_exchange_weak(current, next, std::memory_order_relaxed)) return;
  }
}

void RetryBudget::record_failure() noexcept {
  std::int64_t current = milli_tokens_.load(std::memory_order_relaxed);
  while (current > 0) {
    const std::int64_t next = std::max<std::int64_t>(0, current - kScale);
    if (milli_tokens_.compare_exchange_weak(current, next, std::memory_order_relaxed)) return;
  }
}

bool RetryBudget::retry_allowed() const noexcept {
  return milli_tokens_.load(std::memory_order_relaxed) * 2 > max_milli_;
}

double RetryBudget::tokens() const noexcept {
  return static_cast<double>(milli_tokens_.load(std::memory_order_relaxed)) / kScale;
}

}  // namespace faultline::resilience
