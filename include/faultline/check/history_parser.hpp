// parse_history(): read a history in whichever supported format it is.
//
// The format is told by the first line that is not blank or a comment:
// `{"` is Faultline's JSON lines (history_parser_json.hpp), `{:` or `[` is
// a Jepsen EDN history (history_parser_edn.hpp), and a line containing
// "jepsen.util - " is a Jepsen log (history_parser_jepsen_log.hpp).
//
//   Result<History> h = parse_history(read_file(path));
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <string_view>

#include "faultline/check/history.hpp"
#include "faultline/core/result.hpp"

namespace faultline::check {

enum class HistoryFormat : std::uint8_t { json_lines, edn, jepsen_log };

[[nodiscard]] std::string_view history_format_name(HistoryFormat format) noexcept;

// invalid_argument when no line looks like any supported format.
[[nodiscard]] Result<HistoryFormat> detect_history_format(std::string_view text);

[[nodiscard]] Result<History> parse_history(std::string_view text, HistoryFormat format);
[[nodiscard]] Result<History> parse_history(std::string_view text);

}  // namespace faultline::check
