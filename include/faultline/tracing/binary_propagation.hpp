// Carrying a trace in a binary message (Raft RPCs, any framed protocol):
// a compact, versioned byte encoding of a SpanContext, tracestate included.
//
// Use it where a message has a bytes field for the trace context; use
// beast_propagation.hpp for HTTP. The encoding (all multi-byte integers
// big-endian):
//
//   offset  size  field
//   0       1     format version, kBinaryContextVersion (0)
//   1       16    trace id
//   17      8     span id
//   25      1     trace flags (unknown bits are masked off when decoding,
//                 as W3C Trace Context says of the traceparent)
//   26      2     tracestate length N, 0 for none
//   28      N     tracestate, its W3C header form ("k1=v1,k2=v2")
//
// 28 bytes without a tracestate. An invalid (absent) context encodes to no
// bytes at all, and decoding no bytes gives not_found: an empty field means
// "no trace". Decoding trusts nothing it reads: a wrong version, a
// truncated input, a length past the end, trailing bytes, all-zero ids or
// an invalid tracestate are invalid_argument naming the problem. The
// receiver then starts a new trace, as with a bad traceparent; nothing
// here throws.
//
//   std::string bytes = encode_span_context(span.context());
//   Result<SpanContext> parent = decode_span_context(bytes);
//
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "faultline/core/result.hpp"
#include "faultline/tracing/span_context.hpp"

namespace faultline::tracing {

inline constexpr std::uint8_t kBinaryContextVersion = 0;
// Version, ids, flags and the tracestate length.
inline constexpr std::size_t kBinaryContextFixedBytes = 1 + 16 + 8 + 1 + 2;
// The tracestate part is at most this long (well within the u16 length).
inline constexpr std::size_t kBinaryContextTraceStateBytesMax = 32 * (256 + 1 + 256) + 31;

// Empty for an invalid context; otherwise the encoding above. A context
// whose tracestate does not fit kBinaryContextTraceStateBytesMax (it cannot:
// a TraceState holds at most 32 valid members) is encoded without it.
[[nodiscard]] std::string encode_span_context(const SpanContext& context);
// Appends the encoding to `out` (nothing for an invalid context); for
// messages that build their bytes in one buffer.
void append_span_context(const SpanContext& context, std::string& out);

// The context (marked remote) the bytes describe; not_found for no bytes,
// invalid_argument for anything that is not exactly one encoding.
Result<SpanContext> decode_span_context(std::span<const std::uint8_t> bytes);
Result<SpanContext> decode_span_context(std::string_view bytes);

}  // namespace faultline::tracing
