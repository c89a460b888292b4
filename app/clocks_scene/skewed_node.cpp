#include "clocks_scene/skewed_node.hpp"

#include <utility>

#include "faultline/core/assert.hpp"

namespace faultline::clocks_scene {

SkewedNode::SkewedNode(std::string name, std::size_t index, std::size_t node_count,
                       std::chrono::milliseconds skew, WallTimePoint true_time)
    : name_(std::move(name)),
      index_(index),
      skew_(skew),
      wall_(true_time + skew),
      hlc_(wall_),
      vector_(node_count) {
  FAULTLINE_ASSERT(index < node_count, "node index within the scene's node set");
}

void SkewedNode::set_true_time(WallTimePoint true_time) noexcept { wall_.set(true_time + skew_); }

Stamp SkewedNode::local_event() {
  vector_.increment(index_);
  last_hlc_ = hlc_.now();
  return stamp();
}

Stamp SkewedNode::receive(const Stamp& message) {
  vector_.merge(message.vector);
  vector_.increment(index_);
  auto received = hlc_.update(message.hlc);
  FAULTLINE_ASSERT(received.ok(), "the scene's skews stay within the HLC's maximum offset");
  last_hlc_ = *received;
  return stamp();
}

Result<clocks::HlcTimestamp> SkewedNode::offer_hlc(clocks::HlcTimestamp remote) {
  return hlc_.update(remote);
}

Stamp SkewedNode::stamp() const { return Stamp{name_, wall_.now(), vector_, last_hlc_}; }

}  // namespace faultline::clocks_scene
