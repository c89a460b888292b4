#include "faultline/health/health_http_handler.hpp"

#include <cstdio>
#include <ctime>
#include <nlohmann/json.hpp>
#include <string_view>

namespace faultline::health {

namespace {

// RFC 3339 in UTC with milliseconds: "2026-12-02T11:30:00.123Z".
std::string rfc3339(WallTimePoint when) {
  const auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(when.time_since_epoch()).count();
  const std::time_t seconds = static_cast<std::time_t>(millis >= 0 ? millis / 1000 : (millis - 999) / 1000);
  const auto fraction = static_cast<int>(millis - static_cast<long long>(seconds) * 1000);
  std::tm parts{};
  gmtime_r(&seconds, &parts);
  char text[96];
  std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", parts.tm_year + 1900, parts.tm_mon + 1,
                parts.tm_mday, parts.tm_hour, parts.tm_min, parts.tm_sec, fraction);
  return text;
}

std::string_view path_of(std::string_view target) { return target.substr(0, target.find('?')); }

bool has_query_flag(std::string_view target, std::string_view flag) {
  const auto question = target.find('?');
  if (question == std::string_view::npos) return false;
  std::string_view query = target.substr(question + 1);
  while (!query.empty()) {
    const auto amp = query.find('&');
    std::string_view item = query.substr(0, amp);
    const auto equals = item.find('=');
    if (item.substr(0, equals) == flag) return true;
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return false;
}

std::string check_line(const CheckReport& check) {
  switch (check.state) {
    case CheckState::passing:
      return "[+]" + check.name + " ok\n";
    case CheckState::pending:
      return "[-]" + check.name + " failed: not run yet\n";
    case CheckState::failing:
      break;
  }
  return "[-]" + check.name + " failed: " + check.last_error + "\n";
}

HttpAnswer probe_answer(const HealthRegistry& registry, ProbeKind kind, std::string_view endpoint, bool verbose) {
  const ProbeVerdict verdict = registry.verdict(kind);
  std::string body;
  if (kind == ProbeKind::readiness && !verdict.startup_complete) body += "[-]startup not complete\n";
  for (const auto& check : verdict.checks) {
    // A liveness check not yet run is not a failure (see health_registry.hpp).
    const bool counts_as_ok =
        check.state == CheckState::passing || (kind == ProbeKind::liveness && check.state == CheckState::pending);
    if (kind == ProbeKind::startup && check.state != CheckState::failing && verdict.startup_complete) {
      if (verbose) body += "[+]" + check.name + " ok\n";
      continue;
    }
    if (counts_as_ok) {
      if (verbose) body += check.state == CheckState::passing ? check_line(check) : "[+]" + check.name + " not run yet\n";
    } else {
      body += check_line(check);
    }
  }
  if (verdict.ok) {
    body = verbose ? body + std::string(endpoint) + " check passed\n" : "ok\n";
  } else {
    body += std::string(endpoint) + " check failed\n";
  }
  return HttpAnswer{verdict.ok ? 200 : 503, "text/plain; charset=utf-8", std::move(body)};
}

}  // namespace

namespace {

// The document and its verdict, from one set of readings.
std::pair<bool, std::string> health_document(const HealthRegistry& registry) {
  const bool live = registry.verdict(ProbeKind::liveness).ok;
  const bool ready = registry.verdict(ProbeKind::readiness).ok;
  const bool started = registry.startup_complete();
  nlohmann::ordered_json checks = nlohmann::ordered_json::array();
  for (const auto& check : registry.reports()) {
    nlohmann::ordered_json entry;
    entry["name"] = check.name;
    entry["kind"] = std::string(probe_kind_name(check.kind));
    entry["status"] = std::string(check_state_name(check.state));
    entry["last_error"] = check.last_error.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(check.last_error);
    entry["duration_ms"] = std::chrono::duration<double, std::milli>(check.last_duration).count();
    entry["last_change"] = check.last_change ? nlohmann::ordered_json(rfc3339(*check.last_change)) : nlohmann::ordered_json(nullptr);
    entry["running"] = check.running;
    checks.push_back(std::move(entry));
  }
  const bool ok = live && ready && started;
  nlohmann::ordered_json document;
  document["status"] = ok ? "pass" : "fail";
  document["startup_complete"] = started;
  document["checks"] = std::move(checks);
  return {ok, document.dump()};
}

}  // namespace

std::string health_json(const HealthRegistry& registry) { return health_document(registry).second; }

std::optional<HttpAnswer> answer_health_request(const HealthRegistry& registry, const HttpRequest& request) {
  const std::string_view path = path_of(request.target);
  const bool known = path == "/livez" || path == "/readyz" || path == "/startupz" || path == "/health";
  if (!known) return std::nullopt;
  if (request.method != "GET" && request.method != "HEAD") {
    return HttpAnswer{405, "text/plain; charset=utf-8", "method not allowed\n", {{"Allow", "GET, HEAD"}}};
  }
  const bool verbose = has_query_flag(request.target, "verbose");
  if (path == "/livez") return probe_answer(registry, ProbeKind::liveness, "livez", verbose);
  if (path == "/readyz") return probe_answer(registry, ProbeKind::readiness, "readyz", verbose);
  if (path == "/startupz") return probe_answer(registry, ProbeKind::startup, "startupz", verbose);
  auto [ok, body] = health_document(registry);
  return HttpAnswer{ok ? 200 : 503, "application/json", std::move(body) + "\n"};
}

HttpHandler health_http_handler(const HealthRegistry& registry) {
  return [&registry](const HttpRequest& request) {
    if (auto answer = answer_health_request(registry, request)) return std::move(*answer);
    return HttpAnswer{404, "text/plain; charset=utf-8", "not found\n"};
  };
}

}  // namespace faultline::health
