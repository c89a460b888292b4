// HTTP status codes and Retry-After headers mapped onto the error model.
//
// Use these at every HTTP boundary (clients classify a response, servers
// answer a Status) so that retry decisions made on HTTP errors are the same
// as those made on any other error: 4xx are permanent except 408 and 429;
// 5xx are transient except 501.
//
//   Status s = status_from_http(503, "backend busy");      // unavailable
//   if (auto hint = parse_retry_after("120", now)) s.with_retry_after(*hint);
//
// Thread-safety: pure functions, safe from any thread.
#pragma once

#include <chrono>
#include <optional>
#include <string_view>

#include "faultline/core/status.hpp"

namespace faultline {

// 2xx → ok; 400 invalid_argument; 401 unauthenticated; 403 permission_denied;
// 404 not_found; 408 deadline_exceeded; 409 aborted; 412 failed_precondition;
// 416 out_of_range; 429 resource_exhausted; 499 cancelled; other 4xx
// failed_precondition; 500 internal; 501 unimplemented; 502 and 503
// unavailable; 504 deadline_exceeded; other 5xx internal; anything else
// (1xx, 3xx, out of range) unknown.
[[nodiscard]] StatusCode status_code_from_http(int http_status) noexcept;
[[nodiscard]] Status status_from_http(int http_status, std::string_view message);

// The status a server answers for a code (google.rpc.Code's mapping).
[[nodiscard]] int http_status_from_code(StatusCode code) noexcept;

// Same verdict as is_transient(status_code_from_http(s)), stated the HTTP way.
[[nodiscard]] bool is_transient_http_status(int http_status) noexcept;

// Parses a Retry-After value: delta-seconds ("120") or an IMF-fixdate
// ("Wed, 21 Oct 2015 07:28:00 GMT", read against `now`). nullopt for
// anything malformed; a date in the past yields zero. Delays are capped at
// one day so a hostile server cannot park a client forever.
[[nodiscard]] std::optional<std::chrono::nanoseconds> parse_retry_after(
    std::string_view value, std::chrono::system_clock::time_point now);

}  // namespace faultline
