// Small text formatting helpers shared by the live view and the summary.
//
// Durations are shown with the fewest digits that still tell values apart
// at a glance ("850 us", "3.1 ms", "412 ms", "2.04 s"); elapsed times as
// "+12.345 s", the way breaker transitions are stamped. Colour is SGR codes
// only (never cursor movement), and only when the TextStyle asks for it:
// the demo turns it on for a terminal without NO_COLOR.
//
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "faultline/core/clock.hpp"

namespace faultline::demo {

[[nodiscard]] std::string format_duration(Duration duration);
// "+12.345 s"
[[nodiscard]] std::string format_elapsed(Duration since_start);
// "97.3%"; "-" when `of` is zero.
[[nodiscard]] std::string format_percent(std::uint64_t part, std::uint64_t of);

struct TextStyle {
  bool color = false;  // ANSI colours (SGR only)
};

enum class Tone { info, good, warning, bad };

// `text` coloured by tone, or unchanged when colour is off.
[[nodiscard]] std::string paint(std::string_view text, Tone tone, TextStyle style);
[[nodiscard]] std::string bold(std::string_view text, TextStyle style);

// Breaks `text` at spaces into lines of at most `width` characters
// (prefix included; a longer word gets a line of its own). The first line
// starts with `first_prefix`, the others with `indent`.
[[nodiscard]] std::string wrap(std::string_view text, std::size_t width,
                               std::string_view first_prefix, std::string_view indent);
[[nodiscard]] inline std::string wrap(std::string_view text, std::size_t width,
                                      std::string_view indent) {
  return wrap(text, width, indent, indent);
}

}  // namespace faultline::demo
