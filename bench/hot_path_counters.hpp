// Hot-path counters: how many heap allocations, mutex locks and
// steady-clock reads the calling thread made, measured, not assumed.
//
// The resilience targets are stated as counts as much as times ("allocation
// free", "no mutex", "at most one clock read per call"), and a timing alone
// cannot show a count. So the benchmark binary counts them itself, per thread:
//
// - allocations: this header replaces the global operator new (every form,
//   and the matching deletes) with one that bumps a thread-local counter and
//   then calls malloc. Replacement is process-wide, so it sees allocations
//   made in the library, in libstdc++ and in inlined header code alike.
// - mutex locks: the benchmark target links with
//   -Wl,--wrap=pthread_mutex_lock, so every call to pthread_mutex_lock from
//   the statically linked code (the faultline libraries, and std::mutex
//   inlined into them) lands in __wrap_pthread_mutex_lock below, which counts
//   and forwards. The benchmark library is a shared object and is not
//   wrapped, so its own locking never shows.
// - clock reads: the same trick on std::chrono::steady_clock::now() (the one
//   function SteadyClock::now() calls; libstdc++'s mangled name, see
//   bench/CMakeLists.txt).
//
// A benchmark takes a HotPathProbe before its timed loop and calls report()
// after it; the difference, divided by the iterations, becomes the counters
// allocs_per_call, mutex_locks_per_call and clock_reads_per_call. With
// ->Threads(n), each thread reports its own counts and Google Benchmark sums
// them before dividing by the iterations of all threads.
//
// The counting costs one thread-local increment per event (well under a
// nanosecond), paid by the baselines too.
//
// Include this header in exactly one translation unit: it defines the
// replacement operator new/delete, which may not be inline.
//
// Thread-safety: the counters are thread-local; nothing is shared.
#pragma once

#include <benchmark/benchmark.h>
#include <pthread.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <new>

namespace faultline::bench {

struct HotPathCounts {
  std::uint64_t allocations = 0;
  std::uint64_t mutex_locks = 0;
  std::uint64_t clock_reads = 0;
};

// This thread's running totals since it started.
inline thread_local HotPathCounts thread_counts;

// Counts what the calling thread does between its construction and report().
class HotPathProbe {
 public:
  HotPathProbe() noexcept : start_(thread_counts) {}

  // Sets the three per-call counters on `state`.
  void report(benchmark::State& state) const {
    const HotPathCounts end = thread_counts;
    set_per_call(state, "allocs_per_call", end.allocations - start_.allocations);
    set_per_call(state, "mutex_locks_per_call", end.mutex_locks - start_.mutex_locks);
    set_per_call(state, "clock_reads_per_call", end.clock_reads - start_.clock_reads);
  }

 private:
  static void set_per_call(benchmark::State& state, const char* name, std::uint64_t count) {
    state.counters[name] =
        benchmark::Counter(static_cast<double>(count), benchmark::Counter::kAvgIterations);
  }

  HotPathCounts start_;
};

namespace detail {

inline void* counted_allocate(std::size_t size, std::size_t alignment) noexcept {
  ++thread_counts.allocations;
  if (size == 0) size = 1;
  if (alignment <= alignof(std::max_align_t)) return std::malloc(size);
  void* memory = nullptr;
  return posix_memalign(&memory, alignment, size) == 0 ? memory : nullptr;
}

inline void* counted_allocate_or_throw(std::size_t size, std::size_t alignment) {
  void* memory = counted_allocate(size, alignment);
  if (memory == nullptr) throw std::bad_alloc();
  return memory;
}

}  // namespace detail
}  // namespace faultline::bench

// ---- Replacement allocation functions ------------------------------------

void* operator new(std::size_t size) {
  return faultline::bench::detail::counted_allocate_or_throw(size, 0);
}
void* operator new[](std::size_t size) {
  return faultline::bench::detail::counted_allocate_or_throw(size, 0);
}
void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
  return faultline::bench::detail::counted_allocate(size, 0);
}
void* operator new[](std::size_t size, const std::nothrow_t&) noexcept {
  return faultline::bench::detail::counted_allocate(size, 0);
}
void* operator new(std::size_t size, std::align_val_t alignment) {
  return faultline::bench::detail::counted_allocate_or_throw(size, static_cast<std::size_t>(alignment));
}
void* operator new[](std::size_t size, std::align_val_t alignment) {
  return faultline::bench::detail::counted_allocate_or_throw(size, static_cast<std::size_t>(alignment));
}
void* operator new(std::size_t size, std::align_val_t alignment, const std::nothrow_t&) noexcept {
  return faultline::bench::detail::counted_allocate(size, static_cast<std::size_t>(alignment));
}
void* operator new[](std::size_t size, std::align_val_t alignment, const std::nothrow_t&) noexcept {
  return faultline::bench::detail::counted_allocate(size, static_cast<std::size_t>(alignment));
}

void operator delete(void* memory) noexcept { std::free(memory); }
void operator delete[](void* memory) noexcept { std::free(memory); }
void operator delete(void* memory, std::size_t) noexcept { std::free(memory); }
void operator delete[](void* memory, std::size_t) noexcept { std::free(memory); }
void operator delete(void* memory, const std::nothrow_t&) noexcept { std::free(memory); }
void operator delete[](void* memory, const std::nothrow_t&) noexcept { std::free(memory); }
void operator delete(void* memory, std::align_val_t) noexcept { std::free(memory); }
void operator delete[](void* memory, std::align_val_t) noexcept { std::free(memory); }
void operator delete(void* memory, std::size_t, std::align_val_t) noexcept { std::free(memory); }
void operator delete[](void* memory, std::size_t, std::align_val_t) noexcept { std::free(memory); }
void operator delete(void* memory, std::align_val_t, const std::nothrow_t&) noexcept {
  std::free(memory);
}
void operator delete[](void* memory, std::align_val_t, const std::nothrow_t&) noexcept {
  std::free(memory);
}

// ---- Link-time wrappers (see bench/CMakeLists.txt) -------------------------

extern "C" {

int __real_pthread_mutex_lock(pthread_mutex_t* mutex) noexcept;
int __wrap_pthread_mutex_lock(pthread_mutex_t* mutex) noexcept {
  ++faultline::bench::thread_counts.mutex_locks;
  return __real_pthread_mutex_lock(mutex);
}

}  // extern "C"

// std::chrono::steady_clock::now(), by its libstdc++ symbol. Named through
// asm labels rather than extern "C", which may not return a class type.
std::chrono::steady_clock::time_point real_steady_clock_now() noexcept
    asm("__real__ZNSt6chrono3_V212steady_clock3nowEv");
std::chrono::steady_clock::time_point counted_steady_clock_now() noexcept
    asm("__wrap__ZNSt6chrono3_V212steady_clock3nowEv");
std::chrono::steady_clock::time_point counted_steady_clock_now() noexcept {
  ++faultline::bench::thread_counts.clock_reads;
  return real_steady_clock_now();
}
