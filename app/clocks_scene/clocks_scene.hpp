// The clocks scene: why distributed systems do not order events by wall clock.
//
// Three simulated nodes, A, B and C, whose physical clocks disagree (A's is
// right, B's runs 150 ms slow, C's 65 ms fast), replicate writes to one key.
// B overwrites A's value after receiving it; C writes without hearing from
// anyone. The scene prints each event stamped three ways (the node's wall
// clock, a vector clock, a hybrid logical clock), then asks which write came
// first: the wall clocks invert cause and effect, the vector clocks order
// the causal pair and flag the concurrent one, the HLC orders the causal
// pair too. It ends with the HLC refusing a peer whose clock jumped beyond
// the maximum offset.
//
// Deterministic: simulated time, no threads, no sleeping; every run prints
// the same text, which tests/app checks.
//
//   ClocksSceneOptions options;
//   return run_clocks_scene(options, std::cout);
//
// Thread-safety: run one scene at a time from one thread.
#pragma once

#include <ostream>

#include "demo/text_format.hpp"

namespace faultline::clocks_scene {

struct ClocksSceneOptions {
  demo::TextStyle style;
};

// Prints the scene to `out`; returns 0 (it cannot fail: a broken invariant
// asserts).
int run_clocks_scene(const ClocksSceneOptions& options, std::ostream& out);

}  // namespace faultline::clocks_scene
