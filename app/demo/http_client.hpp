// HttpClient: a blocking HTTP/1.1 GET with a deadline that really cancels.
//
// The demo's clients call the flaky service through this. get() blocks the
// calling thread until the answer, the deadline or a stop request, whichever
// comes first, and on the latter two it closes the socket: the attempt is
// abandoned on the wire, not merely ignored. That is what lets a resilience
// Timeout (which requests stop on the call's stop token) free the worker at
// once instead of waiting for a server that hangs.
//
// Every outcome is a Status from Faultline's error model, so retry policies
// and circuit breakers classify HTTP failures like any other:
//   2xx                                   -> ok, with the reply
//   other HTTP statuses                   -> status_from_http (503 -> unavailable),
//                                            with Retry-After as retry_after()
//   refused, reset, closed, malformed     -> unavailable, saying which
//   deadline reached                      -> deadline_exceeded
//   stop requested before the deadline    -> cancelled
//
// A request made while a trace context is current (current_context.hpp)
// carries it in traceparent/tracestate headers.
//
// One connection per request (Connection: close): simple, and each attempt
// meets the server's fault schedule afresh.
//
//   HttpClient client({.port = service.port(), .client_name = "bare"}, clock);
//   Result<HttpReply> reply = client.get("/", clock.now() + 2s, stop_token);
//
// Thread-safety: get() is const and safe from many threads at once; each
// call uses its own socket and io_context.
#pragma once

#include <cstddef>
#include <cstdint>
#include <stop_token>
#include <string>
#include <string_view>

#include "faultline/core/clock.hpp"
#include "faultline/core/result.hpp"

namespace faultline::demo {

struct HttpClientConfig {
  std::string host = "127.0.0.1";  // an IPv4 literal: the demo never resolves names
  std::uint16_t port = 0;
  std::string client_name = "client";  // sent as X-Faultline-Client
  std::size_t body_bytes_max = 64 * 1024;
  // Applies when the caller gives no deadline: nothing waits forever.
  Duration timeout_max = std::chrono::seconds(60);
};

struct HttpReply {
  int http_status = 0;
  std::string body;
};

// Identifies a request to the flaky service (X-Request-Id, X-Attempt).
struct RequestTag {
  std::uint64_t request_id = 0;
  std::uint32_t attempt = 1;
};

class HttpClient {
 public:
  HttpClient(HttpClientConfig config, const Clock& clock);

  // GET `target` (e.g. "/"). Blocks until done, `deadline` or `stop`.
  [[nodiscard]] Result<HttpReply> get(std::string_view target, TimePoint deadline,
                                      std::stop_token stop, RequestTag tag = {}) const;

  [[nodiscard]] const HttpClientConfig& config() const noexcept { return config_; }

 private:
  HttpClientConfig config_;
  const Clock& clock_;
};

}  // namespace faultline::demo
