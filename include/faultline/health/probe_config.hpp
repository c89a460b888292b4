// How the active checker probes one endpoint, and how often.
//
// A probe is an HTTP GET (a status range and, optionally, a substring the
// body must contain), a TCP connect, or a custom asynchronous function.
// The timing fields follow Envoy's health checker: `interval` between the
// end of one probe and the start of the next, plus a random extra in
// [0, interval_jitter]; `unhealthy_interval` instead while the endpoint is
// unhealthy (faster, to notice recovery sooner); the first probe waits a
// random time in [0, initial_jitter] so a fleet added at once is spread out.
//
//   EndpointCheckConfig config;
//   config.name = "replica-1";
//   config.probe = HttpProbe{.url = "http://127.0.0.1:8080/readyz"};
//   config.interval = 1s;
//   config.thresholds = {.healthy_threshold = 2, .unhealthy_threshold = 3};
//   if (Status s = config.validate(); !s.ok()) ...
//
// validate() rejects what cannot work: an empty name, a URL that is not
// `http://<IPv4 or localhost>[:port][/path]`, a zero or negative interval or
// timeout, a timeout longer than an interval (the probe would outlive its
// slot), a threshold of 0, an empty status range, an empty custom function.
//
// Thread-safety: value types.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <variant>

#include "faultline/core/clock.hpp"
#include "faultline/core/result.hpp"
#include "faultline/core/status.hpp"
#include "faultline/health/threshold_tracker.hpp"

namespace faultline::health {

struct HttpProbe {
  std::string url;  // http://127.0.0.1:8080/readyz
  // Inclusive range of statuses that pass (Kubernetes: 200-399).
  int status_min = 200;
  int status_max = 399;
  // When not empty, the body must contain it.
  std::string body_contains = {};
  // Keep the connection open between probes (Envoy's reuse_connection):
  // thousands of endpoints probed each second would otherwise leave
  // thousands of sockets in TIME_WAIT.
  bool reuse_connection = true;
  // A longer answer fails the probe rather than filling memory.
  std::size_t response_bytes_max = 64 * 1024;
};

struct TcpProbe {
  std::string host;  // an IPv4 address or "localhost"
  std::uint16_t port = 0;
};

// Calls `done` exactly once, from any thread, with the probe's outcome; the
// checker ignores a call that comes after the timeout.
using ProbeDone = std::function<void(Status)>;
struct CustomProbe {
  std::function<void(ProbeDone)> start = {};
};

using Probe = std::variant<HttpProbe, TcpProbe, CustomProbe>;

struct EndpointCheckConfig {
  std::string name;
  Probe probe = HttpProbe{};
  Duration interval = std::chrono::seconds(1);
  Duration interval_jitter = Duration::zero();
  Duration unhealthy_interval = Duration::zero();  // zero: same as interval
  Duration initial_jitter = Duration::zero();
  Duration timeout = std::chrono::milliseconds(500);
  ThresholdConfig thresholds = {};

  // The interval in force for an endpoint in this state.
  [[nodiscard]] Duration interval_for(bool healthy) const noexcept {
    return healthy || unhealthy_interval == Duration::zero() ? interval : unhealthy_interval;
  }
  [[nodiscard]] Status validate() const;
};

// A parsed http:// URL.
struct HttpTarget {
  std::string host;  // as written (for the Host header)
  std::string address;  // IPv4 dotted quad to connect to
  std::uint16_t port = 80;
  std::string path = "/";
};

// Parses http://host[:port][/path]; host is an IPv4 address or localhost.
// invalid_argument with the reason otherwise (https, a name that needs DNS,
// a port outside 1-65535, control characters).
[[nodiscard]] Result<HttpTarget> parse_http_url(std::string_view url);

}  // namespace faultline::health
