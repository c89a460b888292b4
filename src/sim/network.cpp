#include "faultline/sim/network.hpp"

#include "faultline/core/assert.hpp"

namespace faultline::sim {

using namespace std::chrono_literals;

Network::Network(int nodes, Random random) : nodes_(nodes), random_(random) {
  FAULTLINE_ASSERT(nodes > 0, "a network needs nodes");
  links_.reserve(static_cast<std::size_t>(nodes) * static_cast<std::size_t>(nodes));
  for (int i = 0; i < nodes * nodes; ++i) {
    links_.push_back(Link{random_.uniform_duration(500us, 2ms), random_.uniform_duration(0us, 1ms)});
  }
}

Network::Link& Network::link(raft::NodeId from, raft::NodeId to) {
  FAULTLINE_ASSERT(from >= 1 && to >= 1 && from <= static_cast<raft::NodeId>(nodes_) &&
                       to <= static_cast<raft::NodeId>(nodes_),
                   "a link between two simulated nodes");
  return links_[(from - 1) * static_cast<std::size_t>(nodes_) + (to - 1)];
}

const Network::Link& Network::link(raft::NodeId from, raft::NodeId to) const {
  return const_cast<Network*>(this)->link(from, to);
}

Duration Network::delay(const Link& l) {
  return l.base + random_.uniform_duration(Duration::zero(), l.jitter + extra_jitter_);
}

Network::Fate Network::route(raft::NodeId from, raft::NodeId to) {
  ++counters_.sent;
  Link& l = link(from, to);
  Fate fate;
  if (l.blocked) {
    ++counters_.dropped_by_partition;
    return fate;
  }
  if (loss_probability_ > 0 && random_.bernoulli(loss_probability_)) {
    ++counters_.dropped_by_loss;
    return fate;
  }
  fate.copies = 1;
  fate.delays[0] = delay(l);
  if (duplicate_probability_ > 0 && random_.bernoulli(duplicate_probability_)) {
    ++counters_.duplicated;
    fate.copies = 2;
    fate.delays[1] = delay(l);
  }
  return fate;
}

void Network::block(raft::NodeId from, raft::NodeId to) { link(from, to).blocked = true; }

void Network::heal_partitions() {
  for (Link& l : links_) l.blocked = false;
}

bool Network::blocked(raft::NodeId from, raft::NodeId to) const { return link(from, to).blocked; }

}  // namespace faultline::sim
