#include "demo/protected_client.hpp"

#include <algorithm>
#include <utility>

#include "demo/text_format.hpp"
#include "faultline/resilience/backoff.hpp"
#include "faultline/resilience/rejection.hpp"
#include "faultline/tracing/current_context.hpp"

#include <fmt/format.h>

namespace faultline::demo {
namespace {

using namespace std::chrono_literals;
namespace rs = faultline::resilience;

std::shared_ptr<rs::RetryBudget> make_budget(const ProtectedClientConfig& c) {
  return std::make_shared<rs::RetryBudget>(rs::RetryBudgetConfig{
      .max_tokens = c.budget_max_tokens, .token_ratio = c.budget_token_ratio});
}

std::shared_ptr<rs::Retry> make_retry(const ProtectedClientConfig& c, const Clock& clock,
                                      std::shared_ptr<rs::RetryBudget> budget) {
  rs::RetryConfig config;
  config.name = "retry";
  config.max_attempts = c.max_attempts;
  config.backoff = rs::Backoff::exponential(c.backoff_initial, 2.0)
                       .with_jitter(rs::Jitter::full)
                       .with_max_delay(c.backoff_max);
  // An open breaker already answered: retrying it would only wait out the
  // open period inside the caller's deadline. Fail fast instead.
  config.retry_on = [](const Status& status) {
    return status.transient() && !rs::is_rejection(status, rs::kReasonCircuitOpen);
  };
  config.honour_retry_after = true;
  config.budget = std::move(budget);
  config.seed = c.seed;
  return std::make_shared<rs::Retry>(std::move(config), clock);
}

std::shared_ptr<rs::CircuitBreaker> make_breaker(const ProtectedClientConfig& c,
                                                 const Clock& clock) {
  rs::CircuitBreakerConfig config;
  config.name = "protected";
  config.window_type = rs::SlidingWindowType::count_based;
  config.window_size = c.breaker_window_calls;
  config.minimum_calls = c.breaker_minimum_calls;
  config.failure_rate_threshold_percent = c.breaker_failure_rate_percent;
  config.wait_in_open = rs::OpenWait::fixed(c.breaker_wait_in_open);
  config.permitted_calls_in_half_open = c.breaker_probes;
  return std::make_shared<rs::CircuitBreaker>(std::move(config), clock);
}

}  // namespace

ProtectedClientConfig ProtectedClientConfig::for_run(Duration run_length, std::uint64_t seed) {
  ProtectedClientConfig config;
  config.breaker_wait_in_open = std::clamp<Duration>(run_length / 60, 250ms, 1s);
  config.seed = seed;
  return config;
}

std::string ProtectedClientConfig::describe() const {
  return fmt::format(
      "total timeout {} > retry ({} attempts, backoff {}..{} full jitter, budget {:g} tokens) > "
      "breaker (opens at {:g}% failures of the last {} attempts, stays open {}, {} probes) > "
      "attempt timeout {}",
      format_duration(total_timeout), max_attempts, format_duration(backoff_initial),
      format_duration(backoff_max), budget_max_tokens, breaker_failure_rate_percent,
      breaker_window_calls, format_duration(breaker_wait_in_open), breaker_probes,
      format_duration(attempt_timeout));
}

ProtectedClient::ProtectedClient(HttpClient http, const Clock& clock, Scheduler& canceller,
                                 ProtectedClientConfig config)
    : http_(std::move(http)),
      clock_(clock),
      config_(config),
      budget_(make_budget(config_)),
      retry_(make_retry(config_, clock, budget_)),
      breaker_(make_breaker(config_, clock)),
      pipeline_(clock,
                std::make_shared<rs::Timeout>(
                    rs::TimeoutConfig{.timeout = config_.total_timeout, .name = "total"}, clock,
                    &canceller),
                retry_, breaker_,
                std::make_shared<rs::Timeout>(
                    rs::TimeoutConfig{.timeout = config_.attempt_timeout, .name = "attempt"}, clock,
                    &canceller)) {}

Result<HttpReply> ProtectedClient::get(std::uint64_t request_id, std::stop_token stop) const {
  rs::CallContext context(clock_, TimePoint::max(), std::move(stop));
  std::uint32_t attempt = 0;
  if (tracer_ == nullptr) {
    return pipeline_.execute(context, [&](rs::CallContext& call) -> Result<HttpReply> {
      ++attempt;
      return http_.get("/", call.deadline(), call.stop_token(), RequestTag{request_id, attempt});
    });
  }
  namespace tr = faultline::tracing;
  tr::Span request = tracer_->start_span(fmt::format("request {}: GET /", request_id), {.root = true});
  request.set_attribute("faultline.request_id", static_cast<std::int64_t>(request_id));
  const tr::ContextScope in_request(request.context());
  auto reply = pipeline_.execute(context, [&](rs::CallContext& call) -> Result<HttpReply> {
    ++attempt;
    tr::Span span = tracer_->start_span(fmt::format("attempt {}: GET /", attempt), {.kind = tr::SpanKind::client});
    span.set_attribute("faultline.attempt", static_cast<std::int64_t>(attempt));
    const tr::ContextScope in_attempt(span.context());
    auto result = http_.get("/", call.deadline(), call.stop_token(), RequestTag{request_id, attempt});
    if (!result.ok()) span.set_status(tr::SpanStatusCode::error, result.status().message());
    return result;
  });
  request.set_attribute("faultline.attempts", static_cast<std::int64_t>(attempt));
  if (!reply.ok()) request.set_status(tr::SpanStatusCode::error, reply.status().message());
  return reply;
}

rs::CircuitState ProtectedClient::breaker_state() const { return breaker_->state(); }

bool ProtectedClient::retries_allowed() const { return budget_->retry_allowed(); }

rs::EventHub<rs::CircuitBreakerEvent>& ProtectedClient::breaker_events() {
  return breaker_->events();
}

rs::EventHub<rs::RetryEvent>& ProtectedClient::retry_events() { return retry_->events(); }

}  // namespace faultline::demo
