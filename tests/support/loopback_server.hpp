// LoopbackServer: a blocking TCP server on 127.0.0.1 for tests that need a
// peer to misbehave on purpose (a stub collector, a server that never
// answers, one that sends garbage). Each accepted connection is handed to
// `behave` on the server's own thread, one at a time; the destructor ends
// the connection in hand and stops accepting.
//
// Thread-safety: port(), connections() and stopping() from any thread;
// `behave` runs on the server's thread only.
#pragma once

#include <sys/socket.h>

#include <atomic>
#include <cstdint>
#include <functional>
#include <thread>

#include "faultline/core/asio.hpp"

namespace faultline::testing {

class LoopbackServer {
 public:
  using Behaviour = std::function<void(boost::asio::ip::tcp::socket&)>;

  // Listens on `port` (0: any free port).
  explicit LoopbackServer(Behaviour behave, std::uint16_t port = 0)
      : behave_(std::move(behave)),
        acceptor_(io_, {boost::asio::ip::make_address_v4("127.0.0.1"), port}, /*reuse_address=*/true),
        port_(acceptor_.local_endpoint().port()),
        thread_([this] { serve(); }) {}
  ~LoopbackServer() {
    stopping_ = true;
    // A client may hold a connection open: end it from our side.
    if (const int fd = active_fd_.load(); fd >= 0) ::shutdown(fd, SHUT_RDWR);
    // Unblock accept() by connecting once; the loop then sees the flag.
    boost::system::error_code ignored;
    boost::asio::io_context io;
    boost::asio::ip::tcp::socket poke(io);
    poke.connect({boost::asio::ip::make_address_v4("127.0.0.1"), port_}, ignored);
    thread_.join();
  }
  LoopbackServer(const LoopbackServer&) = delete;
  LoopbackServer& operator=(const LoopbackServer&) = delete;

  [[nodiscard]] std::uint16_t port() const { return port_; }
  // Connections accepted so far.
  [[nodiscard]] int connections() const { return connections_.load(); }
  // True once the destructor has begun: a behaviour that loops checks it.
  [[nodiscard]] bool stopping() const { return stopping_.load(); }

 private:
  void serve() {
    while (!stopping_) {
      boost::system::error_code ec;
      boost::asio::ip::tcp::socket socket(io_);
      acceptor_.accept(socket, ec);
      if (ec || stopping_) return;
      ++connections_;
      active_fd_ = socket.native_handle();
      behave_(socket);
      active_fd_ = -1;
      socket.shutdown(boost::asio::ip::tcp::socket::shutdown_both, ec);
      socket.close(ec);
    }
  }

  Behaviour behave_;
  boost::asio::io_context io_;
  boost::asio::ip::tcp::acceptor acceptor_;
  std::uint16_t port_;
  std::atomic<bool> stopping_{false};
  std::atomic<int> connections_{0};
  std::atomic<int> active_fd_{-1};
  std::thread thread_;  // last: started once everything above exists
};

}  // namespace faultline::testing
