// Trace and span identifiers, and the trace flags, as W3C Trace Context
// defines them.
//
// A TraceId is 16 bytes, a SpanId 8 bytes; both are written as lower-case
// hex (32 and 16 characters) on the wire and in every export format, and
// the all-zero value of each is invalid: it means "no id". TraceFlags is
// the one byte of flags a traceparent carries; Trace Context Level 1 (the
// W3C Recommendation) defines only the sampled bit.
//
//   TraceId id = *parse_trace_id("4bf92f3577b34da6a3ce929d0e0e4736");
//   std::string hex = to_hex(id);
//
// Thread-safety: value types and pure functions.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <type_traits>

#include "faultline/core/result.hpp"

namespace faultline::tracing {

template <std::size_t Bytes>
struct Id {
  static constexpr std::size_t kBytes = Bytes;
  static constexpr std::size_t kHexChars = 2 * Bytes;
  static_assert(Bytes % 8 == 0, "ids are whole 64-bit words");

  std::array<std::uint8_t, Bytes> bytes{};

  // False for the all-zero id, which W3C Trace Context forbids.
  [[nodiscard]] constexpr bool valid() const noexcept {
    if (std::is_constant_evaluated()) {
      for (const auto b : bytes) {
        if (b != 0) return true;
      }
      return false;
    }
    // Word at a time: on every span start's path (the parent's ids).
    std::uint64_t any = 0;
    for (std::size_t i = 0; i < Bytes; i += 8) {
      std::uint64_t word;
      std::memcpy(&word, bytes.data() + i, sizeof word);
      any |= word;
    }
    return any != 0;
  }
  friend constexpr bool operator==(const Id&, const Id&) noexcept = default;
  friend constexpr auto operator<=>(const Id&, const Id&) noexcept = default;
};

using TraceId = Id<16>;
using SpanId = Id<8>;

// The traceparent's trace-flags byte. Only the bits this implementation
// knows survive parsing (kKnownMask): the Recommendation says a receiver
// must not reject unknown flags, and a forwarder must zero them.
struct TraceFlags {
  static constexpr std::uint8_t kSampled = 0x01;
  static constexpr std::uint8_t kKnownMask = kSampled;

  std::uint8_t bits = 0;

  [[nodiscard]] constexpr bool sampled() const noexcept { return (bits & kSampled) != 0; }
  [[nodiscard]] static constexpr TraceFlags from_wire(std::uint8_t raw) noexcept {
    return TraceFlags{static_cast<std::uint8_t>(raw & kKnownMask)};
  }
  [[nodiscard]] static constexpr TraceFlags sampled_flags(bool sampled) noexcept {
    return TraceFlags{sampled ? kSampled : std::uint8_t{0}};
  }
  friend constexpr bool operator==(TraceFlags, TraceFlags) noexcept = default;
};

// Lower-case hex: 32 characters for a TraceId, 16 for a SpanId.
[[nodiscard]] std::string to_hex(const TraceId& id);
[[nodiscard]] std::string to_hex(const SpanId& id);

// Writes kHexChars lower-case hex characters at `out`; no allocation, for
// hot paths that format into a fixed buffer.
void write_hex(const TraceId& id, char* out) noexcept;
void write_hex(const SpanId& id, char* out) noexcept;

// Exactly kHexChars lower-case hex characters, not all zero; anything else
// (upper case, wrong length, the all-zero id) is invalid_argument.
Result<TraceId> parse_trace_id(std::string_view hex);
Result<SpanId> parse_span_id(std::string_view hex);

namespace detail {
// 0..15 for a lower-case hex digit, -1 for anything else (upper case
// included: W3C Trace Context's HEXDIGLC).
[[nodiscard]] constexpr int lower_hex_value(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}
// Decodes 2*size lower-case hex characters into `out`; false on any
// character that is not lower-case hex.
[[nodiscard]] bool decode_lower_hex(std::string_view hex, std::uint8_t* out, std::size_t size) noexcept;
void encode_lower_hex(const std::uint8_t* bytes, std::size_t size, char* out) noexcept;
}  // namespace detail

}  // namespace faultline::tracing
