// The protected client's pipeline against the real flaky service: retries
// recover transient errors, the breaker turns an outage into fast-fails,
// and the attempt timeout abandons hung answers within the call's budget.
#include "demo/protected_client.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <optional>

#include "demo/fault_schedule.hpp"
#include "demo/flaky_service.hpp"
#include "demo/timer_thread.hpp"
#include "faultline/resilience/rejection.hpp"

namespace faultline::demo {
namespace {

using namespace std::chrono_literals;

class ProtectedClientTest : public ::testing::Test {
 protected:
  void serve(FaultProfile profile,
             ProtectedClientConfig config = ProtectedClientConfig::for_run(30s, 1)) {
    service_.emplace(FaultSchedule(11, {Phase{"test", "one behaviour", 0s, 1h, profile}}), clock_);
    ASSERT_TRUE(service_->start().ok());
    client_.emplace(
        HttpClient(HttpClientConfig{.port = service_->port(), .client_name = "protected"}, clock_),
        clock_, timers_.scheduler(), config);
    client_->retry_events().subscribe([this](const resilience::RetryEvent& e) {
      if (e.kind == resilience::RetryEvent::Kind::retry) ++retries_;
    });
  }
  std::uint64_t server_requests() const {
    const auto load = service_->load();
    return load.count("protected") == 0 ? 0 : load.at("protected").requests;
  }

  const SteadyClock& clock_ = SteadyClock::instance();
  TimerThread timers_;
  std::optional<FlakyService> service_;
  std::optional<ProtectedClient> client_;
  std::atomic<int> retries_{0};
};

TEST_F(ProtectedClientTest, RetriesTurnTransientErrorsIntoSuccesses) {
  serve(FaultProfile{.error_rate = 0.3});
  int ok = 0;
  for (std::uint64_t id = 1; id <= 60; ++id) ok += client_->get(id, {}).ok() ? 1 : 0;
  // One attempt would succeed 70% of the time; three, about 97%.
  EXPECT_GE(ok, 54);
  EXPECT_GT(retries_.load(), 5);
  EXPECT_EQ(client_->breaker_state(), resilience::CircuitState::closed);
}

TEST_F(ProtectedClientTest, AnOutageOpensTheBreakerAndCallsFailFast) {
  serve(FaultProfile{.reset_rate = 1.0});
  int fast_fails = 0;
  for (std::uint64_t id = 1; id <= 60; ++id) {
    const TimePoint start = clock_.now();
    const auto reply = client_->get(id, {});
    ASSERT_FALSE(reply.ok());
    if (resilience::is_rejection(reply.status(), resilience::kReasonCircuitOpen)) {
      ++fast_fails;
      EXPECT_LT(clock_.now() - start, 50ms) << "a fast-fail touches no socket";
    }
  }
  EXPECT_NE(client_->breaker_state(), resilience::CircuitState::closed);
  EXPECT_GT(fast_fails, 30);
  // The budget and the breaker kept the retries from multiplying the load.
  EXPECT_LT(server_requests(), 60U);
  EXPECT_FALSE(client_->retries_allowed());
}

TEST_F(ProtectedClientTest, TheAttemptTimeoutAbandonsHungAnswersWithinTheTotalBudget) {
  ProtectedClientConfig config = ProtectedClientConfig::for_run(30s, 1);
  config.attempt_timeout = 80ms;
  config.total_timeout = 300ms;
  serve(FaultProfile{.hang_rate = 1.0, .hang = 10s}, config);
  const TimePoint start = clock_.now();
  const auto reply = client_->get(1, {});
  const Duration waited = clock_.now() - start;
  ASSERT_FALSE(reply.ok());
  EXPECT_EQ(reply.status().code(), StatusCode::deadline_exceeded) << reply.status();
  EXPECT_GE(waited, 80ms);
  EXPECT_LT(waited, 600ms);
  EXPECT_GE(server_requests(), 2U) << "timed-out attempts are retried";
}

TEST_F(ProtectedClientTest, DescribesItsPipelineInOneLine) {
  const std::string text = ProtectedClientConfig::for_run(30s, 1).describe();
  EXPECT_NE(text.find("total timeout 1.50 s > retry (3 attempts"), std::string::npos) << text;
  EXPECT_NE(text.find("> attempt timeout 250 ms"), std::string::npos) << text;
  EXPECT_EQ(text.find('\n'), std::string::npos);
}

}  // namespace
}  // namespace faultline::demo
