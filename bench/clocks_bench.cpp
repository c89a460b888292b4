// Clocks benchmarks: what stamping, comparing, merging and encoding cost.
//
// The HLC and Lamport clocks run on every message a node sends or receives,
// and version vectors are compared and merged on every replicated write, so
// each is read against two baselines measured in the same binary: an
// uncontended atomic increment (a lock-free clock is built from a few) and
// one std::chrono::system_clock::now() (the physical read an HLC cannot
// avoid). The targets:
//   - HLC now() and update(): at most one clock read + 5x the atomic baseline;
//   - vector clock compare and merge of 5 entries: at most 10x the atomic;
//   - encoding a 5-entry version vector into a caller's buffer: no allocation.
// Besides time, every benchmark reports per call the heap allocations
// (bench/hot_path_counters.hpp) and the wall-clock reads, counted by
// wrapping system_clock::now() at link time (bench/CMakeLists.txt), so
// "one clock read" is measured rather than assumed. docs/BENCHMARKS.md holds
// the figures and the command (`./dev bench`).

#include <benchmark/benchmark.h>

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <vector>

#include "faultline/clocks/binary_encoding.hpp"
#include "faultline/clocks/hlc.hpp"
#include "faultline/clocks/lamport_clock.hpp"
#include "faultline/clocks/text_encoding.hpp"
#include "faultline/clocks/vector_clock.hpp"
#include "faultline/clocks/version_vector.hpp"
#include "faultline/core/wall_clock.hpp"
#include "hot_path_counters.hpp"
#include "wall_read_counter.hpp"

