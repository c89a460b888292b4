// The one check every decoder fuzz target makes: on hostile input the
// decoder must not crash, must not allocate beyond its bounds (libFuzzer's
// -malloc_limit_mb and -rss_limit_mb catch that, see CMakeLists.txt), and
// whatever it accepts must be canonical: encoding the decoded value gives
// back exactly the input, and decodes to the same value again.
//
// Thread-safety: single-threaded, as libFuzzer runs a target.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "faultline/clocks/binary_encoding.hpp"
#include "faultline/clocks/text_encoding.hpp"
#include "fuzz_require.hpp"

namespace faultline::clocks::fuzz {

using faultline::fuzz::require;

template <class Decode>
void binary_round_trip(const std::uint8_t* data, std::size_t size, Decode decode) {
  const std::span<const std::uint8_t> input(data, size);
  const auto decoded = decode(input);
  if (!decoded.ok()) {
    require(!decoded.status().message().empty());
    return;
  }
  std::vector<std::uint8_t> encoded(binary_size(*decoded));
  const auto written = encode_binary(*decoded, encoded);
  require(written.ok() && *written == encoded.size());
  require(std::equal(encoded.begin(), encoded.end(), input.begin(), input.end()));
  const auto again = decode(std::span<const std::uint8_t>(encoded));
  require(again.ok() && *again == *decoded);
}

template <class Parse>
void text_round_trip(const std::uint8_t* data, std::size_t size, Parse parse) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const auto parsed = parse(input);
  if (!parsed.ok()) {
    require(!parsed.status().message().empty());
    return;
  }
  const std::string printed = to_text(*parsed);
  require(printed == input);
  const auto again = parse(printed);
  require(again.ok() && *again == *parsed);
}

}  // namespace faultline::clocks::fuzz
