// RetryBudget: a token bucket, shared by many calls, that stops retries
// when too many calls fail.
//
// Retries multiply load exactly when a service is weakest: with three
// attempts, an outage triples the traffic that hits it. A budget shared by
// all calls of a client (or a fleet's worth of clients) bounds that: as in
// gRPC's retry throttling, every failed attempt takes one token, every
// success returns `token_ratio` tokens, and retries are allowed only while
// more than half of `max_tokens` remain. When a backend is down, clients
// fall back to one attempt per call; when it heals, successes refill the
// bucket and retries resume.
//
//   auto budget = std::make_shared<RetryBudget>(RetryBudgetConfig{.max_tokens = 10, .token_ratio = 0.1});
//   RetryConfig config; config.budget = budget;   // share it between Retry policies
//
// Thread-safety: lock-free; every member is safe from any thread.
#pragma once

#include <atomic>
#include <cstdint>

#include "faultline/core/status.hpp"

namespace faultline::resilience {

struct RetryBudgetConfig {
  double max_tokens = 10;    // in (0, 1000]
  double token_ratio = 0.1;  // tokens a success returns; in (0, max_tokens]
  [[nodiscard]] Status validate() const;
};

class RetryBudget {
 public:
  // Throws ConfigError if config.validate() fails. Starts full.
  explicit RetryBudget(RetryBudgetConfig config = {});

  void record_success() noexcept;
  void record_failure() noexcept;
  // True while more than half of max_tokens remain.
  [[nodiscard]] bool retry_allowed() const noexcept;

  [[nodiscard]] double tokens() const noexcept;
  [[nodiscard]] const RetryBudgetConfig& config() const noexcept { return config_; }

 private:
  // Tokens are kept in thousandths so one integer atomic holds them.
  static constexpr std::int64_t kScale = 1000;
  RetryBudgetConfig config_;
  std::int64_t max_milli_;
  std::int64_t ratio_milli_;
  std::atomic<std::int64_t> milli_tokens_;
};

}  // namespace faultline::resilience
