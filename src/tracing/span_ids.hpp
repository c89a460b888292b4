// How a span's ids derive from its draw (tracer.hpp: one 64-bit value per
// span, unique within its thread's block). Internal to the tracer and the
// span, which derives an unsampled span's ids only when its context is
// first asked for.
//
// Each id is splitmix64 (a bijection) of the draw salted differently, so
// distinct draws give distinct span ids, and the three mixes are
// independent (the CPU computes them side by side).
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <cstring>

#include "faultline/core/random.hpp"
#include "faultline/tracing/ids.hpp"

namespace faultline::tracing::span_ids {

inline constexpr std::uint64_t kSpanIdSalt = 0x5bd1e9955bd1e995ULL;
inline constexpr std::uint64_t kTraceIdHighSalt = 0x2545f4914f6cdd1dULL;

inline void store_u64(std::uint64_t value, std::uint8_t* out) noexcept {
  value = __builtin_bswap64(value);  // big-endian: the id's hex reads as the number
  std::memcpy(out, &value, sizeof value);
}

inline void set_span_id(std::uint64_t draw, SpanId& id) noexcept {
  const std::uint64_t value = splitmix64(draw ^ kSpanIdSalt);
  store_u64(value == 0 ? 1 : value, id.bytes.data());
}

inline void set_trace_id(std::uint64_t draw, TraceId& id) noexcept {
  const std::uint64_t high = splitmix64(draw ^ kTraceIdHighSalt);
  const std::uint64_t low = splitmix64(draw);
  store_u64(high, id.bytes.data());
  // The low half is what TraceIdRatioSampler reads: kept uniformly random.
  store_u64((high | low) == 0 ? 1 : low, id.bytes.data() + 8);
}

}  // namespace faultline::tracing::span_ids
