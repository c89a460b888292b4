// Loopback helpers for the health tests: an event loop on a thread, a
// blocking HTTP GET, a raw TCP server that misbehaves on purpose, and a
// wait for a condition with a generous real-time bound.
//
// Thread-safety: each helper owns its thread; readers are synchronized.
#pragma once

#include "faultline/core/asio.hpp"

#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <functional>
#include <optional>
#include <string>
#include <thread>

#include "faultline/core/clock.hpp"
#include "support/loopback_server.hpp"

namespace faultline::health::testing {

// An io_context kept running on its own thread until destroyed.
class EventLoop {
 public:
  EventLoop() : thread_([this] { io.run(); }) {}
  ~EventLoop() {
    work_.reset();
    io.stop();
    thread_.join();
  }
  boost::asio::io_context io;

 private:
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work_{
      boost::asio::make_work_guard(io)};
  std::thread thread_;
};

struct GetResult {
  int status = 0;  // 0: transport error
  std::string body;
  std::string content_type;
  std::string error;
};

// GET (or another method) over a fresh connection, bounded by `timeout`.
inline GetResult http_request(std::uint16_t port, const std::string& target, const std::string& method = "GET",
                              std::chrono::milliseconds timeout = std::chrono::milliseconds(3000)) {
  namespace beast = boost::beast;
  namespace http = beast::http;
  GetResult result;
  boost::asio::io_context io;
  beast::tcp_stream stream(io);
  stream.expires_after(timeout);
  http::request<http::empty_body> request{http::string_to_verb(method), target, 11};
  request.set(http::field::host, "127.0.0.1");
  request.keep_alive(false);
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  if (method == "HEAD") parser.skip(true);
  stream.async_connect({boost::asio::ip::make_address_v4("127.0.0.1"), port}, [&](beast::error_code ec) {
    if (ec) return void(result.error = "connect: " + ec.message());
    http::async_write(stream, request, [&](beast::error_code ec, std::size_t) {
      if (ec) return void(result.error = "send: " + ec.message());
      http::async_read(stream, buffer, parser, [&](beast::error_code ec, std::size_t) {
        if (ec) return void(result.error = "receive: " + ec.message());
        result.status = static_cast<int>(parser.get().result_int());
        result.body = parser.get().body();
        result.content_type = std::string(parser.get()[http::field::content_type]);
      });
    });
  });
  io.run();
  return result;
}

// A server that misbehaves as the test says (support/loopback_server.hpp).
using RawServer = faultline::testing::LoopbackServer;

// Reads until the end of the request head (or EOF).
inline void read_request(boost::asio::ip::tcp::socket& socket) {
  boost::system::error_code ec;
  std::string data;
  char chunk[1024];
  while (data.find("\r\n\r\n") == std::string::npos) {
    const std::size_t n = socket.read_some(boost::asio::buffer(chunk), ec);
    if (ec) return;
    data.append(chunk, n);
  }
}

// Polls `condition` every millisecond for up to `limit` of real time.
inline bool eventually(const std::function<bool()>& condition,
                       std::chrono::milliseconds limit = std::chrono::milliseconds(5000)) {
  const TimePoint deadline = SteadyClock::instance().now() + limit;
  while (SteadyClock::instance().now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return condition();
}

}  // namespace faultline::health::testing
