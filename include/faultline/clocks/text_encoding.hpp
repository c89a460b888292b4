// Text encoding: every clock of this module in a form people read.
//
// For logs, debugging output, test expectations and the command line:
//
//   Lamport timestamp       12@3                counter@node
//   HLC timestamp           1732550400123:7     wall_ms:logical
//   vector clock            [3,0,5]             counters by node index
//   version vector          {1:3,7:2@1732550400123}
//                                               node:counter, sorted by node,
//                                               @touched_ms when recorded
//   dotted version vector   (3,5){1:3}          (dot node,dot counter) context
//
// Numbers are unsigned decimal without sign or leading zeros, and there is
// no whitespace, so the text is canonical like the binary form:
// parse(to_text(x)) == x, and to_text(parse(s)) == s whenever parse(s)
// succeeds. Parsers refuse anything else with invalid_argument naming the
// offset and what was expected, and bound their work: at most
// kTextBytesMax bytes, and the entry limits of the types.
//
//   std::string text = to_text(vv);                   // "{1:3,7:2}"
//   Result<VersionVector> back = parse_version_vector(text);
//
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "faultline/clocks/dotted_version_vector.hpp"
#include "faultline/clocks/hlc_timestamp.hpp"
#include "faultline/clocks/lamport_clock.hpp"
#include "faultline/clocks/vector_clock.hpp"
#include "faultline/clocks/version_vector.hpp"
#include "faultline/core/result.hpp"

namespace faultline::clocks {

inline constexpr std::size_t kTextBytesMax = std::size_t{1} << 19;

[[nodiscard]] std::string to_text(const LamportTimestamp& stamp);
[[nodiscard]] std::string to_text(const HlcTimestamp& stamp);
[[nodiscard]] std::string to_text(const VectorClock& clock);
[[nodiscard]] std::string to_text(const VersionVector& vector);
[[nodiscard]] std::string to_text(const DottedVersionVector& vector);

Result<LamportTimestamp> parse_lamport_timestamp(std::string_view text);
Result<HlcTimestamp> parse_hlc_timestamp(std::string_view text);
Result<VectorClock> parse_vector_clock(std::string_view text);
Result<VersionVector> parse_version_vector(std::string_view text);
Result<DottedVersionVector> parse_dotted_version_vector(std::string_view text);

}  // namespace faultline::clocks
