// A stand-in OTLP/HTTP collector on 127.0.0.1 for exporter tests: a Beast
// server on its own thread that answers each POST as the test says
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
#include <atomic>
#include <chrono>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <sys/socket.h>

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
      : acceptor_(io_, {boost::asio::ip::make_address_v4("127.0.0.1"), port}, /*reuse_address=*/true) {
    thread_ = std::thread([this] { serve(); });
  }
  ~CollectorStub() {
    // Unblock accept() by connecting once; the loop then sees the flag.
    stopping_ = true;
    // A client may hold a kept connection open: end it from our side.
    if (const int fd = active_fd_.load(); fd >= 0) ::shutdown(fd, SHUT_RDWR);
    boost::system::error_code ignored;
    boost::asio::io_context io;
    boost::asio::ip::tcp::socket poke(io);
    poke.connect({boost::asio::ip::make_address_v4("127.0.0.1"), port_}, ignored);
    thread_.join();
  }

  [[nodiscard]] std::uint16_t port() const { return port_; }
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
  [[nodiscard]] int connections() const { return connections_.load(); }

 private:
  void serve() {
    while (!stopping_) {
      boost::system::error_code ec;
      boost::asio::ip::tcp::socket socket(io_);
      acceptor_.accept(socket, ec);
      if (ec || stopping_) return;
      ++connections_;
      active_fd_ = socket.native_handle();
      serve_connection(socket);
      active_fd_ = -1;
      socket.shutdown(boost::asio::ip::tcp::socket::shutdown_both, ec);
    }
  }

  // Requests on one connection until either side closes it.
  void serve_connection(boost::asio::ip::tcp::socket& socket) {
    namespace http = boost::beast::http;
    boost::beast::flat_buffer buffer;
    while (!stopping_) {
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

  boost::asio::io_context io_;
  boost::asio::ip::tcp::acceptor acceptor_;
  std::uint16_t port_ = acceptor_.local_endpoint().port();
  std::atomic<bool> stopping_{false};
  std::atomic<int> connections_{0};
  std::atomic<int> active_fd_{-1};
  std::mutex mutex_;
  std::vector<CollectorAnswer> answers_;
  std::vector<ReceivedRequest> received_;
  std::thread thread_;
};

// A port nothing listens on (bound, read, released).
inline std::uint16_t unused_port() {
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor acceptor(io, {boost::asio::ip::make_address_v4("127.0.0.1"), 0});
  return acceptor.local_endpoint().port();
}

}  // namespace faultline::tracing::testing
