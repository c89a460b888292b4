// Rejections: the distinct errors a policy answers instead of calling.
//
// A policy that refuses a call (an open breaker, a full bulkhead, an empty
// rate limiter or retry budget, an expired deadline) fails fast with a Status
// whose reason() names the policy's cause, so callers and metrics can tell
// "the breaker refused" from "the server said unavailable". Codes follow the
// error model: an open breaker is `unavailable` (it will heal, and it says
// when through retry_after()); a full bulkhead, rate limiter or adaptive
// concurrency limit, and a client-side throttle, are `resource_exhausted`; a timeout is `deadline_exceeded`.
//
//   if (is_rejection(status, kReasonCircuitOpen)) show_degraded_page();
//
// Thread-safety: pure functions and constants.
#pragma once

#include <string_view>

#include "faultline/core/status.hpp"

namespace faultline::resilience {

inline constexpr std::string_view kReasonCircuitOpen = "CIRCUIT_OPEN";
inline constexpr std::string_view kReasonBulkheadFull = "BULKHEAD_FULL";
inline constexpr std::string_view kReasonRateLimited = "RATE_LIMITED";
inline constexpr std::string_view kReasonConcurrencyLimited = "CONCURRENCY_LIMITED";
inline constexpr std::string_view kReasonClientThrottled = "CLIENT_THROTTLED";
inline constexpr std::string_view kReasonRetryBudgetExhausted = "RETRY_BUDGET_EXHAUSTED";
inline constexpr std::string_view kReasonTimeout = "TIMEOUT";
inline constexpr std::string_view kReasonCancelled = "CANCELLED";

[[nodiscard]] inline bool is_rejection(const Status& status, std::string_view reason) noexcept {
  return !status.ok() && status.reason() == reason;
}

}  // namespace faultline::resilience
