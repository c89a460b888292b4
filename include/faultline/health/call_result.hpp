// CallResult: what the outlier detector learns from one real call to an
// endpoint, and how a Status becomes one.
//
// Passive health checking counts what the caller's traffic already tells
// it. A call that reached the endpoint and was answered (even with a
// caller's error, like an HTTP 404) says the endpoint works; a call the
// endpoint failed (unavailable, internal, deadline_exceeded,
// resource_exhausted: HTTP 5xx, connection refused, timeout) says it may
// not; a call a local policy refused (an open breaker, a full bulkhead: a
// Status with a resilience rejection reason) never reached it and says
// nothing, so it is ignored.
//
// Thread-safety: value types and pure functions.
#pragma once

#include <cstdint>
#include <optional>

#include "faultline/core/clock.hpp"
#include "faultline/core/status.hpp"

namespace faultline::health {

enum class CallOutcome : std::uint8_t { success, failure, ignored };

struct CallResult {
  CallOutcome outcome = CallOutcome::success;
  // How long the call took, when known; with the detector's
  // slow_call_threshold a slow success counts as a failure.
  std::optional<Duration> latency = {};

  static CallResult success(std::optional<Duration> latency = {}) {
    return {CallOutcome::success, latency};
  }
  static CallResult failure(std::optional<Duration> latency = {}) {
    return {CallOutcome::failure, latency};
  }
};

// ok -> success. A local policy's refusal (reason CIRCUIT_OPEN,
// BULKHEAD_FULL, RATE_LIMITED, CONCURRENCY_LIMITED, CLIENT_THROTTLED,
// RETRY_BUDGET_EXHAUSTED, CANCELLED) -> ignored. The attempt timeout's
// TIMEOUT is the one local verdict about the endpoint (it did not answer
// in time) -> failure. Otherwise a transient code (is_transient) ->
// failure, and any other code (the caller's mistake: invalid_argument,
// not_found, ...) -> success, as Envoy counts a 4xx.
[[nodiscard]] CallOutcome classify(const Status& status) noexcept;

[[nodiscard]] inline CallResult to_call_result(const Status& status,
                                               std::optional<Duration> latency = {}) {
  return {classify(status), latency};
}

}  // namespace faultline::health
