// The W3C conformance service end to end on 127.0.0.1: a test client POSTs
// /test with trace headers, a local receiving server records what the
// service forwarded.
#include "faultline/core/asio.hpp"

#include <gtest/gtest.h>

#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <mutex>
#include <set>
#include <thread>

#include "faultline/tracing/traceparent.hpp"
#include "w3c_service.hpp"
#include "w3c_service_tracing.hpp"

namespace faultline::examples {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;

struct Received {
  std::string traceparent;
  std::size_t traceparent_count = 0;
  std::string tracestate;
  std::string content_type;
  std::string body;
};

// Answers 200 to every request until destroyed, recording each.
class Receiver {
 public:
  Receiver() {
    thread_ = std::thread([this] { serve(); });
  }
  ~Receiver() {
    stopping_ = true;
    beast::error_code ignored;
    net::io_context io;
    tcp::socket poke(io);
    poke.connect({net::ip::make_address_v4("127.0.0.1"), port_}, ignored);
    thread_.join();
  }
  [[nodiscard]] std::string url(std::string_view path = "/receive") const {
    return "http://127.0.0.1:" + std::to_string(port_) + std::string(path);
  }
  std::vector<Received> received() {
    const std::lock_guard lock(mutex_);
    return received_;
  }

 private:
  void serve() {
    while (!stopping_) {
      beast::error_code ec;
      tcp::socket socket(io_);
      acceptor_.accept(socket, ec);
      if (ec || stopping_) return;
      beast::flat_buffer buffer;
      http::request<http::string_body> request;
      http::read(socket, buffer, request, ec);
      if (ec) continue;
      {
        const std::lock_guard lock(mutex_);
        received_.push_back({std::string(request["traceparent"]), request.count("traceparent"),
                             std::string(request["tracestate"]), std::string(request[http::field::content_type]),
                             request.body()});
      }
      http::response<http::string_body> response{http::status::ok, 11};
      response.keep_alive(false);
      response.prepare_payload();
      http::write(socket, response, ec);
      socket.shutdown(tcp::socket::shutdown_both, ec);
    }
  }

  net::io_context io_;
  tcp::acceptor acceptor_{io_, {net::ip::make_address_v4("127.0.0.1"), 0}};
  std::uint16_t port_ = acceptor_.local_endpoint().port();
  std::atomic<bool> stopping_{false};
  std::mutex mutex_;
  std::vector<Received> received_;
  std::thread thread_;
};

struct Answer {
  int status = 0;
  std::string body;
};

Answer send(std::uint16_t port, http::verb verb, std::string target, std::string body,
            std::vector<std::pair<std::string, std::string>> headers = {}) {
  net::io_context io;
  tcp::socket socket(io);
  socket.connect({net::ip::make_address_v4("127.0.0.1"), port});
  http::request<http::string_body> request{verb, target, 11};
  request.set(http::field::host, "127.0.0.1");
  request.set(http::field::content_type, "application/json");
  for (const auto& [name, value] : headers) request.insert(name, value);
  request.body() = std::move(body);
  request.prepare_payload();
  http::write(socket, request);
  beast::flat_buffer buffer;
  http::response<http::string_body> response;
  http::read(socket, buffer, response);
  return {static_cast<int>(response.result_int()), response.body()};
}

constexpr const char* kIncomingTrace = "4bf92f3577b34da6a3ce929d0e0e4736";
constexpr const char* kIncomingParent = "00f067aa0ba902b7";

class W3cServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto made = W3cServiceTracing::create({.seed = 7});
    ASSERT_TRUE(made.ok());
    tracing_ = std::move(*made);
    auto started = W3cService::start({.read_timeout = std::chrono::milliseconds(2000),
                                      .forward_timeout = std::chrono::milliseconds(2000)},
                                     tracing_->tracer());
    ASSERT_TRUE(started.ok()) << started.status().to_string();
    service_ = std::move(*started);
  }
  Answer post_test(const std::string& body, std::vector<std::pair<std::string, std::string>> headers = {}) {
    return send(service_->port(), http::verb::post, "/test", body, std::move(headers));
  }
  std::string element(const std::string& url, const std::string& arguments = "[]") {
    return R"({"url": ")" + url + R"(", "arguments": )" + arguments + "}";
  }

  Receiver receiver_;
  std::unique_ptr<W3cServiceTracing> tracing_;
  std::unique_ptr<W3cService> service_;
};

TEST_F(W3cServiceTest, ForwardsEachElementInOrderAsAChildOfTheIncomingContext) {
  const auto answer =
      post_test("[" + element(receiver_.url("/1"), R"([{"url": "x", "arguments": []}])") + ", " +
                    element(receiver_.url("/2")) + "]",
                {{"traceparent", std::string("00-") + kIncomingTrace + "-" + kIncomingParent + "-01"},
                 {"tracestate", "congo=t61rcWkgMzE"},
                 {"tracestate", "rojo=00f067aa0ba902b7"}});
  EXPECT_EQ(answer.status, 200) << answer.body;
  const auto received = receiver_.received();
  ASSERT_EQ(received.size(), 2u);
  EXPECT_EQ(received[0].body, R"([{"arguments":[],"url":"x"}])");
  EXPECT_EQ(received[1].body, "[]");
  std::set<std::string> parent_ids;
  for (const auto& request : received) {
    EXPECT_EQ(request.content_type, "application/json");
    EXPECT_EQ(request.traceparent_count, 1u);
    const auto parent = tracing::parse_traceparent(request.traceparent);
    ASSERT_TRUE(parent.ok()) << request.traceparent;
    EXPECT_EQ(request.traceparent.substr(0, 3), "00-");
    EXPECT_EQ(tracing::to_hex(parent->trace_id), kIncomingTrace);
    EXPECT_NE(tracing::to_hex(parent->parent_id), kIncomingParent);
    EXPECT_TRUE(parent->flags.sampled());
    parent_ids.insert(tracing::to_hex(parent->parent_id));
    EXPECT_EQ(request.tracestate, "congo=t61rcWkgMzE,rojo=00f067aa0ba902b7");
  }
  EXPECT_EQ(parent_ids.size(), 2u) << "each forward is its own client span";
}

