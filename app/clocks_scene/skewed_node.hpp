// SkewedNode: one simulated node of the clocks scene, with a wrong clock.
//
// The scene runs in simulated "true" time. Each node reads a physical clock
// set off from true time by a fixed skew (as an unsynchronized server's
// is), and stamps its events three ways at once: with that wall-clock
// reading, a vector clock over the scene's fixed set of nodes, and a hybrid
// logical clock fed by the same skewed physical clock. Nothing here sleeps
// or reads the real time, so the scene prints the same thing on every run.
//
//   SkewedNode b("B", 1, 3, -150ms, start);
//   b.set_true_time(start + 10ms);
//   Stamp s = b.receive(message_from_a);
//
// Thread-safety: not synchronized; the scene drives all nodes from one thread.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>

#include "faultline/clocks/hlc.hpp"
#include "faultline/clocks/vector_clock.hpp"
#include "faultline/core/wall_clock.hpp"

namespace faultline::clocks_scene {

// What an event carries: all three readings taken at that event.
struct Stamp {
  std::string node;
  WallTimePoint wall_time;
  clocks::VectorClock vector;
  clocks::HlcTimestamp hlc;
};

class SkewedNode {
 public:
  SkewedNode(std::string name, std::size_t index, std::size_t node_count,
             std::chrono::milliseconds skew, WallTimePoint true_time);

  // Moves this node's physical clock to true_time + skew.
  void set_true_time(WallTimePoint true_time) noexcept;

  // A local event (a write), or a send: its stamp travels with the message.
  [[nodiscard]] Stamp local_event();
  // Receiving a message stamped `message`. Precondition: the sender's HLC
  // is within the maximum offset (the scene's skews are).
  [[nodiscard]] Stamp receive(const Stamp& message);
  // What update() says about a remote HLC timestamp, without a message.
  [[nodiscard]] Result<clocks::HlcTimestamp> offer_hlc(clocks::HlcTimestamp remote);

  [[nodiscard]] const std::string& name() const noexcept { return name_; }
  [[nodiscard]] std::chrono::milliseconds skew() const noexcept { return skew_; }

 private:
  Stamp stamp() const;

  std::string name_;
  std::size_t index_;
  std::chrono::milliseconds skew_;
  ManualWallClock wall_;
  clocks::HybridLogicalClock hlc_;
  clocks::VectorClock vector_;
  clocks::HlcTimestamp last_hlc_;
};

}  // namespace faultline::clocks_scene
