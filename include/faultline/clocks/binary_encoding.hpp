// Binary encoding: every clock of this module as compact bytes.
//
// For the wire and the disk. Each encoding starts with a one-byte tag that
// names the type (and its format version), so bytes of one clock handed to
// another's decoder fail clearly instead of decoding as nonsense. Integers
// are LEB128 varints (one byte below 128), version-vector node ids are
// delta-encoded between sorted entries, and an HLC timestamp is its packed
// 64-bit word, big-endian, so encoded timestamps sort as bytes.
//
// Encodings are canonical: one value has exactly one encoding, and the
// decoders refuse every other byte string (overlong varints, unsorted or
// zero entries, trailing bytes), so decode(encode(x)) == x and
// encode(decode(b)) == b whenever decode(b) succeeds. Decoders never trust
// a length: counts are bounded (VectorClock::kNodeCountMax,
// VersionVector::kEntriesMax) and checked against the bytes actually
// present before anything is allocated.
//
// encode_binary() writes into a caller's buffer and does not allocate;
// it fails with resource_exhausted when the buffer is too small
// (binary_size() says how much is needed).
//
//   std::array<std::uint8_t, 64> buffer;
//   Result<std::size_t> size = encode_binary(vv, buffer);
//   Result<VersionVector> back = decode_version_vector(std::span(buffer).first(*size));
//
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "faultline/clocks/dotted_version_vector.hpp"
#include "faultline/clocks/hlc_timestamp.hpp"
#include "faultline/clocks/lamport_clock.hpp"
#include "faultline/clocks/vector_clock.hpp"
#include "faultline/clocks/version_vector.hpp"
#include "faultline/core/result.hpp"

namespace faultline::clocks {

// The first byte of each encoding.
enum class BinaryTag : std::uint8_t {
  lamport = 0x4c,          // 'L'
  hlc = 0x48,              // 'H'
  vector_clock = 0x56,     // 'V'
  version_vector = 0x57,   // 'W'
  dotted_version_vector = 0x44,  // 'D'
};

// Exact encoded sizes in bytes.
[[nodiscard]] std::size_t binary_size(const LamportTimestamp& stamp) noexcept;
[[nodiscard]] std::size_t binary_size(const HlcTimestamp& stamp) noexcept;
[[nodiscard]] std::size_t binary_size(const VectorClock& clock) noexcept;
[[nodiscard]] std::size_t binary_size(const VersionVector& vector) noexcept;
[[nodiscard]] std::size_t binary_size(const DottedVersionVector& vector) noexcept;

// Bytes written to the front of `out`. Never allocates on success.
Result<std::size_t> encode_binary(const LamportTimestamp& stamp, std::span<std::uint8_t> out);
Result<std::size_t> encode_binary(const HlcTimestamp& stamp, std::span<std::uint8_t> out);
Result<std::size_t> encode_binary(const VectorClock& clock, std::span<std::uint8_t> out);
Result<std::size_t> encode_binary(const VersionVector& vector, std::span<std::uint8_t> out);
Result<std::size_t> encode_binary(const DottedVersionVector& vector, std::span<std::uint8_t> out);

// The whole of `bytes` must be one encoding; anything else is
// invalid_argument with a message naming the offset and the fault.
Result<LamportTimestamp> decode_lamport_timestamp(std::span<const std::uint8_t> bytes);
Result<HlcTimestamp> decode_hlc_timestamp(std::span<const std::uint8_t> bytes);
Result<VectorClock> decode_vector_clock(std::span<const std::uint8_t> bytes);
Result<VersionVector> decode_version_vector(std::span<const std::uint8_t> bytes);
Result<DottedVersionVector> decode_dotted_version_vector(std::span<const std::uint8_t> bytes);

}  // namespace faultline::clocks
