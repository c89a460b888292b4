#include "consensus_scene/consensus_scene.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "faultline/check/checker.hpp"
#include "faultline/check/kv_model.hpp"
#include "faultline/sim/simulation.hpp"

namespace faultline::consensus_scene {
namespace {

using namespace std::chrono_literals;
using demo::Tone;

constexpr int kNodes = 5;
constexpr int kClients = 3;
// The first election settles within a few hundred ms; the partition lasts
// many election timeouts (100-200 ms); the 6 s run leaves the clients 1.3 s
// of healed cluster and the simulator its own heal at 60% (3.6 s).
constexpr Duration kIsolateAt = 1s;
constexpr Duration kHealAt = 2s;
constexpr Duration kRunFor = 6s;

std::string stamp(Duration at) {
  return fmt::format("{:7.3f} s", std::chrono::duration<double>(at).count());
}

std::string name(raft::NodeId id) { return fmt::format("n{}", id); }

struct Line {
  Duration at;
  std::string text;
  bool wrap = true;  // off for the commit table, whose spacing wrap() would fold
  std::optional<Tone> tone = std::nullopt;  // painted after wrapping: codes have no width
};

// Turns the simulator's node changes into timeline lines: elections,
// step-downs, the isolated leader's return. Commit indexes move with every
// write, so they are shown as snapshots at the key moments only.
class Narrator : public sim::SimObserver {
 public:
  void on_node_changed(Duration at, const sim::NodeStatus& now) override {
    const sim::NodeStatus was = nodes_[now.node];  // follower of term 0 when first seen
    nodes_[now.node] = now;
    const bool was_leader = was.role == raft::Role::leader;
    const bool leads = now.role == raft::Role::leader;
    const bool back_from_isolation = now.node == isolated_ && healed_ && !rejoined_;
    if (leads && !was_leader) {
      elected(at, now);
    } else if (was_leader && !leads && now.term == was.term) {
      add(at,
          fmt::format("{} steps down: CheckQuorum heard no majority within an election "
                      "timeout; it stays in term {} and stops serving clients",
                      name(now.node), now.term),
          Tone::warning);
    } else if (now.term > was.term && (was_leader || back_from_isolation)) {
      rejoined_ = rejoined_ || back_from_isolation;
      const bool knows_leader = now.leader != raft::kNoNode;
      std::string then;
      if (was_leader) {
        then = fmt::format(" and steps down (it led term {})", was.term);
      } else if (knows_leader) {
        then = fmt::format(" and follows {}", name(now.leader));
      }
      add(at, fmt::format("{} {}hears term {}{}, adopts it{}", name(now.node),
                          back_from_isolation ? "rejoins: " : "", now.term,
                          knows_leader ? fmt::format(" from {}", name(now.leader)) : "", then));
    } else if (now.role == raft::Role::candidate && was.role != raft::Role::candidate) {
      add(at, fmt::format("{} times out and campaigns for term {}", name(now.node), now.term));
    }
    if (now.node == isolated_ && rejoined_ && !caught_up_ && now.commit >= commit_at_heal_) {
      caught_up_ = true;
      add(at, fmt::format("{} catches up: its commit index reaches {}, all the majority had "
                          "committed without it by the heal",
                          name(now.node), now.commit));
      add_commit_indexes(at);
    }
  }

  void on_leader_isolated(Duration at, raft::NodeId node) override {
    isolated_ = node;
    std::string others;
    for (const auto& [id, status] : nodes_) {
      if (id != node) others += fmt::format(" n{}", id);
    }
    add(at,
        fmt::format("PARTITION: {}, the leader of term {}, is cut off from{}", name(node),
                    nodes_[node].term, others),
        Tone::bad);
    add_commit_indexes(at);
    add(at, fmt::format("{} still believes it leads term {}: the writes it accepts cannot commit",
                        name(node), nodes_[node].term));
  }

  void on_partition_healed(Duration at) override {
    healed_ = true;
    heal_line_ = lines_.size();
    for (const auto& entry : nodes_) {
      commit_at_heal_ = std::max(commit_at_heal_, entry.second.commit);
    }
    const sim::NodeStatus& old = nodes_[isolated_];
    add(at,
        fmt::format("HEAL: the partition heals; {} (now {}, still in term {}) hears the "
                    "others again",
                    name(isolated_), raft::role_name(old.role), old.term),
        Tone::good);
    add_commit_indexes(at);
  }

  void add_commit_indexes(Duration at) {
    std::string text = "commit index";
    raft::NodeId leader = raft::kNoNode;
    for (const auto& [id, status] : nodes_) {
      text += fmt::format("  {} {}", name(id), status.commit);
      if (status.role == raft::Role::leader) leader = id;
    }
    text += leader == raft::kNoNode ? "   (no leader)" : fmt::format("   ({} leads)", name(leader));
    lines_.push_back(Line{at, std::move(text), false, std::nullopt});
  }

  // A line about the clients, placed just before the heal.
  void add_before_heal(Duration at, std::string text) {
    lines_.insert(lines_.begin() + static_cast<std::ptrdiff_t>(heal_line_),
                  Line{at, std::move(text), true, std::nullopt});
  }

  [[nodiscard]] const std::vector<Line>& lines() const { return lines_; }
  [[nodiscard]] const std::vector<std::pair<raft::Term, raft::NodeId>>& leaders() const {
    return leaders_;
  }
  [[nodiscard]] raft::NodeId isolated() const { return isolated_; }
  [[nodiscard]] bool healed() const { return healed_; }

