// Parse the operation lines older Jepsen tests print through jepsen.util.
//
// Those tests log every operation as one line, fields separated by tabs:
//   INFO  jepsen.util - 0	:invoke	:cas	[1 2]
//   INFO  jepsen.util - 0	:fail	:cas	[1 2]	:mismatch
// i.e. "jepsen.util - " then process, type, f, value (EDN) and an optional
// error. Lines without "jepsen.util - " (the rest of the log) are ignored;
// nemesis lines (process :nemesis) are skipped. A line that has the marker
// but not the fields is an error naming its line number.
//
//   Result<History> h = parse_jepsen_log(log_text);
//
// Thread-safety: a pure function.
#pragma once

#include <string_view>

#include "faultline/check/history.hpp"
#include "faultline/core/result.hpp"

namespace faultline::check {

[[nodiscard]] Result<History> parse_jepsen_log(std::string_view text);

}  // namespace faultline::check
