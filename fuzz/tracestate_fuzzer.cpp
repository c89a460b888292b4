// libFuzzer target: parse_tracestate on arbitrary bytes, as one header and
// split into two header fields at the first byte's offset. It must never
// crash; whatever it accepts holds at most 32 valid, unique members and
// formats to a header that parses to the same list and formats again to
// the same text.
#include <cstddef>
#include <cstdint>
#include <set>
#include <span>
#include <string>
#include <string_view>

#include "faultline/tracing/tracestate.hpp"
#include "fuzz_require.hpp"

using faultline::fuzz::require;

namespace {

void check(const faultline::Result<faultline::tracing::TraceState>& parsed) {
  using namespace faultline::tracing;
  if (!parsed.ok()) {
    require(!parsed.status().message().empty());
    return;
  }
  require(parsed->size() <= kTraceStateMembersMax);
  std::set<std::string_view> keys;
  for (const auto& member : parsed->members()) {
    require(valid_tracestate_key(member.key) && valid_tracestate_value(member.value));
    require(keys.insert(member.key).second);
  }
  const std::string formatted = format_tracestate(*parsed);
  const auto again = parse_tracestate(formatted);
  require(again.ok() && *again == *parsed);
  require(format_tracestate(*again) == formatted);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace faultline::tracing;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  check(parse_tracestate(input));
  if (size > 0) {
    const std::size_t split = data[0] % size;
    const std::string_view fields[] = {input.substr(0, split), input.substr(split)};
    check(parse_tracestate(std::span<const std::string_view>(fields)));
  }
  return 0;
}
