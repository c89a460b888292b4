// Optional whitespace as HTTP and W3C Trace Context define it (OWS: space
// and horizontal tab), shared by the traceparent and tracestate parsers
// (internal).
//
// Thread-safety: pure functions.
#pragma once

#include <string_view>

namespace faultline::tracing {

[[nodiscard]] constexpr bool is_optional_whitespace(char c) noexcept { return c == ' ' || c == '\t'; }

[[nodiscard]] constexpr std::string_view trim_optional_whitespace(std::string_view text) noexcept {
  while (!text.empty() && is_optional_whitespace(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_optional_whitespace(text.back())) text.remove_suffix(1);
  return text;
}

}  // namespace faultline::tracing
