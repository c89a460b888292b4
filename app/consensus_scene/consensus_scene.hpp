// The consensus scene: a five-node Raft cluster loses its leader and heals.
//
// The deterministic simulator (faultline::sim) runs five real Raft cores on
// virtual time with three clients putting, reading and compare-and-swapping
// a few keys. At 1 s the leader of that moment is cut off from the other
// four (a scripted LeaderIsolation); at 2 s the partition heals. The scene
// prints the timeline as a SimObserver sees it: who leads which term, the
// majority electing a new leader in a higher term while the isolated one
// still believes it leads until CheckQuorum makes it step down, the clients
// carrying on through the majority, the old leader rejoining, adopting the
// higher term and catching up, and each node's commit index at those
// moments. Then a summary (ops, elections, messages) and the
// linearizability checker's verdict on the clients' history.
//
// Deterministic: the same seed prints the same timeline (only the real time
// the run took varies); it takes a few tens of milliseconds.
//
//   ConsensusSceneOptions options;
//   return run_consensus_scene(options, std::cout);
//
// Thread-safety: run one scene at a time from one thread.
#pragma once

#include <cstdint>
#include <ostream>

#include "demo/text_format.hpp"

namespace faultline::consensus_scene {

struct ConsensusSceneOptions {
  demo::TextStyle style;
  std::uint64_t seed = 1;  // the simulator's seed: same seed, same run
};

// Prints the scene to `out`; returns 0 when the run kept Raft's safety
// properties and the history is linearizable, 1 otherwise (with the report).
int run_consensus_scene(const ConsensusSceneOptions& options, std::ostream& out);

}  // namespace faultline::consensus_scene