namespace {

using faultline::SystemWallClock;
using faultline::bench::HotPathProbe;
using faultline::bench::WallReadProbe;
using namespace faultline::clocks;

// ---- Baselines -------------------------------------------------------------

alignas(64) std::atomic<std::uint64_t> baseline_counter{0};

void BM_Baseline_AtomicIncrement(benchmark::State& state) {
  HotPathProbe probe;
  for (auto _ : state) baseline_counter.fetch_add(1, std::memory_order_relaxed);
  probe.report(state);
}
BENCHMARK(BM_Baseline_AtomicIncrement);

void BM_Baseline_SystemClockNow(benchmark::State& state) {
  HotPathProbe probe;
  WallReadProbe wall_probe;
  for (auto _ : state) benchmark::DoNotOptimize(std::chrono::system_clock::now());
  probe.report(state);
  wall_probe.report(state);
}
BENCHMARK(BM_Baseline_SystemClockNow);

// ---- HLC and Lamport ----------------------------------------------------------

void BM_Hlc_Now(benchmark::State& state) {
  static HybridLogicalClock clock(SystemWallClock::instance());
  HotPathProbe probe;
  WallReadProbe wall_probe;
  for (auto _ : state) benchmark::DoNotOptimize(clock.now());
  probe.report(state);
  wall_probe.report(state);
}
BENCHMARK(BM_Hlc_Now);
// One clock shared by two threads: the compare-and-swap under contention.
BENCHMARK(BM_Hlc_Now)->Threads(2)->UseRealTime();

void BM_Hlc_Update(benchmark::State& state) {
  HybridLogicalClock sender(SystemWallClock::instance());
  HybridLogicalClock receiver(SystemWallClock::instance());
  // A message from a peer a moment ago: the common, accepted case.
  const HlcTimestamp remote = sender.now();
  HotPathProbe probe;
  WallReadProbe wall_probe;
  for (auto _ : state) {
    auto received = receiver.update(remote);
    if (!received.ok()) {
      state.SkipWithError("update refused");
      break;
    }
    benchmark::DoNotOptimize(*received);
  }
  probe.report(state);
  wall_probe.report(state);
}
BENCHMARK(BM_Hlc_Update);

void BM_Lamport_Tick(benchmark::State& state) {
  LamportClock clock(1);
  HotPathProbe probe;
  for (auto _ : state) benchmark::DoNotOptimize(clock.tick());
  probe.report(state);
}
BENCHMARK(BM_Lamport_Tick);

void BM_Lamport_Update(benchmark::State& state) {
  LamportClock clock(1);
  const LamportTimestamp remote{1000, 2};
  HotPathProbe probe;
  for (auto _ : state) benchmark::DoNotOptimize(*clock.update(remote));
  probe.report(state);
}
BENCHMARK(BM_Lamport_Update);

// ---- Five-entry vectors -------------------------------------------------------

// Two concurrent versions over five nodes: compare must walk every entry.
VectorClock vector_clock_a() { return VectorClock({4, 2, 7, 1, 3}); }
VectorClock vector_clock_b() { return VectorClock({3, 5, 7, 1, 2}); }

VersionVector version_vector(std::array<std::uint64_t, 5> counters) {
  std::vector<VersionEntry> entries;
  const auto touched = WallMillis(std::chrono::milliseconds(1'732'550'400'123));
  const std::array<NodeId, 5> nodes{node_id_from_name("kv-1"), node_id_from_name("kv-2"),
                                    node_id_from_name("kv-3"), node_id_from_name("kv-4"),
                                    node_id_from_name("kv-5")};
  for (std::size_t i = 0; i < nodes.size(); ++i) entries.push_back({nodes[i], counters[i], touched});
  return VersionVector(std::move(entries));
}

void BM_VectorClock_Compare5(benchmark::State& state) {
  const VectorClock a = vector_clock_a();
  const VectorClock b = vector_clock_b();
  HotPathProbe probe;
  for (auto _ : state) {
    benchmark::DoNotOptimize(&a);
    benchmark::DoNotOptimize(compare(a, b));
  }
  probe.report(state);
}
BENCHMARK(BM_VectorClock_Compare5);

void BM_VectorClock_Merge5(benchmark::State& state) {
  VectorClock a = vector_clock_a();
  const VectorClock b = vector_clock_b();
  HotPathProbe probe;
  for (auto _ : state) {
    a.merge(b);
    benchmark::DoNotOptimize(a);
    benchmark::ClobberMemory();
  }
  probe.report(state);
}
BENCHMARK(BM_VectorClock_Merge5);

void BM_VersionVector_Compare5(benchmark::State& state) {
  const VersionVector a = version_vector({4, 2, 7, 1, 3});
  const VersionVector b = version_vector({3, 5, 7, 1, 2});
  HotPathProbe probe;
  for (auto _ : state) {
    benchmark::DoNotOptimize(&a);
    benchmark::DoNotOptimize(compare(a, b));
  }
  probe.report(state);
}
BENCHMARK(BM_VersionVector_Compare5);

void BM_VersionVector_Merge5(benchmark::State& state) {
  VersionVector a = version_vector({4, 2, 7, 1, 3});
  const VersionVector b = version_vector({3, 5, 7, 1, 2});
  HotPathProbe probe;
  for (auto _ : state) {
    a.merge(b);
    benchmark::DoNotOptimize(a);
    benchmark::ClobberMemory();
  }
  probe.report(state);
}
BENCHMARK(BM_VersionVector_Merge5);

// ---- Encodings ---------------------------------------------------------------

void BM_VersionVector_EncodeBinary5(benchmark::State& state) {
  const VersionVector vector = version_vector({4, 2, 7, 1, 3});
  std::array<std::uint8_t, 128> buffer{};
  HotPathProbe probe;
  for (auto _ : state) {
    auto size = encode_binary(vector, buffer);
    if (!size.ok()) {
      state.SkipWithError("encoding failed");
      break;
    }
    benchmark::DoNotOptimize(buffer.data());
    benchmark::DoNotOptimize(*size);
  }
  probe.report(state);
  state.counters["bytes"] = static_cast<double>(binary_size(vector));
}
BENCHMARK(BM_VersionVector_EncodeBinary5);

void BM_VersionVector_DecodeBinary5(benchmark::State& state) {
  std::array<std::uint8_t, 128> buffer{};
  const VersionVector vector = version_vector({4, 2, 7, 1, 3});
  const std::size_t size = *encode_binary(vector, buffer);
  HotPathProbe probe;
  for (auto _ : state) {
    auto decoded = decode_version_vector(std::span(buffer).first(size));
    if (!decoded.ok()) {
      state.SkipWithError("decoding failed");
      break;
    }
    benchmark::DoNotOptimize(decoded);
  }
  probe.report(state);
}
BENCHMARK(BM_VersionVector_DecodeBinary5);

void BM_VersionVector_ToText5(benchmark::State& state) {
  const VersionVector vector = version_vector({4, 2, 7, 1, 3});
  HotPathProbe probe;
  for (auto _ : state) benchmark::DoNotOptimize(to_text(vector));
  probe.report(state);
}
BENCHMARK(BM_VersionVector_ToText5);

void BM_Hlc_EncodeBinary(benchmark::State& state) {
  const HlcTimestamp stamp{1'732'550'400'123, 7};
  std::array<std::uint8_t, 16> buffer{};
  HotPathProbe probe;
  for (auto _ : state) {
    benchmark::DoNotOptimize(*encode_binary(stamp, buffer));
    benchmark::DoNotOptimize(buffer.data());
  }
  probe.report(state);
}
BENCHMARK(BM_Hlc_EncodeBinary);

}  // namespace

BENCHMARK_MAIN();
