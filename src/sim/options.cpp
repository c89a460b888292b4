#include "faultline/sim/options.hpp"

#include <array>
#include <utility>

namespace faultline::sim {
namespace {

struct NamedKind {
  std::string_view name;
  FaultKind kind;
};

constexpr std::array<NamedKind, 8> kKinds = {{
    {"loss", FaultKind::loss},
    {"dup", FaultKind::duplicate},
    {"reorder", FaultKind::reorder},
    {"partition", FaultKind::partition},
    {"crash", FaultKind::crash},
    {"membership", FaultKind::membership},
    {"transfer", FaultKind::transfer},
    {"churn", FaultKind::churn},
}};

struct NamedKnob {
  std::string_view name;
  bool raft::RaftTestKnobs::*field;
};

constexpr std::array<NamedKnob, 4> kKnobs = {{
    {"commit_previous_term_by_counting", &raft::RaftTestKnobs::commit_previous_term_by_counting},
    {"skip_vote_up_to_date_check", &raft::RaftTestKnobs::skip_vote_up_to_date_check},
    {"leader_counts_unpersisted_entries", &raft::RaftTestKnobs::leader_counts_unpersisted_entries},
    {"read_index_skips_quorum_check", &raft::RaftTestKnobs::read_index_skips_quorum_check},
}};

Status add_kind(FaultKinds& kinds, std::string_view word) {
  if (word == "all") {
    kinds.bits |= FaultKinds::all().bits;
    return Status();
  }
  if (word == "none") return Status();
  if (word == "duplicate") word = "dup";
  for (const NamedKind& named : kKinds) {
    if (named.name == word) {
      kinds.add(named.kind);
      return Status();
    }
  }
  return Status::invalid_argument(
      "unknown fault kind '" + std::string(word) +
      "' (loss, dup, reorder, partition, crash, membership, transfer, churn, all, none)");
}

}  // namespace

Result<FaultKinds> parse_fault_kinds(std::string_view text) {
  FaultKinds kinds;
  if (text.empty()) return Status::invalid_argument("empty fault list (try 'all' or 'none')");
  while (!text.empty()) {
    const std::size_t comma = text.find(',');
    const std::string_view word = text.substr(0, comma);
    if (Status s = add_kind(kinds, word); !s.ok()) return s;
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
    if (text.empty()) return Status::invalid_argument("a fault list ends with ','");
  }
  return kinds;
}

std::string fault_kinds_text(FaultKinds kinds) {
  if (kinds.bits == FaultKinds::all().bits) return "all";
  std::string text;
  for (const NamedKind& named : kKinds) {
    if (!kinds.has(named.kind)) continue;
    if (!text.empty()) text += ',';
    text += named.name;
  }
  return text.empty() ? "none" : text;
}

Status set_knob(raft::RaftTestKnobs& knobs, std::string_view name) {
  for (const NamedKnob& named : kKnobs) {
    if (named.name == name) {
      knobs.*named.field = true;
      return Status();
    }
  }
  return Status::invalid_argument(
      "unknown knob '" + std::string(name) +
      "' (commit_previous_term_by_counting, skip_vote_up_to_date_check, "
      "leader_counts_unpersisted_entries, read_index_skips_quorum_check)");
}

std::string knobs_text(const raft::RaftTestKnobs& knobs) {
  std::string text;
  for (const NamedKnob& named : kKnobs) {
    if (!(knobs.*named.field)) continue;
    if (!text.empty()) text += ',';
    text += named.name;
  }
  return text;
}

Status SimOptions::validate() const {
  if (nodes != 3 && nodes != 5) return Status::invalid_argument("nodes must be 3 or 5");
  if (clients < 1 || clients > 16) return Status::invalid_argument("clients must be in [1, 16]");
  if (duration < std::chrono::seconds(1) || duration > std::chrono::hours(1)) {
    return Status::invalid_argument("duration must be between 1s and 1h of virtual time");
  }
  for (const LeaderIsolation& isolation : isolate_leader) {
    if (isolation.start < Duration::zero() || isolation.end <= isolation.start) {
      return Status::invalid_argument(
          "a leader isolation must start at or after 0 and end after it starts");
    }
    if (isolation.end > duration * 6 / 10) {
      return Status::invalid_argument(
          "a leader isolation must end by the heal at 60% of the duration");
    }
  }
  return Status();
}

std::string replay_command(std::uint64_t seed, const SimOptions& options) {
  std::string command = "faultline sim --seed " + std::to_string(seed);
  command += " --nodes " + std::to_string(options.nodes);
  command += " --clients " + std::to_string(options.clients);
  command += " --duration " +
             std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(options.duration).count()) +
             "ms";
  if (options.steps_max != 0) command += " --steps " + std::to_string(options.steps_max);
  if (options.snapshot_interval != kDefaultSnapshotInterval) {
    command += " --snapshot-every " + std::to_string(options.snapshot_interval);
  }
  command += " --faults " + fault_kinds_text(options.faults);
  const std::string knobs = knobs_text(options.knobs);
  std::string_view rest = knobs;
  while (!rest.empty()) {
    const std::size_t comma = rest.find(',');
    command += " --knob ";
    command += rest.substr(0, comma);
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  command += " --log";
  return command;
}

}  // namespace faultline::sim
