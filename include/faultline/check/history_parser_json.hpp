// Parse Faultline's JSON-lines history format (docs/check.md).
//
// One JSON object per line, one line per event:
//   {"process": 0, "type": "invoke", "f": "put", "key": "x", "value": "1"}
//   {"process": 0, "type": "ok", "f": "put", "key": "x", "value": "1"}
//   {"process": 1, "type": "invoke", "f": "cas", "key": "x", "value": ["1", "2"], "time": 17}
// Fields: process (integer; a string such as "nemesis" skips the line),
// type ("invoke" | "ok" | "fail" | "info"), f (string), key (string or
// integer, optional), value (string, integer, boolean or null; for "cas" an
// array [expected, new]), time (integer nanoseconds, optional). Unknown
// fields are ignored; blank lines are skipped.
//
//   Result<History> h = parse_json_lines(text);  // "line 3: ..." on error
//
// Thread-safety: a pure function.
#pragma once

#include <string_view>

#include "faultline/check/history.hpp"
#include "faultline/core/result.hpp"

namespace faultline::check {

[[nodiscard]] Result<History> parse_json_lines(std::string_view text);

}  // namespace faultline::check