TEST_F(W3cServiceTest, CarriesAnUnsampledFlagAndMasksUnknownFlagsAndHigherVersions) {
  post_test("[" + element(receiver_.url()) + "]",
            {{"traceparent", std::string("00-") + kIncomingTrace + "-" + kIncomingParent + "-00"}});
  post_test("[" + element(receiver_.url()) + "]",
            {{"traceparent", std::string("cc-") + kIncomingTrace + "-" + kIncomingParent + "-09-what-the-future-holds"}});
  const auto received = receiver_.received();
  ASSERT_EQ(received.size(), 2u);
  EXPECT_EQ(received[0].traceparent.substr(52), "-00");
  EXPECT_EQ(received[1].traceparent.substr(0, 35), std::string("00-") + kIncomingTrace);
  EXPECT_EQ(received[1].traceparent.size(), tracing::kTraceParentChars);
  EXPECT_EQ(received[1].traceparent.substr(52), "-01");
}

TEST_F(W3cServiceTest, AnInvalidOrMissingTraceparentStartsANewTraceAndDropsTracestate) {
  post_test("[" + element(receiver_.url()) + "]",
            {{"traceparent", std::string("00-") + kIncomingTrace + "-0000000000000000-01"}, {"tracestate", "a=1"}});
  post_test("[" + element(receiver_.url()) + "]");
  const auto received = receiver_.received();
  ASSERT_EQ(received.size(), 2u);
  for (const auto& request : received) {
    const auto parent = tracing::parse_traceparent(request.traceparent);
    ASSERT_TRUE(parent.ok()) << request.traceparent;
    EXPECT_NE(tracing::to_hex(parent->trace_id), kIncomingTrace);
    EXPECT_TRUE(request.tracestate.empty());
  }
}

TEST_F(W3cServiceTest, ANestedCallBackIntoTheServiceKeepsTheTrace) {
  const std::string self = "http://127.0.0.1:" + std::to_string(service_->port()) + "/test";
  const auto answer = post_test("[" + element(self, "[" + element(receiver_.url()) + "]") + "]",
                                {{"traceparent", std::string("00-") + kIncomingTrace + "-" + kIncomingParent + "-01"}});
  EXPECT_EQ(answer.status, 200) << answer.body;
  const auto received = receiver_.received();
  ASSERT_EQ(received.size(), 1u);
  EXPECT_EQ(received[0].traceparent.substr(3, 32), kIncomingTrace);
}

TEST_F(W3cServiceTest, BadInputGetsAClearAnswerAndTheServiceKeepsServing) {
  struct Case {
    std::string body;
    int status;
    std::string says;
  };
  const std::vector<Case> cases = {
      {"not json", 400, "not JSON"},
      {R"({"url": "http://127.0.0.1:1/"})", 400, "JSON array"},
      {"[42]", 400, "element 0: not an object"},
      {R"([{"arguments": []}])", 400, "\"url\" must be a string"},
      {R"([{"url": "http://127.0.0.1:1/", "arguments": 3}])", 400, "\"arguments\" must be an array"},
      {R"([{"url": "https://example.com/", "arguments": []}])", 400, "not an http:// URL"},
      {R"([{"url": "http://127.0.0.1:99999/", "arguments": []}])", 400, "invalid port"},
  };
  for (const auto& c : cases) {
    const auto answer = post_test(c.body);
    EXPECT_EQ(answer.status, c.status) << c.body;
    EXPECT_NE(answer.body.find(c.says), std::string::npos) << c.body << " -> " << answer.body;
  }
  // Nothing listens on the port a closed acceptor had.
  std::uint16_t closed_port = 0;
  {
    net::io_context io;
    tcp::acceptor acceptor(io, {net::ip::make_address_v4("127.0.0.1"), 0});
    closed_port = acceptor.local_endpoint().port();
  }
  const auto unreachable = post_test("[" + element("http://127.0.0.1:" + std::to_string(closed_port) + "/") + ", " +
                                     element(receiver_.url()) + "]");
  EXPECT_EQ(unreachable.status, 502);
  EXPECT_NE(unreachable.body.find("element 0"), std::string::npos) << unreachable.body;
  EXPECT_TRUE(receiver_.received().empty()) << "elements after a failed one are not sent";

  EXPECT_EQ(send(service_->port(), http::verb::get, "/test", "").status, 405);
  EXPECT_EQ(send(service_->port(), http::verb::post, "/elsewhere", "[]").status, 404);
  EXPECT_EQ(post_test("[]").status, 200);
}

}  // namespace
}  // namespace faultline::examples
