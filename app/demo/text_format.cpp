#include "demo/text_format.hpp"

#include <fmt/format.h>

#include <chrono>

namespace faultline::demo {

std::string format_duration(Duration duration) {
  const double micros = std::chrono::duration<double, std::micro>(duration).count();
  if (micros < 1000.0) return fmt::format("{:.0f} us", micros);
  const double millis = micros / 1000.0;
  if (millis < 10.0) return fmt::format("{:.1f} ms", millis);
  if (millis < 1000.0) return fmt::format("{:.0f} ms", millis);
  const double seconds = millis / 1000.0;
  if (seconds < 100.0) return fmt::format("{:.2f} s", seconds);
  return fmt::format("{:.0f} s", seconds);
}

std::string format_elapsed(Duration since_start) {
  return fmt::format("+{:.3f} s", std::chrono::duration<double>(since_start).count());
}

std::string format_percent(std::uint64_t part, std::uint64_t of) {
  if (of == 0) return "-";
  return fmt::format("{:.1f}%", 100.0 * static_cast<double>(part) / static_cast<double>(of));
}

std::string paint(std::string_view text, Tone tone, TextStyle style) {
  if (!style.color) return std::string(text);
  const char* code = "";
  switch (tone) {
    case Tone::info:
      code = "\x1b[36m";
      break;  // cyan
    case Tone::good:
      code = "\x1b[32m";
      break;  // green
    case Tone::warning:
      code = "\x1b[33m";
      break;  // yellow
    case Tone::bad:
      code = "\x1b[31m";
      break;  // red
  }
  return fmt::format("{}{}\x1b[0m", code, text);
}

std::string bold(std::string_view text, TextStyle style) {
  return style.color ? fmt::format("\x1b[1m{}\x1b[0m", text) : std::string(text);
}

std::string wrap(std::string_view text, std::size_t width, std::string_view first_prefix,
                 std::string_view indent) {
  std::string out(first_prefix);
  std::size_t line_length = first_prefix.size();
  bool line_empty = true;
  std::size_t position = 0;
  while (position < text.size()) {
    const std::size_t space = text.find(' ', position);
    const std::size_t end = space == std::string_view::npos ? text.size() : space;
    const std::string_view word = text.substr(position, end - position);
    position = end + 1;
    if (word.empty()) continue;
    if (!line_empty && line_length + 1 + word.size() > width) {
      out += '\n';
      out += indent;
      line_length = indent.size();
      line_empty = true;
    }
    if (!line_empty) {
      out += ' ';
      ++line_length;
    }
    out += word;
    line_length += word.size();
    line_empty = false;
  }
  return out;
}

}  // namespace faultline::demo
