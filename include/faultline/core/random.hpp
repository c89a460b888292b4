// Seeded, portable randomness.
//
// Every random choice in Faultline (jitter, election timeouts, sampling,
// fault injection) draws from one of these, created from a seed, so a run is
// reproducible from its seed. The std::uniform_* distributions differ
// between standard libraries, so the few distributions we need are written
// here and give the same numbers everywhere.
//
// - Random: xoshiro256** seeded through splitmix64. Fast; one owner.
// - SharedRandom: a counter-based generator (splitmix64 of seed + n) that
//   many threads may draw from without a lock. Its sequence is the same for
//   the same seed; which thread gets which draw follows the call order.
//
//   Random random(42);
//   Duration jitter = random.uniform_duration(Duration::zero(), 100ms);
//
// Thread-safety: Random is not synchronized; SharedRandom is lock-free and
// safe from any thread.
#pragma once

#include <atomic>
#include <cstdint>

#include "faultline/core/clock.hpp"

namespace faultline {

// One step of splitmix64: a good 64-bit mixer of a counter.
[[nodiscard]] constexpr std::uint64_t splitmix64(std::uint64_t x) noexcept {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

namespace detail {
// Lemire's multiply-shift with rejection: unbiased, and portable because it
// uses only 64-bit draws and 128-bit products.
template <class NextFn>
std::uint64_t uniform_below(std::uint64_t bound, NextFn&& next) noexcept {
  if (bound == 0) return 0;
  const std::uint64_t threshold = (0 - bound) % bound;
  for (;;) {
    const auto product = static_cast<unsigned __int128>(next()) * bound;
    if (static_cast<std::uint64_t>(product) >= threshold) {
      return static_cast<std::uint64_t>(product >> 64);
    }
  }
}
}  // namespace detail

// Distributions shared by both generators.
template <class Derived>
class RandomDistributions {
 public:
  // Uniform in [0, bound); 0 when bound is 0.
  std::uint64_t uniform(std::uint64_t bound) noexcept {
    return detail::uniform_below(bound, [this] { return self().next_u64(); });
  }
  // Uniform in [low, high]; precondition low <= high.
  std::int64_t uniform_between(std::int64_t low, std::int64_t high) noexcept {
    const auto span = static_cast<std::uint64_t>(high) - static_cast<std::uint64_t>(low);
    if (span == UINT64_MAX) return static_cast<std::int64_t>(self().next_u64());
    return static_cast<std::int64_t>(static_cast<std::uint64_t>(low) + uniform(span + 1));
  }
  // Uniform in [0, 1), with 53 random bits.
  double uniform_unit() noexcept {
    return static_cast<double>(self().next_u64() >> 11) * 0x1.0p-53;
  }
  // Uniform in [low, high]; precondition low <= high.
  Duration uniform_duration(Duration low, Duration high) noexcept {
    return Duration(uniform_between(low.count(), high.count()));
  }
  // True with probability p (clamped to [0, 1]).
  bool bernoulli(double p) noexcept { return uniform_unit() < p; }

 private:
  Derived& self() noexcept { return static_cast<Derived&>(*this); }
};

class Random : public RandomDistributions<Random> {
 public:
  explicit Random(std::uint64_t seed) noexcept;
  std::uint64_t next_u64() noexcept;
  // An independent generator derived from this one (for a sub-component).
  Random fork() noexcept { return Random(next_u64()); }

 private:
  std::uint64_t state_[4];
};

class SharedRandom : public RandomDistributions<SharedRandom> {
 public:
  explicit SharedRandom(std::uint64_t seed) noexcept : seed_(seed) {}
  std::uint64_t next_u64() noexcept {
    const std::uint64_t n = counter_.fetch_add(1, std::memory_order_relaxed);
    return splitmix64(seed_ ^ splitmix64(n));
  }

 private:
  const std::uint64_t seed_;
  std::atomic<std::uint64_t> counter_{0};
};

}  // namespace faultline
