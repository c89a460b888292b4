// The health registry over HTTP: /livez, /readyz, /startupz and /health.
//
// - GET /livez, /readyz, /startupz: 200 "ok" when the group's verdict is ok,
//   503 otherwise with one line per check that is not passing, in the shape
//   the Kubernetes API server uses ("[-]db failed: unavailable: refused").
//   Add ?verbose to list every check, passing ones as "[+]name ok".
// - GET /health: JSON, 200 when every group is ok, else 503:
//     {"status":"pass"|"fail","startup_complete":true,
//      "checks":[{"name":"db","kind":"readiness","status":"pass"|"fail"|"pending",
//                 "last_error":null|"...","duration_ms":1.25,
//                 "last_change":null|"2026-12-02T11:30:00.123Z","running":false}]}
// - HEAD is answered like GET without a body; other methods get 405.
//
// The answers read the registry's cached results and never wait for a check.
//
//   HttpServer server(health_http_handler(registry));
//   // or, beside your own routes:
//   if (auto answer = answer_health_request(registry, request)) return *answer;
//
// Thread-safety: as the registry's readers, safe from any thread.
#pragma once

#include <optional>

#include "faultline/health/health_registry.hpp"
#include "faultline/health/http_server.hpp"

namespace faultline::health {

// The answer for a health path; nullopt for any other path.
[[nodiscard]] std::optional<HttpAnswer> answer_health_request(const HealthRegistry& registry,
                                                              const HttpRequest& request);

// A handler serving the health paths and 404 for the rest. The registry
// must outlive the handler.
[[nodiscard]] HttpHandler health_http_handler(const HealthRegistry& registry);

// The JSON document /health serves.
[[nodiscard]] std::string health_json(const HealthRegistry& registry);

}  // namespace faultline::health
