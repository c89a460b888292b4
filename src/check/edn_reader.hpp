// A reader for the subset of EDN that Jepsen histories use (internal).
//
// Jepsen prints operations as EDN maps: {:process 0, :type :ok, :f :read,
// :value 3}. This reads one form: nil, true/false, integers, strings,
// keywords (:ok), symbols, vectors [..], lists (..), and maps {..}; commas
// are whitespace, `;` starts a comment. Not supported (rejected with a
// column): sets, tagged literals (#inst ...), characters, ratios, floats.
// Nesting is bounded (kDepthMax) and read with an explicit stack.
//
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "faultline/core/result.hpp"

namespace faultline::check::edn {

enum class Kind : std::uint8_t { nil, boolean, integer, string, keyword, symbol, vector, list, map };

struct Form {
  Kind kind = Kind::nil;
  std::string text;  // integer digits, string contents, keyword without ':'
  std::vector<Form> items;  // vector/list items; map: key, value, key, value...
  bool boolean = false;

  // For a map: the value of keyword `name`, or nullptr.
  [[nodiscard]] const Form* find(std::string_view keyword) const;
};

inline constexpr std::size_t kDepthMax = 32;

// Reads exactly one form from `text` (trailing whitespace allowed).
// Errors are invalid_argument "column N: ...".
[[nodiscard]] Result<Form> read_form(std::string_view text);

}  // namespace faultline::check::edn
