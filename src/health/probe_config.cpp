#include "faultline/health/probe_config.hpp"

#include <charconv>
#include <string>

#include <arpa/inet.h>

namespace faultline::health {

namespace {

std::string millis(Duration d) {
  return std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(d).count()) + "ms";
}

bool is_ipv4(const std::string& text) {
  in_addr parsed{};
  return inet_pton(AF_INET, text.c_str(), &parsed) == 1;
}

Status bad_url(std::string_view url, std::string_view why) {
  return Status::invalid_argument("health: bad probe URL '" + std::string(url) + "': " + std::string(why));
}

}  // namespace

Result<HttpTarget> parse_http_url(std::string_view url) {
  for (const char c : url) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) return bad_url(url, "contains a space or control character");
  }
  constexpr std::string_view scheme = "http://";
  if (url.substr(0, 8) == "https://") return bad_url(url, "https is not supported, use http://");
  if (url.substr(0, scheme.size()) != scheme) return bad_url(url, "must start with http://");
  std::string_view rest = url.substr(scheme.size());
  const auto slash = rest.find_first_of("/?");
  std::string_view authority = rest.substr(0, slash);
  HttpTarget target;
  if (slash != std::string_view::npos) {
    const std::string_view path = rest.substr(slash);
    target.path.clear();
    if (path.front() == '?') target.path.push_back('/');
    target.path.append(path);
  }
  if (authority.find('@') != std::string_view::npos) return bad_url(url, "user information is not supported");
  const auto colon = authority.rfind(':');
  std::string_view host = authority.substr(0, colon);
  if (colon != std::string_view::npos) {
    const std::string_view port_text = authority.substr(colon + 1);
    unsigned value = 0;
    const auto [end, error] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), value);
    if (port_text.empty() || error != std::errc() || end != port_text.data() + port_text.size() || value == 0 ||
        value > 65535) {
      return bad_url(url, "port must be a number in 1-65535");
    }
    target.port = static_cast<std::uint16_t>(value);
  }
  if (host.empty()) return bad_url(url, "has no host");
  target.host = std::string(host);
  if (host == "localhost") {
    target.address = "127.0.0.1";
  } else if (is_ipv4(target.host)) {
    target.address = target.host;
  } else {
    return bad_url(url, "host must be an IPv4 address or localhost (no DNS lookups in probes)");
  }
  return target;
}

Status EndpointCheckConfig::validate() const {
  if (name.empty()) return Status::invalid_argument("health: endpoint name must not be empty");
  const std::string where = "health endpoint '" + name + "': ";
  if (interval <= Duration::zero()) return Status::invalid_argument(where + "interval must be > 0, got " + millis(interval));
  if (timeout <= Duration::zero()) return Status::invalid_argument(where + "timeout must be > 0, got " + millis(timeout));
  if (unhealthy_interval < Duration::zero()) {
    return Status::invalid_argument(where + "unhealthy_interval must be >= 0 (0: same as interval)");
  }
  if (interval_jitter < Duration::zero() || initial_jitter < Duration::zero()) {
    return Status::invalid_argument(where + "interval_jitter and initial_jitter must be >= 0");
  }
  if (timeout > interval) {
    return Status::invalid_argument(where + "timeout (" + millis(timeout) + ") must not exceed interval (" +
                                    millis(interval) + ")");
  }
  if (unhealthy_interval > Duration::zero() && timeout > unhealthy_interval) {
    return Status::invalid_argument(where + "timeout (" + millis(timeout) + ") must not exceed unhealthy_interval (" +
                                    millis(unhealthy_interval) + ")");
  }
  if (Status s = thresholds.validate(); !s.ok()) return Status::invalid_argument(where + std::string(s.message()));
  if (const auto* http = std::get_if<HttpProbe>(&probe)) {
    if (auto target = parse_http_url(http->url); !target.ok()) {
      return Status::invalid_argument(where + std::string(target.status().message()));
    }
    if (http->status_min < 100 || http->status_max > 599 || http->status_min > http->status_max) {
      return Status::invalid_argument(where + "status range must lie in 100-599 with min <= max, got " +
                                      std::to_string(http->status_min) + "-" + std::to_string(http->status_max));
    }
    if (http->response_bytes_max == 0) return Status::invalid_argument(where + "response_bytes_max must be > 0");
  } else if (const auto* tcp = std::get_if<TcpProbe>(&probe)) {
    if (tcp->port == 0) return Status::invalid_argument(where + "TCP probe port must be in 1-65535, got 0");
    if (tcp->host != "localhost" && !is_ipv4(tcp->host)) {
      return Status::invalid_argument(where + "TCP probe host must be an IPv4 address or localhost, got '" +
                                      tcp->host + "'");
    }
  } else if (!std::get<CustomProbe>(probe).start) {
    return Status::invalid_argument(where + "custom probe has no function");
  }
  return Status();
}

}  // namespace faultline::health
