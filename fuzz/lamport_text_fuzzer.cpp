// libFuzzer target: parse_lamport_timestamp on arbitrary bytes (see fuzz_round_trip.hpp).
#include "fuzz_round_trip.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  faultline::clocks::fuzz::text_round_trip(data, size, faultline::clocks::parse_lamport_timestamp);
  return 0;
}