 private:
  void elected(Duration at, const sim::NodeStatus& now) {
    leaders_.emplace_back(now.term, now.node);
    std::string text = fmt::format("{} wins the election for term {}", name(now.node), now.term);
    if (isolated_ != raft::kNoNode && !healed_) {
      std::string side;
      for (const auto& [id, status] : nodes_) {
        if (id != isolated_) side += fmt::format("{}n{}", side.empty() ? "" : " ", id);
      }
      text += fmt::format(" on the majority side ({}); the clients follow it", side);
    }
    add(at, std::move(text), Tone::good);
    add_commit_indexes(at);
  }

  void add(Duration at, std::string text, std::optional<Tone> tone = std::nullopt) {
    lines_.push_back(Line{at, std::move(text), true, tone});
  }

  std::map<raft::NodeId, sim::NodeStatus> nodes_;
  std::vector<Line> lines_;
  std::vector<std::pair<raft::Term, raft::NodeId>> leaders_;
  raft::NodeId isolated_ = raft::kNoNode;
  bool healed_ = false;
  bool rejoined_ = false;
  bool caught_up_ = false;
  std::size_t heal_line_ = 0;
  raft::Index commit_at_heal_ = 0;
};

struct WindowCounts {
  std::uint64_t ok = 0;
  std::uint64_t info = 0;
};

// Completions the clients recorded while the leader was cut off.
WindowCounts completions_between(const check::History& history, Duration from, Duration to) {
  WindowCounts counts;
  for (const check::Event& event : history) {
    if (!event.time_ns || *event.time_ns < from.count() || *event.time_ns >= to.count()) continue;
    if (event.type == check::EventType::ok) ++counts.ok;
    if (event.type == check::EventType::info) ++counts.info;
  }
  return counts;
}

}  // namespace

int run_consensus_scene(const ConsensusSceneOptions& options, std::ostream& out) {
  sim::SimOptions sim_options;
  sim_options.nodes = kNodes;
  sim_options.clients = kClients;
  sim_options.duration = kRunFor;
  sim_options.faults = sim::FaultKinds{};  // only the scripted partition
  sim_options.isolate_leader = {sim::LeaderIsolation{.start = kIsolateAt, .end = kHealAt}};

  Narrator narrator;
  const sim::SimResult result = sim::run_simulation(options.seed, sim_options, nullptr, &narrator);
  const sim::SimStats& stats = result.stats;

  out << '\n'
      << bold("Faultline demo: a five-node Raft cluster loses its leader", options.style)
      << "\n\n";
  out << demo::wrap(fmt::format("Five Raft nodes run in the deterministic simulator, on virtual "
                                "time, with {} clients reading, writing and compare-and-swapping "
                                "keys k0..k2 (seed {}). At {}s the leader is cut off from the "
                                "other four; at {}s the partition heals. The majority must elect "
                                "a new leader, the old one must commit nothing alone and come "
                                "back as a follower.",
                                kClients, options.seed, kIsolateAt / 1s, kHealAt / 1s),
                    78, "  ")
      << "\n\n";

  if (narrator.isolated() != raft::kNoNode && narrator.healed()) {
    const WindowCounts during = completions_between(result.history, kIsolateAt, kHealAt);
    narrator.add_before_heal(
        kHealAt, fmt::format("meanwhile the clients completed {} ops through the majority "
                             "side{}",
                             during.ok,
                             during.info == 0
                                 ? ""
                                 : fmt::format("; {} ended with an unknown outcome (a write "
                                               "that timed out)",
                                               during.info)));
  }
  narrator.add_commit_indexes(stats.simulated);
  out << fmt::format("  {:>9}  {}\n", "virtual", "event");
  for (const Line& line : narrator.lines()) {
    const std::string prefix = fmt::format("  {}  ", stamp(line.at));
    if (!line.wrap) {
      out << prefix << line.text << '\n';
    } else {
      const std::string wrapped =
          demo::wrap(line.text, 78, prefix, std::string(prefix.size(), ' '));
      const std::string_view body = std::string_view(wrapped).substr(prefix.size());
      out << prefix << (line.tone ? paint(body, *line.tone, options.style) : std::string(body))
          << '\n';
    }
  }

  std::string elections;
  for (const auto& [term, leader] : narrator.leaders()) {
    elections += fmt::format("{}term {} {}", elections.empty() ? "" : ", ", term, name(leader));
  }
  out << '\n'
      << bold(fmt::format("Summary: {} s of virtual time in {} ms of real time, seed {}",
                          kRunFor / 1s,
                          std::chrono::duration_cast<std::chrono::milliseconds>(stats.real).count(),
                          options.seed),
              options.style)
      << '\n';
  out << fmt::format("  client ops   {} invoked: {} ok, {} fail, {} info (outcome unknown)\n",
                     stats.ops_invoked, stats.ops_ok, stats.ops_fail, stats.ops_info);
  out << fmt::format("  elections    {}: {}\n", stats.elections, elections);
  out << fmt::format("  messages     {} sent, {} delivered, {} dropped by the partition\n",
                     stats.messages_sent, stats.messages_delivered,
                     stats.messages_dropped_by_partition);

  const Result<check::CheckResult> verdict =
      check::check_history(result.history, check::kv_model());
  if (!verdict.ok()) {
    out << paint(fmt::format("Checker: the history is malformed: {}", verdict.status().message()),
                 Tone::bad, options.style)
        << '\n';
    return 1;
  }
  const bool linearizable = verdict->verdict == check::Verdict::linearizable;
  out << "Checker: the clients' history of " << verdict->operation_count << " operations is "
      << paint(check::verdict_name(verdict->verdict), linearizable ? Tone::good : Tone::bad,
               options.style)
      << ".\n";
  if (!result.ok) {
    out << paint(fmt::format("Simulator: {}", result.report), Tone::bad, options.style) << '\n';
    return 1;
  }
  out << '\n';
  return linearizable ? 0 : 1;
}

}  // namespace faultline::consensus_scene
