// /livez, /readyz, /startupz and /health: the exact answers, and a real
// server that keeps answering while a check hangs.
#include <gtest/gtest.h>

#include <future>

#include "faultline/core/asio_scheduler.hpp"
#include "faultline/core/manual_scheduler.hpp"
#include "faultline/health/health_http_handler.hpp"
#include "loopback.hpp"

namespace faultline::health {
namespace {

using namespace std::chrono_literals;

struct Pending {
  std::vector<CheckDone> waiting;
  AsyncCheck fn() {
    return [this](CheckDone done) { waiting.push_back(std::move(done)); };
  }
  void answer(Status status) {
    auto done = std::move(waiting.front());
    waiting.erase(waiting.begin());
    done(std::move(status));
  }
};

// boot (startup) passed after 5 ms; db (readiness) failed after 12.5 ms;
// wal (liveness) still running. Wall time starts at 2025-12-02T11:30:00Z.
class HealthEndpoints : public ::testing::Test {
 protected:
  HealthEndpoints() {
    EXPECT_TRUE(registry.add_async("boot", ProbeKind::startup, boot.fn()).ok());
    EXPECT_TRUE(registry.add_async("db", ProbeKind::readiness, db.fn()).ok());
    EXPECT_TRUE(registry.add_async("wal", ProbeKind::liveness, wal.fn()).ok());
    registry.start();
    step(5ms);
    boot.answer(Status());
    step(12500us);
    db.answer(Status::unavailable("connection refused"));
  }
  void step(Duration d) {
    scheduler.advance(d);
    wall.advance(d);
  }
  HttpAnswer get(const std::string& target, const std::string& method = "GET") {
    return health_http_handler(registry)(HttpRequest{method, target});
  }

