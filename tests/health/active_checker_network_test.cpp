// The active checker against real servers on 127.0.0.1: servers that go
// down, come back, answer 500s, answer garbage or hang up mid-response.
#include <gtest/gtest.h>

#include <mutex>

#include "faultline/core/asio_scheduler.hpp"
#include "faultline/health/active_checker.hpp"
#include "faultline/health/http_server.hpp"
#include "loopback.hpp"

namespace faultline::health {
namespace {

using namespace std::chrono_literals;
using testing::eventually;
using testing::EventLoop;
using testing::RawServer;

struct Verdict {
  bool healthy;
  std::uint32_t consecutive;  // successes or failures that made the flip
};

class ActiveCheckerNetwork : public ::testing::Test {
 protected:
  EventLoop loop;
  AsioScheduler scheduler{loop.io};
  std::mutex mutex;
  std::vector<Verdict> verdicts;
  ActiveChecker checker{scheduler, &loop.io, Random(11), [this](const std::string& name, bool healthy) {
                          const auto health = checker.health(name);
                          std::lock_guard lock(mutex);
                          verdicts.push_back({healthy, healthy ? health->consecutive_successes
                                                               : health->consecutive_failures});
                        }};

  std::size_t verdict_count() {
    std::lock_guard lock(mutex);
    return verdicts.size();
  }
  Verdict verdict(std::size_t i) {
    std::lock_guard lock(mutex);
    return verdicts.at(i);
  }

  static EndpointCheckConfig http_config(const std::string& url, ThresholdConfig thresholds) {
    EndpointCheckConfig config{.name = std::string("replica")};
    config.probe = HttpProbe{.url = url};
    // Generous against a loaded 2-core machine: a spurious timeout would
    // be a false failure.
    config.interval = 100ms;
    config.unhealthy_interval = 50ms;
    config.interval_jitter = 10ms;
    config.timeout = 50ms;
    config.thresholds = thresholds;
    return config;
  }

