// The W3C Trace Context `traceparent` header: parse and format.
//
//   traceparent: 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01
//                ^^ version  ^^ trace-id (32 hex)     ^^ parent-id  ^^ flags
//
// Parsing follows the W3C Recommendation (Trace Context Level 1) to the
// letter, so that a header another tracer accepts we accept and one it
// rejects we reject:
// - every field is lower-case hex (HEXDIGLC); upper case is invalid;
// - version ff is invalid; version 00 is exactly 55 characters;
// - a higher version is parsed forward-compatibly: at least 55
//   characters, the 00 fields at the same places, and after the flags
//   either the end of the header or a '-' followed by fields we ignore;
// - an all-zero trace-id or parent-id is invalid;
// - flag bits this version does not know are masked off, not rejected;
// - leading and trailing optional whitespace (space, tab) is ignored, as an
//   HTTP field value's is.
// An invalid header is an invalid_argument Status that names what was
// wrong; the caller then starts a new trace (the Recommendation's rule).
// Nothing here throws.
//
// Formatting always writes version 00, the version we implement, with the
// known flags only: a forwarder must not claim a version it does not speak.
//
//   Result<TraceParent> parent = parse_traceparent(header_value);
//   if (!parent.ok()) { /* start a new trace */ }
//   std::string outgoing = format_traceparent(child);
//
// Thread-safety: value type and pure functions.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "faultline/core/result.hpp"
#include "faultline/tracing/ids.hpp"

namespace faultline::tracing {

struct TraceParent {
  TraceId trace_id;
  // The id of the span that sent the request (the receiver's parent).
  SpanId parent_id;
  TraceFlags flags;

  friend bool operator==(const TraceParent&, const TraceParent&) noexcept = default;
};

// The length of a version-00 traceparent, and of the prefix every higher
// version shares with it.
inline constexpr std::size_t kTraceParentChars = 55;
// A bound on what we read of a future version's header: its extra fields
// are ignored, but a header this long is not an honest one.
inline constexpr std::size_t kTraceParentCharsMax = 512;

Result<TraceParent> parse_traceparent(std::string_view header);

// Exactly kTraceParentChars characters, version 00. Precondition: the ids
// are valid (a bug otherwise: there is no traceparent for "no trace").
[[nodiscard]] std::string format_traceparent(const TraceParent& parent);
// The same into a caller's buffer of at least kTraceParentChars chars; no
// allocation.
void write_traceparent(const TraceParent& parent, char* out) noexcept;

}  // namespace faultline::tracing