  ManualScheduler scheduler;
  ManualWallClock wall{WallTimePoint(std::chrono::milliseconds(1'764'675'000'000))};
  HealthRegistry registry{scheduler, wall};
  Pending boot, db, wal;
};

TEST_F(HealthEndpoints, HealthJsonHasExactlyThisShape) {
  const HttpAnswer answer = get("/health");
  EXPECT_EQ(answer.status, 503);
  EXPECT_EQ(answer.content_type, "application/json");
  EXPECT_EQ(answer.body,
            R"({"status":"fail","startup_complete":true,"checks":[)"
            R"({"name":"boot","kind":"startup","status":"pass","last_error":null,"duration_ms":5.0,)"
            R"("last_change":"2025-12-02T11:30:00.005Z","running":false},)"
            R"({"name":"db","kind":"readiness","status":"fail","last_error":"unavailable: connection refused",)"
            R"("duration_ms":12.5,"last_change":"2025-12-02T11:30:00.017Z","running":false},)"
            R"({"name":"wal","kind":"liveness","status":"pending","last_error":null,"duration_ms":0.0,)"
            R"("last_change":null,"running":true}]})"
            "\n");
}

TEST_F(HealthEndpoints, HealthPassesOnceEveryGroupIsOk) {
  wal.answer(Status());
  scheduler.advance(10s);  // next period: db and wal run again
  db.answer(Status());
  wal.answer(Status());
  const HttpAnswer answer = get("/health");
  EXPECT_EQ(answer.status, 200);
  EXPECT_EQ(answer.body.rfind(R"({"status":"pass","startup_complete":true,)", 0), 0u) << answer.body;
}

TEST_F(HealthEndpoints, ProbeEndpointsAnswerPlainTextListingFailedChecks) {
  const HttpAnswer ready = get("/readyz");
  EXPECT_EQ(ready.status, 503);
  EXPECT_EQ(ready.content_type, "text/plain; charset=utf-8");
  EXPECT_EQ(ready.body, "[-]db failed: unavailable: connection refused\nreadyz check failed\n");

  const HttpAnswer live = get("/livez");
  EXPECT_EQ(live.status, 200);
  EXPECT_EQ(live.body, "ok\n");
  EXPECT_EQ(get("/livez?verbose").body, "[+]wal not run yet\nlivez check passed\n");

  EXPECT_EQ(get("/startupz").status, 200);
  EXPECT_EQ(get("/startupz").body, "ok\n");
  EXPECT_EQ(get("/startupz?verbose=1").body, "[+]boot ok\nstartupz check passed\n");

  wal.answer(Status::internal("fsync failed"));
  EXPECT_EQ(get("/livez").status, 503);
  EXPECT_EQ(get("/livez").body, "[-]wal failed: internal: fsync failed\nlivez check failed\n");
}

TEST_F(HealthEndpoints, OtherMethodsAndPaths) {
  const HttpAnswer post = get("/livez", "POST");
  EXPECT_EQ(post.status, 405);
  ASSERT_EQ(post.headers.size(), 1u);
  EXPECT_EQ(post.headers[0].first, "Allow");
  EXPECT_EQ(get("/metrics").status, 404);
  EXPECT_FALSE(answer_health_request(registry, HttpRequest{"GET", "/livezz"}).has_value());
  EXPECT_EQ(get("/readyz", "HEAD").status, 503);
}

TEST(HealthEndpointsBeforeStartup, ReadinessWaitsForStartup) {
  ManualScheduler scheduler;
  HealthRegistry registry(scheduler, SystemWallClock::instance());
  Pending boot;
  ASSERT_TRUE(registry.add_async("boot", ProbeKind::startup, boot.fn()).ok());
  ASSERT_TRUE(registry.add("db", ProbeKind::readiness, [] { return Status(); }).ok());
  registry.start();
  const HttpAnswer ready = health_http_handler(registry)(HttpRequest{"GET", "/readyz"});
  EXPECT_EQ(ready.status, 503);
  EXPECT_EQ(ready.body, "[-]startup not complete\n[-]db failed: not run yet\nreadyz check failed\n");
  const HttpAnswer startup = health_http_handler(registry)(HttpRequest{"GET", "/startupz"});
  EXPECT_EQ(startup.status, 503);
  EXPECT_EQ(startup.body, "[-]boot failed: not run yet\nstartupz check failed\n");
  boot.answer(Status::unavailable("no"));  // leave the registry with no run in flight
}

// A real server in front of a registry on a real scheduler: the endpoint
// answers while a blocking check hangs, first "not run yet", then the
// timeout.
TEST(HealthServer, KeepsAnsweringWhileACheckHangs) {
  testing::EventLoop loop;
  AsioScheduler scheduler(loop.io);
  HealthRegistry registry(scheduler, SystemWallClock::instance());
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::atomic<bool> returned{false};
  ASSERT_TRUE(registry
                  .add("db", ProbeKind::readiness,
                       [released, &returned] {
                         released.wait();
                         returned = true;
                         return Status();
                       },
                       {.timeout = 100ms, .period = 10s})
                  .ok());
  ASSERT_TRUE(registry.add("ping", ProbeKind::liveness, [] { return Status(); }).ok());
  registry.start();
  HttpServer server(health_http_handler(registry));
  ASSERT_TRUE(server.start().ok());

  const auto first = testing::http_request(server.port(), "/readyz", "GET", 2000ms);
  ASSERT_EQ(first.status, 503) << first.error;
  EXPECT_NE(first.body.find("[-]db failed"), std::string::npos) << first.body;

  ASSERT_TRUE(testing::eventually([&] {
    return testing::http_request(server.port(), "/readyz").body.find("timed out after 100ms") != std::string::npos;
  }));
  const auto live = testing::http_request(server.port(), "/livez");
  EXPECT_EQ(live.status, 200);
  EXPECT_EQ(live.body, "ok\n");
  const auto health = testing::http_request(server.port(), "/health");
  EXPECT_EQ(health.status, 503);
  EXPECT_EQ(health.content_type, "application/json");
  EXPECT_NE(health.body.find(R"("name":"db","kind":"readiness","status":"fail","last_error":"timed out after 100ms")"),
            std::string::npos)
      << health.body;
  const auto head = testing::http_request(server.port(), "/livez", "HEAD");
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(testing::http_request(server.port(), "/nowhere").status, 404);

  release.set_value();
  ASSERT_TRUE(testing::eventually([&] { return returned.load(); }));
  server.stop();
}

TEST(HealthServer, RejectsAnAddressItCannotUse) {
  HttpServer server([](const HttpRequest&) { return HttpAnswer{}; }, {.address = "not-an-ip"});
  EXPECT_EQ(server.start().code(), StatusCode::invalid_argument);
  HttpServer first([](const HttpRequest&) { return HttpAnswer{}; });
  ASSERT_TRUE(first.start().ok());
  HttpServer second([](const HttpRequest&) { return HttpAnswer{}; }, {.port = first.port()});
  // SO_REUSEADDR does not let two listeners share a port on Linux.
  EXPECT_EQ(second.start().code(), StatusCode::unavailable);
}

TEST(HealthServer, AnswersGarbageWith400AndStaysUp) {
  HttpServer server([](const HttpRequest&) { return HttpAnswer{200, "text/plain", "fine\n"}; });
  ASSERT_TRUE(server.start().ok());
  boost::asio::io_context io;
  boost::asio::ip::tcp::socket socket(io);
  socket.connect({boost::asio::ip::make_address_v4("127.0.0.1"), server.port()});
  boost::asio::write(socket, boost::asio::buffer(std::string("\x01\x02garbage\r\n\r\n")));
  std::string reply;
  boost::system::error_code ec;
  char chunk[512];
  for (;;) {
    const std::size_t n = socket.read_some(boost::asio::buffer(chunk), ec);
    if (ec) break;
    reply.append(chunk, n);
  }
  EXPECT_EQ(reply.rfind("HTTP/1.1 400", 0), 0u) << reply;
  EXPECT_EQ(testing::http_request(server.port(), "/").body, "fine\n");
}

}  // namespace
}  // namespace faultline::health
