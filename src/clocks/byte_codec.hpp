// ByteWriter and ByteReader: the varint plumbing behind binary_encoding.cpp.
//
// Private to the clocks module. The writer fills a caller's fixed buffer and
// only remembers that it ran out (one check at the end, no allocation); the
// reader consumes a span and turns every malformed byte string into an
// invalid_argument Status naming the offset, never an assertion: bytes come
// from peers and disks, and bad ones are an expected failure.
//
// Thread-safety: one object per call; not synchronized.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "faultline/core/status.hpp"

namespace faultline::clocks::detail {

// Bytes of the LEB128 varint of `value`: 1 to 10.
[[nodiscard]] constexpr std::size_t varint_size(std::uint64_t value) noexcept {
  std::size_t size = 1;
  while (value >= 0x80) {
    value >>= 7;
    ++size;
  }
  return size;
}

class ByteWriter {
 public:
  explicit ByteWriter(std::span<std::uint8_t> out) noexcept : out_(out) {}

  void byte(std::uint8_t value) noexcept {
    if (position_ < out_.size()) out_[position_] = value;
    ++position_;
  }
  void varint(std::uint64_t value) noexcept {
    while (value >= 0x80) {
      byte(static_cast<std::uint8_t>(value | 0x80));
      value >>= 7;
    }
    byte(static_cast<std::uint8_t>(value));
  }
  void big_endian_u64(std::uint64_t value) noexcept {
    for (int shift = 56; shift >= 0; shift -= 8) byte(static_cast<std::uint8_t>(value >> shift));
  }
  // Bytes written, or none when the buffer was too small (nothing past its
  // end was touched; needed() then says how many bytes it would take).
  [[nodiscard]] std::optional<std::size_t> finish() const noexcept {
    if (position_ > out_.size()) return std::nullopt;
    return position_;
  }
  [[nodiscard]] std::size_t needed() const noexcept { return position_; }

 private:
  std::span<std::uint8_t> out_;
  std::size_t position_ = 0;
};

class ByteReader {
 public:
  ByteReader(std::span<const std::uint8_t> bytes, std::string_view what) noexcept
      : bytes_(bytes), what_(what) {}

  [[nodiscard]] Status tag(std::uint8_t expected);
  [[nodiscard]] Status varint(std::uint64_t& value);
  [[nodiscard]] Status big_endian_u64(std::uint64_t& value);
  // A count of items each at least `item_bytes_min` long: bounded by
  // `count_max` and by the bytes left, so no allocation exceeds the input.
  [[nodiscard]] Status count(std::uint64_t& value, std::uint64_t count_max,
                             std::size_t item_bytes_min);
  [[nodiscard]] Status finish() const;

  [[nodiscard]] std::size_t remaining() const noexcept { return bytes_.size() - position_; }
  [[nodiscard]] Status error(std::string_view fault) const;

 private:
  std::span<const std::uint8_t> bytes_;
  std::string_view what_;
  std::size_t position_ = 0;
};

}  // namespace faultline::clocks::detail
