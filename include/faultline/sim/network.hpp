// Network: the simulated links between nodes — latency, loss, duplication,
// reordering and partitions — decided message by message from the run's
// seeded Random.
//
// Each directed link has a base latency and a jitter drawn once per run;
// a message's delay is base + uniform(0, jitter + extra_jitter), so a large
// extra jitter (the reorder fault) lets later messages overtake earlier ones.
// A blocked link drops everything (partitions are sets of blocked links:
// symmetric, one direction only, or all but a bridge node's). Loss and
// duplication are cluster-wide probabilities the fault schedule turns on
// and off.
//
//   Network network(3, random.fork());
//   network.block(1, 2);                       // 1 -> 2 only: asymmetric
//   Network::Fate fate = network.route(1, 3);  // copies and their delays
//
// Thread-safety: none; the simulation's one thread owns it.
#pragma once

#include <cstdint>
#include <vector>

#include "faultline/core/clock.hpp"
#include "faultline/core/random.hpp"
#include "faultline/raft/types.hpp"

namespace faultline::sim {

struct NetworkCounters {
  std::uint64_t sent = 0;
  std::uint64_t dropped_by_loss = 0;
  std::uint64_t dropped_by_partition = 0;
  std::uint64_t duplicated = 0;
};

class Network {
 public:
  // Nodes are 1..nodes. Latency per link: base in [0.5, 2] ms, jitter in [0, 1] ms.
  Network(int nodes, Random random);

  // What becomes of one message: 0, 1 or 2 copies, each with its delay.
  struct Fate {
    int copies = 0;
    Duration delays[2] = {};
  };
  [[nodiscard]] Fate route(raft::NodeId from, raft::NodeId to);

  void block(raft::NodeId from, raft::NodeId to);
  void heal_partitions();
  [[nodiscard]] bool blocked(raft::NodeId from, raft::NodeId to) const;

  void set_loss_probability(double p) noexcept { loss_probability_ = p; }
  void set_duplicate_probability(double p) noexcept { duplicate_probability_ = p; }
  void set_extra_jitter(Duration jitter) noexcept { extra_jitter_ = jitter; }

  [[nodiscard]] const NetworkCounters& counters() const noexcept { return counters_; }

 private:
  struct Link {
    Duration base;
    Duration jitter;
    bool blocked = false;
  };
  [[nodiscard]] Link& link(raft::NodeId from, raft::NodeId to);
  [[nodiscard]] const Link& link(raft::NodeId from, raft::NodeId to) const;
  [[nodiscard]] Duration delay(const Link& link);

  int nodes_;
  Random random_;
  std::vector<Link> links_;  // nodes_ x nodes_, [from-1][to-1]
  double loss_probability_ = 0;
  double duplicate_probability_ = 0;
  Duration extra_jitter_{0};
  NetworkCounters counters_;
};

}  // namespace faultline::sim
