#include "faultline/tracing/binary_propagation.hpp"

#include <algorithm>

namespace faultline::tracing {

namespace {

constexpr std::size_t kTraceIdOffset = 1;
constexpr std::size_t kSpanIdOffset = kTraceIdOffset + TraceId::kBytes;
constexpr std::size_t kFlagsOffset = kSpanIdOffset + SpanId::kBytes;
constexpr std::size_t kLengthOffset = kFlagsOffset + 1;
static_assert(kLengthOffset + 2 == kBinaryContextFixedBytes);
static_assert(kBinaryContextTraceStateBytesMax <= 0xffff);

Status invalid(const std::string& what) { return Status::invalid_argument("binary trace context: " + what); }

}  // namespace

void append_span_context(const SpanContext& context, std::string& out) {
  if (!context.valid()) return;
  std::string state;
  if (context.trace_state && !context.trace_state->empty()) state = format_tracestate(*context.trace_state);
  if (state.size() > kBinaryContextTraceStateBytesMax) state.clear();
  out.reserve(out.size() + kBinaryContextFixedBytes + state.size());
  out.push_back(static_cast<char>(kBinaryContextVersion));
  out.append(reinterpret_cast<const char*>(context.trace_id.bytes.data()), TraceId::kBytes);
  out.append(reinterpret_cast<const char*>(context.span_id.bytes.data()), SpanId::kBytes);
  out.push_back(static_cast<char>(context.flags.bits & TraceFlags::kKnownMask));
  out.push_back(static_cast<char>((state.size() >> 8) & 0xff));
  out.push_back(static_cast<char>(state.size() & 0xff));
  out += state;
}

std::string encode_span_context(const SpanContext& context) {
  std::string out;
  append_span_context(context, out);
  return out;
}

Result<SpanContext> decode_span_context(std::span<const std::uint8_t> bytes) {
  if (bytes.empty()) return Status::not_found("binary trace context: no bytes (no trace)");
  if (bytes[0] != kBinaryContextVersion) {
    return invalid("unsupported format version " + std::to_string(bytes[0]) + " (this build reads version " +
                   std::to_string(kBinaryContextVersion) + ")");
  }
  if (bytes.size() < kBinaryContextFixedBytes) {
    return invalid("truncated: " + std::to_string(bytes.size()) + " bytes, at least " +
                   std::to_string(kBinaryContextFixedBytes) + " needed");
  }
  SpanContext context;
  std::copy_n(bytes.begin() + kTraceIdOffset, TraceId::kBytes, context.trace_id.bytes.begin());
  std::copy_n(bytes.begin() + kSpanIdOffset, SpanId::kBytes, context.span_id.bytes.begin());
  if (!context.trace_id.valid()) return invalid("all-zero trace id");
  if (!context.span_id.valid()) return invalid("all-zero span id");
  context.flags = TraceFlags::from_wire(bytes[kFlagsOffset]);
  context.remote = true;
  const std::size_t state_bytes = (std::size_t{bytes[kLengthOffset]} << 8) | bytes[kLengthOffset + 1];
  const std::size_t rest = bytes.size() - kBinaryContextFixedBytes;
  if (state_bytes > kBinaryContextTraceStateBytesMax) {
    return invalid("tracestate length " + std::to_string(state_bytes) + " exceeds " +
                   std::to_string(kBinaryContextTraceStateBytesMax));
  }
  if (state_bytes > rest) {
    return invalid("truncated: tracestate of " + std::to_string(state_bytes) + " bytes, only " +
                   std::to_string(rest) + " present");
  }
  if (state_bytes < rest) {
    return invalid(std::to_string(rest - state_bytes) + " trailing bytes after the tracestate");
  }
  if (state_bytes == 0) return context;
  const std::string_view text(reinterpret_cast<const char*>(bytes.data() + kBinaryContextFixedBytes), state_bytes);
  auto state = parse_tracestate(text);
  if (!state.ok()) return invalid(std::string(state.status().message()));
  // An encoder never writes an empty list with a non-zero length.
  if (state->empty()) return invalid("tracestate of " + std::to_string(state_bytes) + " bytes holds no member");
  context.trace_state = std::make_shared<const TraceState>(std::move(*state));
  return context;
}

Result<SpanContext> decode_span_context(std::string_view bytes) {
  return decode_span_context(
      std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()));
}

}  // namespace faultline::tracing
