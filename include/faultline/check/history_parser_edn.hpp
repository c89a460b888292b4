// Parse a Jepsen EDN history: one operation map per line.
//
// Jepsen writes histories (history.edn, or the :history of a test) as EDN
// maps, one per line:
//   {:process 0, :type :invoke, :f :cas, :value [1 2]}
//   {:process 0, :type :ok, :f :cas, :value [1 2], :time 1234567}
// Read: :process (integer; :nemesis and other keywords are skipped), :type
// (:invoke :ok :fail :info), :f (keyword), :value (nil, integer, string,
// keyword; [expected new] for :cas), optional :time (nanoseconds) and an
// optional :key for kv histories. Other keys (:index, :error) are ignored.
// Blank lines, `;` comments and a lone `[` / `]` wrapping the maps are
// skipped. See docs/check.md for the exact subset.
//
//   Result<History> h = parse_edn_history(text);  // "line 7: column 12: ..." on error
//
// Thread-safety: a pure function.
#pragma once

#include <string_view>

#include "faultline/check/history.hpp"
#include "faultline/core/result.hpp"

namespace faultline::check {

[[nodiscard]] Result<History> parse_edn_history(std::string_view text);

}  // namespace faultline::check
