// libFuzzer target: decode_span_context on arbitrary bytes. It must never
// crash or trust a length it reads; a rejection always says why; whatever
// it accepts is a valid context that encodes to bytes which decode to the
// same context, and that encoding is a fixed point (canonical).
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

#include "faultline/tracing/binary_propagation.hpp"
#include "fuzz_require.hpp"

using faultline::fuzz::require;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace faultline::tracing;
  const auto decoded = decode_span_context(std::span<const std::uint8_t>(data, size));
  if (!decoded.ok()) {
    require(!decoded.status().message().empty());
    return 0;
  }
  require(decoded->valid() && decoded->remote);
  require((decoded->flags.bits & ~TraceFlags::kKnownMask) == 0);
  require(decoded->trace_state == nullptr || !decoded->trace_state->empty());
  const std::string encoded = encode_span_context(*decoded);
  require(encoded.size() >= kBinaryContextFixedBytes && encoded.size() <= size);
  const auto again = decode_span_context(encoded);
  require(again.ok());
  require(again->trace_id == decoded->trace_id && again->span_id == decoded->span_id &&
          again->flags == decoded->flags);
  require((again->trace_state == nullptr) == (decoded->trace_state == nullptr));
  if (again->trace_state) require(*again->trace_state == *decoded->trace_state);
  require(encode_span_context(*again) == encoded);
  return 0;
}