  // Adds one endpoint expected to fail every probe; returns its last error.
  std::string failure_of(EndpointCheckConfig config) {
    config.thresholds = {.healthy_threshold = 1, .unhealthy_threshold = 2, .initially_healthy = true};
    EXPECT_TRUE(checker.add(config).ok());
    EXPECT_TRUE(eventually([&] { return verdict_count() == 1; }))
        << checker.health(config.name)->probes << " probes, last error: " << checker.health(config.name)->last_error;
    if (verdict_count() == 0) return "(no verdict)";
    EXPECT_FALSE(verdict(0).healthy);
    return checker.health(config.name)->last_error;
  }
};

TEST_F(ActiveCheckerNetwork, VerdictsFollowAServerThatGoesDownComesBackAndAnswers500s) {
  std::atomic<int> status{200};
  HttpServer server([&](const HttpRequest&) { return HttpAnswer{status.load(), "text/plain", "ok\n"}; });
  ASSERT_TRUE(server.start().ok());
  ASSERT_TRUE(checker.add(http_config(server.base_url() + "/readyz", {.healthy_threshold = 2, .unhealthy_threshold = 3}))
                  .ok());

  ASSERT_TRUE(eventually([&] { return verdict_count() == 1; }));
  EXPECT_TRUE(verdict(0).healthy);
  EXPECT_EQ(verdict(0).consecutive, 2u);

  server.stop();  // the listener and the kept-alive connection close
  ASSERT_TRUE(eventually([&] { return verdict_count() == 2; }));
  EXPECT_FALSE(verdict(1).healthy);
  EXPECT_EQ(verdict(1).consecutive, 3u);
  EXPECT_NE(checker.health("replica")->last_error.find("connect"), std::string::npos)
      << checker.health("replica")->last_error;

  ASSERT_TRUE(server.start().ok());  // back on the same port
  ASSERT_TRUE(eventually([&] { return verdict_count() == 3; }));
  EXPECT_TRUE(verdict(2).healthy);
  EXPECT_EQ(verdict(2).consecutive, 2u);

  status = 500;
  ASSERT_TRUE(eventually([&] { return verdict_count() == 4; }));
  EXPECT_FALSE(verdict(3).healthy);
  EXPECT_EQ(verdict(3).consecutive, 3u);
  EXPECT_NE(checker.health("replica")->last_error.find("HTTP 500"), std::string::npos);

  status = 204;
  ASSERT_TRUE(eventually([&] { return verdict_count() == 5; }));
  EXPECT_TRUE(verdict(4).healthy);
  EXPECT_TRUE(checker.remove("replica").ok());
}

TEST_F(ActiveCheckerNetwork, ReusesOneConnectionWhileTheServerKeepsItAlive) {
  std::atomic<int> requests{0};
  HttpServer server([&](const HttpRequest&) {
    ++requests;
    return HttpAnswer{200, "text/plain", "ok\n"};
  });
  ASSERT_TRUE(server.start().ok());
  ASSERT_TRUE(checker.add(http_config(server.base_url() + "/", {})).ok());
  ASSERT_TRUE(eventually([&] { return requests.load() >= 5; }));
  // Five probes, no failure: the kept-alive connection carried them.
  const auto health = checker.health("replica");
  EXPECT_EQ(health->failed_probes, 0u);
}

TEST_F(ActiveCheckerNetwork, AServerAnsweringGarbageFailsTheProbe) {
  RawServer garbage([](boost::asio::ip::tcp::socket& socket) {
    testing::read_request(socket);
    boost::system::error_code ec;
    boost::asio::write(socket, boost::asio::buffer(std::string("\x01\x02 this is not HTTP\r\n\r\n")), ec);
  });
  const std::string error = failure_of(http_config("http://127.0.0.1:" + std::to_string(garbage.port()) + "/", {}));
  EXPECT_NE(error.find("receive"), std::string::npos) << error;
}

TEST_F(ActiveCheckerNetwork, AServerClosingMidResponseFailsTheProbe) {
  RawServer cut([](boost::asio::ip::tcp::socket& socket) {
    testing::read_request(socket);
    boost::system::error_code ec;
    boost::asio::write(socket,
                       boost::asio::buffer(std::string("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly a part")),
                       ec);
  });
  const std::string error = failure_of(http_config("http://127.0.0.1:" + std::to_string(cut.port()) + "/", {}));
  EXPECT_NE(error.find("unavailable: receive"), std::string::npos) << error;
}

TEST_F(ActiveCheckerNetwork, AServerThatNeverAnswersFailsAtTheTimeout) {
  RawServer silent([](boost::asio::ip::tcp::socket& socket) {
    testing::read_request(socket);
    std::this_thread::sleep_for(300ms);
  });
  const std::string error = failure_of(http_config("http://127.0.0.1:" + std::to_string(silent.port()) + "/", {}));
  EXPECT_NE(error.find("deadline_exceeded: no answer within 50ms"), std::string::npos) << error;
}

TEST_F(ActiveCheckerNetwork, ABodyWithoutTheExpectedTextFailsTheProbe) {
  HttpServer server([](const HttpRequest&) { return HttpAnswer{200, "text/plain", "starting\n"}; });
  ASSERT_TRUE(server.start().ok());
  auto config = http_config(server.base_url() + "/", {});
  config.probe = HttpProbe{.url = server.base_url() + "/", .body_contains = "ready"};
  const std::string error = failure_of(config);
  EXPECT_NE(error.find("lacks 'ready'"), std::string::npos) << error;
}

TEST_F(ActiveCheckerNetwork, AnOversizedAnswerFailsTheProbe) {
  HttpServer server([](const HttpRequest&) { return HttpAnswer{200, "text/plain", std::string(4096, 'x')}; });
  ASSERT_TRUE(server.start().ok());
  auto config = http_config(server.base_url() + "/", {});
  config.probe = HttpProbe{.url = server.base_url() + "/", .response_bytes_max = 1024};
  const std::string error = failure_of(config);
  EXPECT_NE(error.find("receive"), std::string::npos) << error;
}

TEST_F(ActiveCheckerNetwork, TcpProbesPassOnAListenerAndFailWithoutOne) {
  HttpServer server([](const HttpRequest&) { return HttpAnswer{}; });
  ASSERT_TRUE(server.start().ok());
  EndpointCheckConfig config{.name = std::string("tcp")};
  config.probe = TcpProbe{.host = "127.0.0.1", .port = server.port()};
  config.interval = 50ms;
  config.timeout = 50ms;
  config.thresholds = {.healthy_threshold = 2, .unhealthy_threshold = 2};
  ASSERT_TRUE(checker.add(config).ok());
  ASSERT_TRUE(eventually([&] { return verdict_count() == 1; }));
  EXPECT_TRUE(verdict(0).healthy);
  server.stop();
  ASSERT_TRUE(eventually([&] { return verdict_count() == 2; }));
  EXPECT_FALSE(verdict(1).healthy);
}

TEST_F(ActiveCheckerNetwork, ManyEndpointsShareTheOneEventLoop) {
  HttpServer server([](const HttpRequest&) { return HttpAnswer{200, "text/plain", "ok\n"}; });
  ASSERT_TRUE(server.start().ok());
  for (int i = 0; i < 200; ++i) {
    auto config = http_config(server.base_url() + "/" + std::to_string(i), {.healthy_threshold = 1});
    config.name = std::string("endpoint-").append(std::to_string(i));
    config.initial_jitter = 100ms;
    ASSERT_TRUE(checker.add(config).ok());
  }
  ASSERT_TRUE(eventually([&] { return verdict_count() == 200; }));
  for (const auto& endpoint : checker.endpoints()) EXPECT_TRUE(endpoint.healthy) << endpoint.name;
}

}  // namespace
}  // namespace faultline::health
