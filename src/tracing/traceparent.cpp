#include "faultline/tracing/traceparent.hpp"

#include <string>

#include "faultline/core/assert.hpp"
#include "whitespace.hpp"

namespace faultline::tracing {

namespace {

// Offsets of the version-00 layout "vv-tttt…tttt-pppppppppppppppp-ff".
constexpr std::size_t kTraceIdOffset = 3;
constexpr std::size_t kParentIdOffset = kTraceIdOffset + TraceId::kHexChars + 1;  // 36
constexpr std::size_t kFlagsOffset = kParentIdOffset + SpanId::kHexChars + 1;     // 53

Status invalid(std::string_view what) {
  return Status::invalid_argument(std::string("traceparent: ") + std::string(what));
}

Status expect_dash(std::string_view header, std::size_t offset) {
  if (header[offset] == '-') return Status();
  return invalid("expected '-' at offset " + std::to_string(offset));
}

}  // namespace

Result<TraceParent> parse_traceparent(std::string_view header) {
  header = trim_optional_whitespace(header);
  if (header.size() > kTraceParentCharsMax) {
    return invalid("longer than " + std::to_string(kTraceParentCharsMax) + " characters");
  }
  if (header.size() < kTraceParentChars) {
    return invalid("shorter than " + std::to_string(kTraceParentChars) + " characters");
  }
  std::uint8_t version = 0;
  if (!detail::decode_lower_hex(header.substr(0, 2), &version, 1)) {
    return invalid("version must be two lower-case hex digits");
  }
  if (version == 0xff) return invalid("version ff is invalid");
  if (version == 0x00 && header.size() != kTraceParentChars) {
    return invalid("version 00 must be exactly 55 characters");
  }
  // A future version may append fields, but only after a '-'.
  if (header.size() > kTraceParentChars && header[kTraceParentChars] != '-') {
    return invalid("expected '-' or the end after trace-flags at offset 55");
  }
  for (const std::size_t offset : {kTraceIdOffset - 1, kParentIdOffset - 1, kFlagsOffset - 1}) {
    if (auto dash = expect_dash(header, offset); !dash.ok()) return dash;
  }
  TraceParent parent;
  if (!detail::decode_lower_hex(header.substr(kTraceIdOffset, TraceId::kHexChars),
                                parent.trace_id.bytes.data(), TraceId::kBytes)) {
    return invalid("trace-id must be 32 lower-case hex digits");
  }
  if (!parent.trace_id.valid()) return invalid("trace-id must not be all zeros");
  if (!detail::decode_lower_hex(header.substr(kParentIdOffset, SpanId::kHexChars),
                                parent.parent_id.bytes.data(), SpanId::kBytes)) {
    return invalid("parent-id must be 16 lower-case hex digits");
  }
  if (!parent.parent_id.valid()) return invalid("parent-id must not be all zeros");
  std::uint8_t raw_flags = 0;
  if (!detail::decode_lower_hex(header.substr(kFlagsOffset, 2), &raw_flags, 1)) {
    return invalid("trace-flags must be two lower-case hex digits");
  }
  parent.flags = TraceFlags::from_wire(raw_flags);
  return parent;
}

void write_traceparent(const TraceParent& parent, char* out) noexcept {
  out[0] = '0';
  out[1] = '0';
  out[kTraceIdOffset - 1] = '-';
  write_hex(parent.trace_id, out + kTraceIdOffset);
  out[kParentIdOffset - 1] = '-';
  write_hex(parent.parent_id, out + kParentIdOffset);
  out[kFlagsOffset - 1] = '-';
  const std::uint8_t flags = parent.flags.bits & TraceFlags::kKnownMask;
  detail::encode_lower_hex(&flags, 1, out + kFlagsOffset);
}

std::string format_traceparent(const TraceParent& parent) {
  FAULTLINE_ASSERT(parent.trace_id.valid() && parent.parent_id.valid(),
                   "format_traceparent of an invalid context");
  std::string out(kTraceParentChars, '0');
  write_traceparent(parent, out.data());
  return out;
}

}  // namespace faultline::tracing
