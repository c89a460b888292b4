// `faultline sim`: the deterministic simulator (faultline::sim) from the
// command line.
//
//   faultline sim --seed 7 [--nodes 5] [--duration 10s | --steps N] [--faults all]
//                 [--clients 3] [--knob NAME]... [--log]
//   faultline sim --seeds 1..500 --nodes 3 --faults all
//
// One seed prints its summary (and with --log every event); a range prints
// one summary for the range. The first failing seed stops the command with
// its report and the exact command that replays it. Exit codes: 0 every
// seed passed, 1 a seed failed, 2 bad usage (bad flag values included).
//
// Thread-safety: used from main's thread only.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

#include "demo/demo_command.hpp"
#include "faultline/sim/options.hpp"

namespace faultline::app {

inline constexpr int kSimExitPassed = 0;
inline constexpr int kSimExitFailed = 1;
inline constexpr int kSimExitUsage = 2;

struct SimFlags {
  std::uint64_t seed = 1;
  std::string seeds;  // "A..B", inclusive; overrides seed when set
  int nodes = 3;
  int clients = 3;
  std::string duration = "10s";
  std::uint64_t steps = 0;
  std::string faults = "all";
  std::vector<std::string> knobs;
  std::uint64_t snapshot_every = sim::kDefaultSnapshotInterval;
  bool log = false;
};

// The command's action, apart from CLI parsing so tests can call it.
[[nodiscard]] int run_sim(const SimFlags& flags, std::ostream& out, std::ostream& err);

Command add_sim_command(CLI::App& app);

}  // namespace faultline::app
