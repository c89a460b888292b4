// Randomized schedules: ticks, deliveries, losses, reorderings, partitions,
// crashes and restarts in an order RapidCheck picks. After every step the
// core asserts its own invariants; the harness checks election safety and
// state machine safety across nodes; once the faults heal a leader must
// emerge. A failure prints the shrunk action list that reproduces it.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <cstdio>
#include <cstdlib>

#include "raft/cluster.hpp"

namespace faultline::raft {
namespace {

using testing::Cluster;

void run_action(Cluster& cluster, const std::vector<NodeId>& ids, std::set<NodeId>& down,
                std::uint16_t action) {
  const NodeId node = ids[(action >> 4) % ids.size()];
  switch (action % 20) {
    case 0:
    case 1:
    case 2:
    case 3:
      for (NodeId id : ids) {
        if (!down.contains(id)) cluster.tick(id);
      }
      return;
    case 4:
    case 5:
    case 6:
    case 7:
    case 8:
    case 9:
      for (int i = 0; i < 1 + (action >> 4) % 8; ++i) cluster.deliver_one();
      return;
    case 10:  // loss
      if (!cluster.network().empty()) cluster.network().pop_front();
      return;
    case 11:  // reordering
      if (cluster.network().size() >= 2) std::swap(cluster.network()[0], cluster.network()[1]);
      return;
    case 12:
    case 13:
    case 14:
    case 15:
      for (NodeId id : ids) {
        if (!down.contains(id) && cluster.raft(id).role() == Role::leader) {
          (void)cluster.raft(id).propose(to_bytes("v" + std::to_string(action)));
          cluster.persist(id);
        }
      }
      return;
    case 16:
      if (down.contains(node)) {
        down.erase(node);
        cluster.restart(node);
      } else if (down.size() + 1 < ids.size() / 2 + 1) {
        down.insert(node);
        cluster.crash(node);
      }
      return;
    case 17:
      cluster.isolate(node);
      return;
    default:
      cluster.heal();
      return;
  }
}

RC_GTEST_PROP(RandomSchedule, StaysSafeAndElectsALeaderAfterHealing,
              (const std::vector<std::uint16_t>& actions, bool five_nodes)) {
  const std::vector<NodeId> ids =
      five_nodes ? std::vector<NodeId>{1, 2, 3, 4, 5} : std::vector<NodeId>{1, 2, 3};
  Cluster cluster(ids, {}, /*seed=*/actions.size() + 1);
  std::set<NodeId> down;
  for (std::uint16_t action : actions) {
    run_action(cluster, ids, down, action);
    RC_ASSERT(cluster.violation().empty());
  }
  // Heal everything: within a bounded time some node leads.
  cluster.heal();
  for (NodeId id : down) cluster.restart(id);
  bool led = false;
  for (int round = 0; round < 200 && !led; ++round) {
    for (NodeId id : ids) cluster.tick(id);
    cluster.deliver_all();
    for (NodeId id : ids) led = led || cluster.raft(id).role() == Role::leader;
  }
  RC_ASSERT(led);
  RC_ASSERT(cluster.violation().empty());
  Index commit = 0;
  for (NodeId id : ids) commit = std::max(commit, cluster.raft(id).log().committed());
  RC_CLASSIFY(commit > 3, "committed > 3");
}

// One random schedule from a seed (portable: faultline::Random), returning
// the harness's violation ("" when safe).
std::string run_seeded_schedule(std::uint64_t seed, const RaftTestKnobs& knobs, int steps) {
  Random random(seed);
  const std::vector<NodeId> ids =
      random.bernoulli(0.5) ? std::vector<NodeId>{1, 2, 3, 4, 5} : std::vector<NodeId>{1, 2, 3};
  // Small batches make "a previous-term entry on a majority before the new
  // leader's own entry" (figure 8's precondition) common.
  const std::size_t max_entries = 1 + random.uniform(3);
  Cluster cluster(ids, [&](Config& c) {
    c.max_entries_per_message = max_entries;
    c.test_knobs = knobs;
    c.pre_vote = false;
    c.check_quorum = false;
  }, seed);
  std::set<NodeId> down;
  for (int step = 0; step < steps && cluster.violation().empty(); ++step) {
    run_action(cluster, ids, down, static_cast<std::uint16_t>(random.next_u64()));
  }
  return cluster.violation();
}

// A search that never finds anything proves nothing: the same random
// schedules must catch a deliberately broken core within a bounded number of
// seeds — by the harness's cross-node checks or by the core's own asserts.
// (The figure-8 knob needs a crash at one precise moment; this small search
// does not reach it in 3000 seeds, so its proof is the scripted scenario in
// test_knobs_test.cpp until the simulator hunts it.)
void hunt(const RaftTestKnobs& knobs) {
  for (std::uint64_t seed = 1; seed <= 500; ++seed) {
    const std::string violation = run_seeded_schedule(seed, knobs, 400);
    if (!violation.empty()) {
      std::fprintf(stderr, "seed %llu: %s\n", static_cast<unsigned long long>(seed),
                   violation.c_str());
      std::abort();
    }
  }
}

TEST(RandomScheduleHunt, TheCorrectCoreSurvivesTheSameSeeds) {
  for (std::uint64_t seed = 1; seed <= 300; ++seed) {
    EXPECT_EQ(run_seeded_schedule(seed, RaftTestKnobs{}, 400), "") << "seed " << seed;
  }
}

TEST(RandomScheduleHuntDeathTest, FindsACoreThatSkipsTheVoteUpToDateCheck) {
  RaftTestKnobs knobs;
  knobs.skip_vote_up_to_date_check = true;
  EXPECT_DEATH(hunt(knobs), "seed [0-9]+: |invariant violated");
}

}  // namespace
}  // namespace faultline::raft
