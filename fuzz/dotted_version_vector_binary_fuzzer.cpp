// libFuzzer target: decode_dotted_version_vector on arbitrary bytes (see fuzz_round_trip.hpp).
#include "fuzz_round_trip.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  faultline::clocks::fuzz::binary_round_trip(data, size, faultline::clocks::decode_dotted_version_vector);
  return 0;
}
