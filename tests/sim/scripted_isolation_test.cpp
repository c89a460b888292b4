// Scripted leader isolations (SimOptions::isolate_leader) and the
// SimObserver that watches a run: the story the demo's consensus scene
// tells, asserted.
#include <gtest/gtest.h>

#include <vector>

#include "faultline/sim/simulation.hpp"

namespace faultline::sim {
namespace {

using namespace std::chrono_literals;

struct Change {
  Duration at;
  NodeStatus status;
};

struct Recorder : SimObserver {
  std::vector<Change> changes;
  std::vector<std::pair<Duration, raft::NodeId>> isolated;
  std::vector<Duration> healed;

  void on_node_changed(Duration at, const NodeStatus& status) override {
    changes.push_back({at, status});
  }
  void on_leader_isolated(Duration at, raft::NodeId node) override {
    isolated.emplace_back(at, node);
  }
  void on_partition_healed(Duration at) override { healed.push_back(at); }
};

SimOptions five_nodes_leader_cut_off_from_1s_to_2s() {
  SimOptions options;
  options.nodes = 5;
  options.duration = 6s;
  options.faults = FaultKinds{};
  options.isolate_leader = {LeaderIsolation{.start = 1s, .end = 2s}};
  return options;
}

TEST(ScriptedIsolation, TheMajorityElectsANewLeaderAndTheOldOneRejoinsAsItsFollower) {
  Recorder recorder;
  const SimResult result =
      run_simulation(1, five_nodes_leader_cut_off_from_1s_to_2s(), nullptr, &recorder);
  ASSERT_TRUE(result.ok) << result.report;
  EXPECT_EQ(result.stats.leader_isolations, 1u);

  // 1. At 1 s the leader of that moment is cut off.
  ASSERT_EQ(recorder.isolated.size(), 1u);
  EXPECT_EQ(recorder.isolated[0].first, 1s);
  const raft::NodeId old_leader = recorder.isolated[0].second;
  raft::Term old_term = 0;
  for (const Change& change : recorder.changes) {
    if (change.at <= 1s && change.status.node == old_leader &&
        change.status.role == raft::Role::leader) {
      old_term = change.status.term;
    }
  }
  ASSERT_GT(old_term, 0u) << "the isolated node was seen leading before 1 s";

  // 2. Before the partition heals, another node leads a higher term, and the
  //    old leader, hearing no majority, has stopped leading (CheckQuorum)
  //    without learning of the new term.
  raft::NodeId new_leader = raft::kNoNode;
  raft::Term new_term = 0;
  bool old_leader_stepped_down_alone = false;
  for (const Change& change : recorder.changes) {
    if (change.at <= 1s || change.at >= 2s) continue;
    if (change.status.role == raft::Role::leader && change.status.node != old_leader) {
      new_leader = change.status.node;
      new_term = change.status.term;
    }
    if (change.status.node == old_leader && change.status.role != raft::Role::leader) {
      EXPECT_EQ(change.status.term, old_term);
      old_leader_stepped_down_alone = true;
    }
  }
  ASSERT_NE(new_leader, raft::kNoNode);
  EXPECT_GT(new_term, old_term);
  EXPECT_TRUE(old_leader_stepped_down_alone);

  // 3. At 2 s the partition heals; the old leader adopts the new term and
  //    follows the new leader, and catches up with its commit index.
  ASSERT_EQ(recorder.healed.size(), 1u);
  EXPECT_EQ(recorder.healed[0], 2s);
  bool old_leader_follows = false;
  for (const Change& change : recorder.changes) {
    if (change.at < 2s || change.status.node != old_leader) continue;
    if (change.status.term >= new_term && change.status.role == raft::Role::follower &&
        change.status.leader != raft::kNoNode && change.status.leader != old_leader) {
      old_leader_follows = true;
    }
  }
  EXPECT_TRUE(old_leader_follows);

  // 4. The clients kept going and their history is linearizable (result.ok).
  EXPECT_GT(result.stats.ops_ok, 100u);
}

TEST(ScriptedIsolation, ObservingARunDoesNotChangeIt) {
  const SimOptions options = five_nodes_leader_cut_off_from_1s_to_2s();
  Recorder recorder;
  const SimResult watched = run_simulation(3, options, nullptr, &recorder);
  const SimResult unwatched = run_simulation(3, options);
  EXPECT_EQ(watched.hash, unwatched.hash);
  EXPECT_FALSE(recorder.changes.empty());
}

TEST(ScriptedIsolation, WithNoLeaderYetThereIsNothingToIsolate) {
  SimOptions options = five_nodes_leader_cut_off_from_1s_to_2s();
  options.isolate_leader = {LeaderIsolation{.start = 0ms, .end = 500ms}};
  Recorder recorder;
  const SimResult result = run_simulation(1, options, nullptr, &recorder);
  ASSERT_TRUE(result.ok) << result.report;
  EXPECT_EQ(result.stats.leader_isolations, 0u);
  EXPECT_TRUE(recorder.isolated.empty());
  EXPECT_EQ(recorder.healed.size(), 1u);
}

TEST(ScriptedIsolation, AnIsolationThatOutlastsTheHealOrEndsBeforeItStartsIsRejected) {
  SimOptions options = five_nodes_leader_cut_off_from_1s_to_2s();
  options.isolate_leader = {LeaderIsolation{.start = 1s, .end = 4s}};  // heal is at 3.6 s
  EXPECT_EQ(options.validate().code(), StatusCode::invalid_argument);
  options.isolate_leader = {LeaderIsolation{.start = 2s, .end = 2s}};
  EXPECT_EQ(options.validate().code(), StatusCode::invalid_argument);
  options.isolate_leader = {LeaderIsolation{.start = 1s, .end = 3600ms}};
  EXPECT_TRUE(options.validate().ok());
}

}  // namespace
}  // namespace faultline::sim
