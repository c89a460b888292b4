#include "faultline/health/call_result.hpp"

#include "faultline/resilience/rejection.hpp"

namespace faultline::health {

CallOutcome classify(const Status& status) noexcept {
  if (status.ok()) return CallOutcome::success;
  const std::string_view reason = status.reason();
  if (reason == resilience::kReasonTimeout) return CallOutcome::failure;
  for (std::string_view local : {resilience::kReasonCircuitOpen, resilience::kReasonBulkheadFull,
                                 resilience::kReasonRateLimited, resilience::kReasonConcurrencyLimited,
                                 resilience::kReasonClientThrottled,
                                 resilience::kReasonRetryBudgetExhausted, resilience::kReasonCancelled}) {
    if (reason == local) return CallOutcome::ignored;
  }
  return status.transient() ? CallOutcome::failure : CallOutcome::success;
}

}  // namespace faultline::health
