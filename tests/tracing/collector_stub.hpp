// A stand-in OTLP/HTTP collector on 127.0.0.1 for exporter tests: a Beast
// server on its own thread (support/loopback_server.hpp) that answers each POST as the test says
// (status, Retry-After, body, a delay before answering) and records what
// it received. It keeps a connection open between requests when the
// client asks (HTTP/1.1 keep-alive), one connection at a time.
//
// Thread-safety: the setters and readers are safe from the test thread
// while the server thread runs.
#pragma once

#include "faultline/core/asio.hpp"

#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "support/loopback_server.hpp"

namespace faultline::tracing::testing {

struct ReceivedRequest {
  std::string target;
  std::string content_type;
  std::string body;
};

struct CollectorAnswer {
  int status = 200;
  std::string retry_after = {};
  std::string body = "{}";
  std::chrono::milliseconds delay{0};
  // Answer with `Connection: close` and close.
  bool close_connection = false;
  // Answer as if keeping the connection, then close it: what a collector
  // whose idle timeout fired does, seen from the client.
  bool drop_connection_after = false;
};

class CollectorStub {
 public:
  // Listens on `port` (0: any free port).
  explicit CollectorStub(std::uint16_t port = 0)
      : server_([this](boost::asio::ip::tcp::socket& socket) { serve_connection(socket); }, port) {}

  [[nodiscard]] std::uint16_t port() const { return server_.port(); }
  // Answers, in order, for the next requests; the last one repeats.
  void answer(std::vector<CollectorAnswer> answers) {
    const std::lock_guard lock(mutex_);
    answers_ = std::move(answers);
  }
  std::vector<ReceivedRequest> received() {
    const std::lock_guard lock(mutex_);
    return received_;
  }
  // Connections accepted so far.
  [[nodiscard]] int connections() const { return server_.connections(); }

 private:
  // Requests on one connection until either side closes it.
  void serve_connection(boost::asio::ip::tcp::socket& socket) {
    namespace http = boost::beast::http;
    boost::beast::flat_buffer buffer;
    while (!server_.stopping()) {
      boost::system::error_code ec;
      http::request<http::string_body> request;
      http::read(socket, buffer, request, ec);
      if (ec) return;
      CollectorAnswer answer;
      {
        const std::lock_guard lock(mutex_);
        received_.push_back({std::string(request.target()), std::string(request[http::field::content_type]),
                             request.body()});
        if (!answers_.empty()) {
          answer = answers_.front();
          if (answers_.size() > 1) answers_.erase(answers_.begin());
        }
      }
      std::this_thread::sleep_for(answer.delay);
      http::response<http::string_body> response{static_cast<http::status>(answer.status), 11};
      if (!answer.retry_after.empty()) response.set(http::field::retry_after, answer.retry_after);
      response.set(http::field::content_type, "application/json");
      response.body() = answer.body;
      const bool keep = request.keep_alive() && !answer.close_connection;
      response.keep_alive(keep);
      response.prepare_payload();
      http::write(socket, response, ec);
      if (ec || !keep || answer.drop_connection_after) return;
    }
  }

  std::mutex mutex_;
  std::vector<CollectorAnswer> answers_;
  std::vector<ReceivedRequest> received_;
  // Last: its thread calls serve_connection, which uses the members above.
  faultline::testing::LoopbackServer server_;
};

// A port nothing listens on (bound, read, released).
inline std::uint16_t unused_port() {
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor acceptor(io, {boost::asio::ip::make_address_v4("127.0.0.1"), 0});
  return acceptor.local_endpoint().port();
}

}  // namespace faultline::tracing::testing
