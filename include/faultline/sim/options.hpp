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
#include <vector>

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
  // An operator changes the membership through the leader (add a learner,
  // promote it, remove a voter or the leader itself, swap through joint
  // consensus); nodes that are not members wait idle.
  membership = 1u << 5,
  transfer = 1u << 6,   // the leader hands leadership to a random voter (TimeoutNow)
  // Leader churn: a leader that appends new entries loses its network (in-
  // flight messages too) within a replication round trip, or right after it
  // applies, leaving entries partly replicated, and is back around an
  // election timeout later (Raft's figure 8). Not in all() (see docs/sim.md).
  churn = 1u << 7,
};

struct FaultKinds {
  std::uint8_t bits = 0;

  [[nodiscard]] bool has(FaultKind kind) const noexcept {
    return (bits & static_cast<std::uint8_t>(kind)) != 0;
  }
  void add(FaultKind kind) noexcept { bits |= static_cast<std::uint8_t>(kind); }
  [[nodiscard]] bool none() const noexcept { return bits == 0; }
  static FaultKinds all() noexcept { return FaultKinds{0x7f}; }
};

// "loss,dup,reorder,partition,crash,membership,transfer,churn", "all" (every
// kind but churn) or "none" (also "duplicate");
// invalid_argument naming the unknown kind otherwise.
[[nodiscard]] Result<FaultKinds> parse_fault_kinds(std::string_view text);
// The canonical text, e.g. "loss,dup,partition" or "none".
[[nodiscard]] std::string fault_kinds_text(FaultKinds kinds);

// Sets one knob by its test_knobs.hpp name; invalid_argument when unknown.
[[nodiscard]] Status set_knob(raft::RaftTestKnobs& knobs, std::string_view name);
// The names of the knobs switched on, comma-separated ("" when none).
[[nodiscard]] std::string knobs_text(const raft::RaftTestKnobs& knobs);

// A fault placed in time by the caller instead of drawn from the seed (a
// demo's story, a targeted test): from `start` to `end` of virtual time, the
// node leading at `start` is cut off from every other node, both ways. No
// leader at `start`: nothing happens. Its end heals every partition, as a
// partition episode's end does.
struct LeaderIsolation {
  Duration start{0};
  Duration end{0};
};

// Small enough that a 10 s run takes several snapshots per node.
inline constexpr std::uint64_t kDefaultSnapshotInterval = 20;

// Nodes that start outside the cluster when membership changes are on: ids
// nodes + 1 .. nodes + kSpareNodes run idle until an operator adds them.
inline constexpr int kSpareNodes = 2;

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
  // Each node's state machine snapshots at its applied index once it applied
  // this many entries past its last snapshot, and its storage compacts there,
  // so lagging and restarted nodes are caught up by InstallSnapshot. 0: never.
  std::uint64_t snapshot_interval = kDefaultSnapshotInterval;
  // Scripted on top of `faults` (usually FaultKinds{} for a scripted run);
  // each must end by the heal at 60% of the duration. Not expressible on
  // the `faultline sim` command line, so replay_command() leaves them out.
  std::vector<LeaderIsolation> isolate_leader = {};

  // invalid_argument naming the bad field.
  [[nodiscard]] Status validate() const;
};

// "faultline sim --seed 7 --nodes 5 --duration 10000ms --faults all --clients 3 --log"
// (with --snapshot-every K when snapshot_interval is not the default).
[[nodiscard]] std::string replay_command(std::uint64_t seed, const SimOptions& options);

}  // namespace faultline::sim
