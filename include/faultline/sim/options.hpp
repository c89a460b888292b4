// SimOptions: everything that defines one simulator run besides its seed.
//
// A run is (seed, options). The options name the cluster size, how long the
// run lasts in virtual time, which fault kinds the schedule may inject, how
// many clients load the cluster, and which deliberately-broken-core knobs
// (raft/test_knobs.hpp) are on. replay_command() prints the exact
// `faultline sim` command line that reproduces a run.
//
//   SimOptions options;
//   options.nodes = 5;
//   options.faults = parse_fault_kinds("partition,crash").value();
//   if (Status s = options.validate(); !s.ok()) ...
//
// Thread-safety: plain values.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "faultline/core/clock.hpp"
#include "faultline/core/result.hpp"
#include "faultline/core/status.hpp"
#include "faultline/raft/test_knobs.hpp"

namespace faultline::sim {

// The fault kinds a schedule may draw from, as a bit set.
enum class FaultKind : std::uint8_t {
  loss = 1u << 0,       // messages dropped with some probability
  duplicate = 1u << 1,  // messages delivered twice
  reorder = 1u << 2,    // large latency jitter, so messages overtake each other
  partition = 1u << 3,  // symmetric, asymmetric, bridge, majority/minority splits
  crash = 1u << 4,      // a node loses everything not persisted, restarts later
};

struct FaultKinds {
  std::uint8_t bits = 0;

  [[nodiscard]] bool has(FaultKind kind) const noexcept {
    return (bits & static_cast<std::uint8_t>(kind)) != 0;
  }
  void add(FaultKind kind) noexcept { bits |= static_cast<std::uint8_t>(kind); }
  [[nodiscard]] bool none() const noexcept { return bits == 0; }
  static FaultKinds all() noexcept { return FaultKinds{0x1f}; }
};

// "loss,dup,reorder,partition,crash", "all" or "none" (also "duplicate");
// invalid_argument naming the unknown kind otherwise.
[[nodiscard]] Result<FaultKinds> parse_fault_kinds(std::string_view text);
// The canonical text, e.g. "loss,dup,partition" or "none".
[[nodiscard]] std::string fault_kinds_text(FaultKinds kinds);

// Sets one knob by its test_knobs.hpp name; invalid_argument when unknown.
[[nodiscard]] Status set_knob(raft::RaftTestKnobs& knobs, std::string_view name);
// The names of the knobs switched on, comma-separated ("" when none).
[[nodiscard]] std::string knobs_text(const raft::RaftTestKnobs& knobs);

struct SimOptions {
  int nodes = 3;    // 3 or 5
  int clients = 3;  // 1..16
  // Virtual time the run lasts. Faults happen in the first 60%; the rest is
  // healed, so liveness can be checked.
  Duration duration = std::chrono::seconds(10);
  // A bound on processed events (0: none), for quick smoke runs.
  std::uint64_t steps_max = 0;
  FaultKinds faults = FaultKinds::all();
  raft::RaftTestKnobs knobs;

  // invalid_argument naming the bad field.
  [[nodiscard]] Status validate() const;
};

// "faultline sim --seed 7 --nodes 5 --duration 10000ms --faults all --clients 3 --log".
[[nodiscard]] std::string replay_command(std::uint64_t seed, const SimOptions& options);

}  // namespace faultline::sim
