#include "faultline/core/random.hpp"

namespace faultline {

namespace {
constexpr std::uint64_t rotate_left(std::uint64_t x, int k) noexcept {
  return (x << k) | (x >> (64 - k));
}
}  // namespace

Random::Random(std::uint64_t seed) noexcept {
  // Seeding through splitmix64 guarantees a non-zero state for any seed.
  std::uint64_t x = seed;
  for (auto& word : state_) {
    word = splitmix64(x);
    x += 0x9e3779b97f4a7c15ULL;
  }
}

// xoshiro256** (Blackman & Vigna, 2018).
std::uint64_t Random::next_u64() noexcept {
  const std::uint64_t result = rotate_left(state_[1] * 5, 7) * 9;
  const std::uint64_t t = state_[1] << 17;
  state_[2] ^= state_[0];
  state_[3] ^= state_[1];
  state_[1] ^= state_[2];
  state_[0] ^= state_[3];
  state_[2] ^= t;
  state_[3] = rotate_left(state_[3], 45);
  return result;
}

}  // namespace faultline
