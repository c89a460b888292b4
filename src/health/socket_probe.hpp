// SocketProbe: one endpoint's HTTP or TCP probe on an Asio io_context
// (internal to the active checker). It owns the endpoint's connection so an
// HTTP probe can reuse it; every operation runs on the io_context's thread,
// and the object stays alive while an operation holds it.
//
// Thread-safety: start() and close() may be called from any thread (they
// post to the io_context); one probe at a time per object.
#pragma once

#include <functional>
#include <memory>

#include "faultline/core/clock.hpp"
#include "faultline/core/status.hpp"
#include "faultline/health/probe_config.hpp"

namespace boost::asio {
class io_context;
}  // namespace boost::asio

namespace faultline::health::detail {

class SocketProbe {
 public:
  using Done = std::function<void(Status)>;
  virtual ~SocketProbe() = default;
  // Runs one probe; `done` runs once on the io_context's thread.
  virtual void start(Done done) = 0;
  // Drops the connection (after the current probe, if any, fails).
  virtual void close() = 0;
};

std::shared_ptr<SocketProbe> make_http_probe(boost::asio::io_context& io, HttpProbe probe, HttpTarget target,
                                             Duration timeout);
std::shared_ptr<SocketProbe> make_tcp_probe(boost::asio::io_context& io, std::string address, std::uint16_t port,
                                            Duration timeout);

}  // namespace faultline::health::detail
