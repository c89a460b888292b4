// Appending JSON text by hand, for the exporters (internal).
//
// The exporters write a lot of small, fixed-shape documents on the
// processor's worker thread; building them straight into one string is
// several times faster than going through a DOM, and the shapes are
// checked by tests against nlohmann::json's reading of the result.
// Strings are escaped as RFC 8259 asks, and bytes that are not valid UTF-8
// become U+FFFD so the document stays valid whatever a caller put in an
// attribute.
//
// Thread-safety: pure functions on the caller's string.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "faultline/tracing/attributes.hpp"

namespace faultline::tracing::json {

// Length of the valid UTF-8 sequence starting at text[0] (not empty), or
// 0 when it is not one (overlong, surrogate, above U+10FFFF, truncated).
[[nodiscard]] std::size_t utf8_sequence_length(std::string_view text) noexcept;
// A quoted, escaped JSON string.
void append_string(std::string& out, std::string_view text);
void append_uint(std::string& out, std::uint64_t value);
void append_int(std::string& out, std::int64_t value);
// Shortest round-trip form; NaN and infinities, which JSON cannot hold, as
// the strings "NaN", "Infinity", "-Infinity" (protobuf's JSON mapping).
void append_double(std::string& out, double value);
// The decimal digits in quotes: how protobuf's JSON mapping writes 64-bit
// integers (JavaScript numbers lose precision above 2^53).
void append_quoted_uint(std::string& out, std::uint64_t value);
void append_quoted_int(std::string& out, std::int64_t value);

}  // namespace faultline::tracing::json
