// The W3C Trace Context conformance service: what the W3C's validation
// suite (github.com/w3c/trace-context, test/) drives to check a tracer.
//
// The suite POSTs to /test a JSON array of {"url": ..., "arguments": [...]};
// for each element, in order, the service POSTs `arguments` (as JSON) to
// `url`, carrying the incoming trace context onward as a child span: the
// same trace id, a new span id as the parent-id, the sampled flag and the
// tracestate as received (an invalid traceparent starts a new trace; an
// invalid tracestate is dropped). The suite's URLs often point back at
// this service, so requests are served concurrently (a bounded pool).
//
// Answers: 200 when every element was forwarded; 400 for a body that is
// not JSON or not an array of such objects, or a URL that is not
// http://host[:port][/path]; 404/405 for other paths and methods; 413 for
// a body over the limit; 502 when a forward failed (the first failure is
// named; later elements are not sent); 503 when every worker is busy.
// Nothing a client sends can crash or hang it.
//
// This is both an example of the tracing library's HTTP propagation
// (beast_propagation.hpp, a parent-based sampler, client and server spans)
// and what `faultline trace w3c-service --port N` runs.
//
//   auto service = W3cService::start({.port = 5000}, tracer);
//   if (!service.ok()) die(service.status());
//   // ... python test/test.py http://127.0.0.1:5000/test
//
// Thread-safety: start() and stop() from one owning thread; port() from
// any. The tracer must be thread-safe (Tracer is) and outlive the service.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "faultline/core/result.hpp"
#include "faultline/tracing/tracer.hpp"

namespace faultline::examples {

struct W3cServiceConfig {
  std::string host = "127.0.0.1";  // an IPv4 literal to listen on
  std::uint16_t port = 0;          // 0: any free port, read back with port()
  // Requests served at once; more are answered 503 at once. Each nesting
  // level of a suite request that calls back this service holds one.
  std::size_t workers = 8;
  std::size_t body_bytes_max = 1024 * 1024;
  // Bounds reading a request, and each forward (connect, send, answer).
  std::chrono::milliseconds read_timeout{5000};
  std::chrono::milliseconds forward_timeout{5000};
};

class W3cService {
 public:
  // Binds and starts serving; unavailable if the address cannot be bound,
  // invalid_argument for a bad config.
  static Result<std::unique_ptr<W3cService>> start(W3cServiceConfig config, tracing::Tracer& tracer);
  ~W3cService();
  W3cService(const W3cService&) = delete;
  W3cService& operator=(const W3cService&) = delete;

  [[nodiscard]] std::uint16_t port() const noexcept;
  // Stops accepting, lets requests in progress finish, joins. Idempotent.
  void stop();

 private:
  struct Impl;
  explicit W3cService(std::unique_ptr<Impl> impl) noexcept;
  std::unique_ptr<Impl> impl_;
};

}  // namespace faultline::examples
