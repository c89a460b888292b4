// HttpServer: a small HTTP/1.1 server for health endpoints and demos.
//
// It serves one handler function on 127.0.0.1 (or any address you give),
// with keep-alive, on one thread of its own. The handler is called on that
// thread for every request and must answer quickly: it is meant for
// answers computed from state at hand, like the health registry's cached
// results (health_http_handler.hpp), not for work that blocks. Bounds keep
// a misbehaving client cheap: a cap on open connections (more are closed at
// once), on a request's size, and on how long a connection may stay idle.
//
//   HttpServer server(health_http_handler(registry));
//   if (Status s = server.start(); !s.ok()) die(s);
//   // GET http://127.0.0.1:<server.port()>/readyz
//
// stop() closes the listener and every connection; start() again listens
// on the same port, which is how tests take a server down and bring it back.
//
// Thread-safety: start() and stop() from one owning thread; port() and
// base_url() from any thread once started. The destructor stops.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "faultline/core/clock.hpp"
#include "faultline/core/status.hpp"

namespace faultline::health {

struct HttpRequest {
  std::string method;  // "GET"
  std::string target;  // "/readyz?verbose"
  std::string body = {};
};

struct HttpAnswer {
  int status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  std::string body = {};
  std::vector<std::pair<std::string, std::string>> headers = {};
};

using HttpHandler = std::function<HttpAnswer(const HttpRequest&)>;

struct HttpServerConfig {
  std::string address = "127.0.0.1";
  std::uint16_t port = 0;  // 0: an ephemeral port, read back with port()
  std::size_t connections_max = 1024;
  std::size_t request_bytes_max = 64 * 1024;
  Duration idle_timeout = std::chrono::seconds(30);
};

class HttpServer {
 public:
  explicit HttpServer(HttpHandler handler, HttpServerConfig config = {});
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds and serves on a thread of its own. unavailable if the address
  // cannot be bound, invalid_argument if it is not an IP address.
  // Precondition: not running.
  Status start();
  // Closes the listener and every connection, and joins. Idempotent.
  void stop();

  [[nodiscard]] bool running() const noexcept { return running_.load(); }
  // The bound port (kept across stop() and start()).
  [[nodiscard]] std::uint16_t port() const noexcept { return port_.load(); }
  // "http://127.0.0.1:<port>"
  [[nodiscard]] std::string base_url() const;

 private:
  struct Loop;
  HttpHandler handler_;
  HttpServerConfig config_;
  std::unique_ptr<Loop> loop_;
  std::thread thread_;
  std::atomic<std::uint16_t> port_{0};
  std::atomic<bool> running_{false};
};

}  // namespace faultline::health
