// The linearizability checker on the two sizes issue 3 sets targets for:
// a 10,000-operation key-value history over 10 keys with 5 concurrent
// clients, and a 1,000-operation single-register history with 10 clients
// and many `info` operations (the hard case: an info may take effect at any
// point after its call, or never, so the search cannot prune it early).
// Each size is also decided with one read corrupted, which the checker must
// refute, shrinking the failure to a small slice.
//
// Histories come from the tests' generator (a sequential execution with
// overlapping call/return windows), so they are linearizable by
// construction; generation is outside the timed loop.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdint>
#include <vector>

#include "check/history_generator.hpp"
#include "faultline/check/checker.hpp"
#include "faultline/check/kv_model.hpp"
#include "faultline/check/register_model.hpp"

namespace {

using faultline::check::CheckResult;
using faultline::check::History;
using faultline::check::Model;
using faultline::check::Verdict;
using namespace faultline::check::testing;

GeneratorConfig kv_ten_thousand() {
  GeneratorConfig config;
  config.kv = true;
  config.operation_count = 10'000;
  config.key_count = 10;
  config.overlap_span_ns = 22;  // about five operations in flight at once
  return config;
}

GeneratorConfig register_thousand_with_infos() {
  GeneratorConfig config;
  config.operation_count = 1'000;
  config.overlap_span_ns = 58;  // ten clients
  config.info_percent = 30;     // of the writes and cas
  return config;
}

// A read in the second half that returns a value nobody wrote.
void corrupt_one_read(std::vector<GeneratedOp>& ops) {
  for (std::size_t i = ops.size() / 2; i < ops.size(); ++i) {
    const bool read = ops[i].function == "get" || ops[i].function == "read";
    if (read && ops[i].outcome == Outcome::ok) {
      ops[i].value = "never-written";
      return;
    }
  }
}

std::int64_t client_count(const std::vector<GeneratedOp>& ops) {
  std::int64_t processes = 0;
  for (const GeneratedOp& op : ops) processes = std::max(processes, op.process + 1);
  return processes;
}

// `shrink`: also cut a violation down to its smallest failing slice (the
// report), which costs many more searches than the verdict itself.
void run_check(benchmark::State& state, GeneratorConfig config, const Model& model,
               bool corrupt, Verdict expected, bool shrink = true) {
  std::vector<GeneratedOp> ops = HistoryGenerator(42, config).generate();
  if (corrupt) corrupt_one_read(ops);
  const History history = to_history(ops);
  faultline::check::CheckOptions options;
  options.shrink_slice = shrink;
  for (auto _ : state) {
    auto result = faultline::check::check_history(history, model, options);
    if (!result.ok() || result->verdict != expected) {
      state.SkipWithError("unexpected verdict");
      break;
    }
    benchmark::DoNotOptimize(result->operation_count);
  }
  state.counters["operations"] = static_cast<double>(ops.size());
  state.counters["clients"] = static_cast<double>(client_count(ops));
}

void BM_Check_Kv10kOps10Keys(benchmark::State& state) {
  run_check(state, kv_ten_thousand(), faultline::check::kv_model(), false, Verdict::linearizable);
}
BENCHMARK(BM_Check_Kv10kOps10Keys)->Unit(benchmark::kMillisecond);

void BM_Check_Kv10kOps10Keys_Violation(benchmark::State& state) {
  run_check(state, kv_ten_thousand(), faultline::check::kv_model(), true,
            Verdict::not_linearizable, false);
}
BENCHMARK(BM_Check_Kv10kOps10Keys_Violation)->Unit(benchmark::kMillisecond);

void BM_Check_Kv10kOps10Keys_ViolationShrunk(benchmark::State& state) {
  run_check(state, kv_ten_thousand(), faultline::check::kv_model(), true,
            Verdict::not_linearizable);
}
BENCHMARK(BM_Check_Kv10kOps10Keys_ViolationShrunk)->Unit(benchmark::kMillisecond);

void BM_Check_Register1kOpsManyInfos(benchmark::State& state) {
  run_check(state, register_thousand_with_infos(), faultline::check::register_model(), false,
            Verdict::linearizable);
}
BENCHMARK(BM_Check_Register1kOpsManyInfos)->Unit(benchmark::kMillisecond);

void BM_Check_Register1kOpsManyInfos_Violation(benchmark::State& state) {
  run_check(state, register_thousand_with_infos(), faultline::check::register_model(), true,
            Verdict::not_linearizable, false);
}
BENCHMARK(BM_Check_Register1kOpsManyInfos_Violation)->Unit(benchmark::kMillisecond);

void BM_Check_Register1kOpsManyInfos_ViolationShrunk(benchmark::State& state) {
  run_check(state, register_thousand_with_infos(), faultline::check::register_model(), true,
            Verdict::not_linearizable);
}
BENCHMARK(BM_Check_Register1kOpsManyInfos_ViolationShrunk)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
