// Splitting a text into numbered lines (internal; every parser uses it so
// line numbers in errors agree across formats).
//
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "faultline/core/status.hpp"

namespace faultline::check {

// Calls visit(line_number, line) for each line (1-based), without the
// '\n' or a trailing '\r'; stops at and returns the first error.
template <class Visitor>
Status for_each_line(std::string_view text, Visitor&& visit) {
  std::size_t line_number = 0;
  while (!text.empty()) {
    ++line_number;
    const std::size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    Status status = visit(line_number, line);
    if (!status.ok()) return status;
  }
  return Status();
}

[[nodiscard]] inline bool is_blank(std::string_view line) {
  return line.find_first_not_of(" \t") == std::string_view::npos;
}

[[nodiscard]] inline Status at_line(std::size_t line_number, const Status& status) {
  return Status::invalid_argument("line " + std::to_string(line_number) + ": " +
                                  std::string(status.message()));
}

}  // namespace faultline::check
