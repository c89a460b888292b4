// Wall-clock read counting for benchmarks whose targets say how many
// physical clock reads a call may make ("its two clock reads included",
// "at most one clock read").
//
// The benchmark target links with
// -Wl,--wrap=_ZNSt6chrono3_V212system_clock3nowEv (libstdc++'s mangled
// std::chrono::system_clock::now(); see bench/CMakeLists.txt), so every call
// from the statically linked code lands in the wrapper below, which counts
// per thread and forwards. A benchmark takes a WallReadProbe before its timed
// loop and calls report() after it: the counter wall_reads_per_call.
//
// Include this header in exactly one translation unit of a benchmark binary:
// it defines the wrapper, which may not be inline. hot_path_counters.hpp does
// the same for allocations, mutex locks and steady-clock reads.
//
// Thread-safety: the counter is thread-local; nothing is shared.
#pragma once

#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdint>

namespace faultline::bench {

// This thread's wall-clock reads since it started.
inline thread_local std::uint64_t wall_clock_reads = 0;

class WallReadProbe {
 public:
  WallReadProbe() noexcept : start_(wall_clock_reads) {}
  void report(benchmark::State& state) const {
    state.counters["wall_reads_per_call"] = benchmark::Counter(
        static_cast<double>(wall_clock_reads - start_), benchmark::Counter::kAvgIterations);
  }

 private:
  std::uint64_t start_;
};

}  // namespace faultline::bench

std::chrono::system_clock::time_point real_system_clock_now() noexcept
    asm("__real__ZNSt6chrono3_V212system_clock3nowEv");
std::chrono::system_clock::time_point counted_system_clock_now() noexcept
    asm("__wrap__ZNSt6chrono3_V212system_clock3nowEv");
std::chrono::system_clock::time_point counted_system_clock_now() noexcept {
  ++faultline::bench::wall_clock_reads;
  return real_system_clock_now();
}
