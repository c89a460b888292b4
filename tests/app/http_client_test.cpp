// The demo's HTTP client against the real flaky service on 127.0.0.1: each
// fault the service can inject maps onto the error model, and a slow answer
// is abandoned promptly when stop is requested or the deadline passes.
#include "demo/http_client.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <stop_token>
#include <string>
#include <thread>

#include "demo/fault_schedule.hpp"
#include "demo/flaky_service.hpp"

namespace faultline::demo {
namespace {

using namespace std::chrono_literals;

// A service that behaves the same way for every request, for an hour.
class HttpClientTest : public ::testing::Test {
 protected:
  void serve(FaultProfile profile) {
    service_.emplace(FaultSchedule(7, {Phase{"test", "one behaviour", 0s, 1h, profile}}), clock_);
    ASSERT_TRUE(service_->start().ok());
    client_.emplace(HttpClientConfig{.port = service_->port(), .client_name = "test"}, clock_);
  }

  Result<HttpReply> get(Duration timeout = 5s, std::stop_token stop = {}) {
    return client_->get("/", clock_.now() + timeout, std::move(stop));
  }

  const SteadyClock& clock_ = SteadyClock::instance();
  std::optional<FlakyService> service_;
  std::optional<HttpClient> client_;
};

TEST_F(HttpClientTest, AHealthyAnswerIsOk) {
  serve(FaultProfile{});
  const auto reply = get();
  ASSERT_TRUE(reply.ok()) << reply.status();
  EXPECT_EQ(reply->http_status, 200);
  EXPECT_EQ(reply->body, "ok\n");
}

TEST_F(HttpClientTest, A503WithRetryAfterIsUnavailableWithTheHint) {
  serve(FaultProfile{.error_rate = 1.0, .retry_after_rate = 1.0, .retry_after_seconds = 2});
  const auto reply = get();
  ASSERT_FALSE(reply.ok());
  EXPECT_EQ(reply.status().code(), StatusCode::unavailable) << reply.status();
  ASSERT_TRUE(reply.status().retry_after().has_value());
  EXPECT_EQ(*reply.status().retry_after(), 2s);
}

TEST_F(HttpClientTest, A503WithoutRetryAfterHasNoHint) {
  serve(FaultProfile{.error_rate = 1.0});
  const auto reply = get();
  ASSERT_FALSE(reply.ok());
  EXPECT_EQ(reply.status().code(), StatusCode::unavailable);
  EXPECT_FALSE(reply.status().retry_after().has_value());
}

TEST_F(HttpClientTest, AResetConnectionIsUnavailableAndFast) {
  serve(FaultProfile{.reset_rate = 1.0});
  const TimePoint start = clock_.now();
  const auto reply = get();
  ASSERT_FALSE(reply.ok());
  EXPECT_EQ(reply.status().code(), StatusCode::unavailable) << reply.status();
  EXPECT_NE(reply.status().message().find("reset"), std::string_view::npos) << reply.status();
  EXPECT_LT(clock_.now() - start, 1s);
}

TEST_F(HttpClientTest, GarbageIsUnavailableNotACrash) {
  serve(FaultProfile{.garbage_rate = 1.0});
  const auto reply = get();
  ASSERT_FALSE(reply.ok());
  EXPECT_EQ(reply.status().code(), StatusCode::unavailable) << reply.status();
  EXPECT_NE(reply.status().message().find("malformed"), std::string_view::npos) << reply.status();
}

TEST_F(HttpClientTest, AConnectionClosedMidResponseIsUnavailable) {
  serve(FaultProfile{.truncate_rate = 1.0});
  const auto reply = get();
  ASSERT_FALSE(reply.ok());
  EXPECT_EQ(reply.status().code(), StatusCode::unavailable) << reply.status();
  EXPECT_NE(reply.status().message().find("mid-response"), std::string_view::npos)
      << reply.status();
}

TEST_F(HttpClientTest, StopRequestAbandonsASlowAnswerPromptly) {
  serve(FaultProfile{.hang_rate = 1.0, .hang = 10s});
  std::stop_source stop;
  std::jthread canceller([&stop] {
    std::this_thread::sleep_for(100ms);
    stop.request_stop();
  });
  const TimePoint start = clock_.now();
  const auto reply = get(30s, stop.get_token());
  const Duration waited = clock_.now() - start;
  ASSERT_FALSE(reply.ok());
  EXPECT_EQ(reply.status().code(), StatusCode::cancelled) << reply.status();
  EXPECT_GE(waited, 90ms);
  EXPECT_LT(waited, 1s) << "the socket must be closed at the stop request";
}

TEST_F(HttpClientTest, TheDeadlineAbandonsASlowAnswerPromptly) {
  serve(FaultProfile{.hang_rate = 1.0, .hang = 10s});
  const TimePoint start = clock_.now();
  const auto reply = get(150ms);
  const Duration waited = clock_.now() - start;
  ASSERT_FALSE(reply.ok());
  EXPECT_EQ(reply.status().code(), StatusCode::deadline_exceeded) << reply.status();
  EXPECT_GE(waited, 140ms);
  EXPECT_LT(waited, 1s);
}

TEST_F(HttpClientTest, AStopAlreadyRequestedNeverConnects) {
  serve(FaultProfile{});
  std::stop_source stop;
  stop.request_stop();
  const auto reply = get(5s, stop.get_token());
  EXPECT_EQ(reply.status().code(), StatusCode::cancelled);
  EXPECT_TRUE(service_->load().empty());
}

TEST_F(HttpClientTest, ARefusedConnectionIsUnavailable) {
  serve(FaultProfile{});
  service_->stop();  // the port is closed now
  const auto reply = get();
  ASSERT_FALSE(reply.ok());
  EXPECT_EQ(reply.status().code(), StatusCode::unavailable) << reply.status();
  EXPECT_NE(reply.status().message().find("refused"), std::string_view::npos) << reply.status();
}

TEST_F(HttpClientTest, TheServiceCountsRequestsPerClient) {
  serve(FaultProfile{});
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(get().ok());
  const auto load = service_->load();
  ASSERT_EQ(load.count("test"), 1U);
  EXPECT_EQ(load.at("test").requests, 3U);
  EXPECT_EQ(load.at("test").requests_per_phase, (std::vector<std::uint64_t>{3}));
}

TEST_F(HttpClientTest, ManyConcurrentCallersAllGetAnswers) {
  serve(FaultProfile{.latency_min = 1ms, .latency_max = 3ms});
  std::atomic<int> ok{0};
  {
    std::vector<std::jthread> callers;
    for (int t = 0; t < 16; ++t) {
      callers.emplace_back([&] {
        for (int i = 0; i < 10; ++i) ok += get().ok() ? 1 : 0;
      });
    }
  }
  EXPECT_EQ(ok.load(), 160);
}

}  // namespace
}  // namespace faultline::demo
