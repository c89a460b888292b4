#include "faultline/core/http_status.hpp"

#include <array>
#include <charconv>
#include <cstdint>

namespace faultline {

StatusCode status_code_from_http(int s) noexcept {
  if (s >= 200 && s < 300) return StatusCode::ok;
  switch (s) {
    case 400: return StatusCode::invalid_argument;
    case 401: return StatusCode::unauthenticated;
    case 403: return StatusCode::permission_denied;
    case 404: return StatusCode::not_found;
    case 408: return StatusCode::deadline_exceeded;
    case 409: return StatusCode::aborted;
    case 412: return StatusCode::failed_precondition;
    case 416: return StatusCode::out_of_range;
    case 429: return StatusCode::resource_exhausted;
    case 499: return StatusCode::cancelled;
    case 500: return StatusCode::internal;
    case 501: return StatusCode::unimplemented;
    case 502:
    case 503: return StatusCode::unavailable;
    case 504: return StatusCode::deadline_exceeded;
    default: break;
  }
  if (s >= 400 && s < 500) return StatusCode::failed_precondition;
  if (s >= 500 && s < 600) return StatusCode::internal;
  return StatusCode::unknown;
}

Status status_from_http(int http_status, std::string_view message) {
  const StatusCode code = status_code_from_http(http_status);
  if (code == StatusCode::ok) return Status();
  return Status(code, message);
}

int http_status_from_code(StatusCode code) noexcept {
  switch (code) {
    case StatusCode::ok: return 200;
    case StatusCode::cancelled: return 499;
    case StatusCode::unknown: return 500;
    case StatusCode::invalid_argument: return 400;
    case StatusCode::deadline_exceeded: return 504;
    case StatusCode::not_found: return 404;
    case StatusCode::already_exists: return 409;
    case StatusCode::permission_denied: return 403;
    case StatusCode::resource_exhausted: return 429;
    case StatusCode::failed_precondition: return 400;
    case StatusCode::aborted: return 409;
    case StatusCode::out_of_range: return 400;
    case StatusCode::unimplemented: return 501;
    case StatusCode::internal: return 500;
    case StatusCode::unavailable: return 503;
    case StatusCode::data_loss: return 500;
    case StatusCode::unauthenticated: return 401;
  }
  return 500;
}

bool is_transient_http_status(int s) noexcept {
  if (s >= 400 && s < 500) return s == 408 || s == 429;
  if (s >= 500 && s < 600) return s != 501;
  return false;
}

namespace {

constexpr std::chrono::nanoseconds kRetryAfterMax = std::chrono::hours(24);

std::optional<int> parse_digits(std::string_view text) {
  int value = 0;
  if (text.empty()) return std::nullopt;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// Days since 1970-01-01 of a civil date (proleptic Gregorian), after
// Howard Hinnant's published derivation of the algorithm.
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2 ? 1 : 0;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

// IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT" (RFC 9110 §5.6.7).
std::optional<std::chrono::system_clock::time_point> parse_imf_fixdate(std::string_view v) {
  static constexpr std::array<std::string_view, 12> kMonths = {
      "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  if (v.size() != 29 || v[3] != ',' || v[4] != ' ' || v[7] != ' ' || v[11] != ' ' ||
      v[16] != ' ' || v[19] != ':' || v[22] != ':' || v.substr(25) != " GMT") {
    return std::nullopt;
  }
  const auto day = parse_digits(v.substr(5, 2));
  const auto year = parse_digits(v.substr(12, 4));
  const auto hour = parse_digits(v.substr(17, 2));
  const auto minute = parse_digits(v.substr(20, 2));
  const auto second = parse_digits(v.substr(23, 2));
  unsigned month = 0;
  for (unsigned i = 0; i < kMonths.size(); ++i) {
    if (v.substr(8, 3) == kMonths[i]) month = i + 1;
  }
  if (!day || !year || !hour || !minute || !second || month == 0 || *day < 1 || *day > 31 ||
      *hour > 23 || *minute > 59 || *second > 60) {
    return std::nullopt;
  }
  const std::int64_t days = days_from_civil(*year, month, static_cast<unsigned>(*day));
  const std::int64_t seconds = days * 86400 + *hour * 3600 + *minute * 60 + *second;
  return std::chrono::system_clock::time_point(std::chrono::seconds(seconds));
}

}  // namespace

std::optional<std::chrono::nanoseconds> parse_retry_after(std::string_view value,
                                                          std::chrono::system_clock::time_point now) {
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
  if (value.empty()) return std::nullopt;
  if (value.front() >= '0' && value.front() <= '9') {
    std::uint64_t seconds = 0;
    const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), seconds);
    if (end != value.data() + value.size()) return std::nullopt;
    if (error == std::errc::result_out_of_range || seconds > 86400) return kRetryAfterMax;
    if (error != std::errc()) return std::nullopt;
    return std::chrono::seconds(seconds);
  }
  const auto date = parse_imf_fixdate(value);
  if (!date) return std::nullopt;
  if (*date <= now) return std::chrono::nanoseconds::zero();
  const auto delay = std::chrono::duration_cast<std::chrono::nanoseconds>(*date - now);
  return delay > kRetryAfterMax ? kRetryAfterMax : delay;
}

}  // namespace faultline
