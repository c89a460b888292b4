// HlcTimestamp: a hybrid logical clock reading, packed or unpacked.
//
// A reading is the largest physical time (Unix milliseconds) the clock has
// seen plus a logical counter that orders events within one millisecond
// (Kulkarni et al., 2014). Packed into 64 bits, 48 bits of milliseconds
// (until the year 10889) above 16 bits of counter, timestamps compare as
// plain integers, so they sort as keys and fit one atomic word.
//
//   HlcTimestamp t{.wall_ms = 1'732'550'400'123, .logical = 7};
//   std::uint64_t word = t.pack();
//   HlcTimestamp::unpack(word) == t
//
// Thread-safety: a plain value.
#pragma once

#include <compare>
#include <cstdint>

#include "faultline/core/assert.hpp"

namespace faultline::clocks {

struct HlcTimestamp {
  static constexpr int kLogicalBits = 16;
  static constexpr std::uint64_t kWallMsMax = (std::uint64_t{1} << 48) - 1;
  static constexpr std::uint32_t kLogicalMax = (std::uint32_t{1} << kLogicalBits) - 1;

  std::uint64_t wall_ms = 0;   // Unix milliseconds, <= kWallMsMax
  std::uint16_t logical = 0;   // orders events within one wall_ms

  // Precondition: wall_ms <= kWallMsMax.
  [[nodiscard]] constexpr std::uint64_t pack() const noexcept {
    FAULTLINE_ASSERT(wall_ms <= kWallMsMax, "HLC wall time fits 48 bits");
    return (wall_ms << kLogicalBits) | logical;
  }
  [[nodiscard]] static constexpr HlcTimestamp unpack(std::uint64_t packed) noexcept {
    return {packed >> kLogicalBits, static_cast<std::uint16_t>(packed & kLogicalMax)};
  }

  // Wall time first, then logical: the same order as pack().
  friend constexpr auto operator<=>(const HlcTimestamp&, const HlcTimestamp&) = default;
};

}  // namespace faultline::clocks
