// The whole resilience module in one include.
//
// Policies for calls that cross a network: retry with backoff and a shared
// budget, circuit breaker, timeout, bulkhead, rate limiter, hedging,
// fallback, adaptive concurrency limits and client-side throttling, and the
// pipeline that composes them. See docs/resilience.md.
//
// Thread-safety: see each policy's header; every policy may be shared.
#pragma once

#include "faultline/resilience/adaptive_concurrency_limiter.hpp"
#include "faultline/resilience/adaptive_throttle.hpp"
#include "faultline/resilience/aimd_limit.hpp"
#include "faultline/resilience/backoff.hpp"
#include "faultline/resilience/bulkhead.hpp"
#include "faultline/resilience/call_context.hpp"
#include "faultline/resilience/circuit_breaker.hpp"
#include "faultline/resilience/fallback.hpp"
#include "faultline/resilience/gradient_limit.hpp"
#include "faultline/resilience/hedging.hpp"
#include "faultline/resilience/pipeline.hpp"
#include "faultline/resilience/rate_limiter.hpp"
#include "faultline/resilience/rejection.hpp"
#include "faultline/resilience/retry.hpp"
#include "faultline/resilience/retry_budget.hpp"
#include "faultline/resilience/timeout.hpp"
#include "faultline/resilience/vegas_limit.hpp"
