// libFuzzer target: parse_traceparent on arbitrary bytes. It must never
// crash; whatever it accepts must format to a version-00 header that
// parses to the same value, and a canonical header (version 00, known
// flags, no surrounding whitespace) must format back to exactly itself.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "faultline/tracing/traceparent.hpp"
#include "fuzz_require.hpp"

using faultline::fuzz::require;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace faultline::tracing;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const auto parsed = parse_traceparent(input);
  if (!parsed.ok()) {
    require(!parsed.status().message().empty());
    return 0;
  }
  require(parsed->trace_id.valid() && parsed->parent_id.valid());
  const std::string formatted = format_traceparent(*parsed);
  require(formatted.size() == kTraceParentChars);
  const auto again = parse_traceparent(formatted);
  require(again.ok() && *again == *parsed);
  require(format_traceparent(*again) == formatted);
  const bool canonical = input.size() == kTraceParentChars && input.substr(0, 2) == "00" &&
                         (input.substr(53) == "00" || input.substr(53) == "01");
  if (canonical) require(formatted == input);
  return 0;
}
