#include "sim_command/sim_command.hpp"

#include <CLI/CLI.hpp>

#include <charconv>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <memory>
#include <optional>
#include <string_view>

#include "faultline/core/result.hpp"
#include "faultline/sim/simulation.hpp"

namespace faultline::app {
namespace {

constexpr const char* kName = "faultline sim";

struct SeedRange {
  std::uint64_t first = 0;
  std::uint64_t last = 0;
};

std::optional<std::uint64_t> parse_u64(std::string_view text) {
  std::uint64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return value;
}

Result<SeedRange> parse_seed_range(std::string_view text) {
  const std::size_t dots = text.find("..");
  const Status bad = Status::invalid_argument("--seeds wants A..B with A <= B, got '" +
                                              std::string(text) + "'");
  if (dots == std::string_view::npos) return bad;
  const auto first = parse_u64(text.substr(0, dots));
  const auto last = parse_u64(text.substr(dots + 2));
  if (!first || !last || *first > *last) return bad;
  return SeedRange{*first, *last};
}

// "10s", "2500ms", "1m".
Result<Duration> parse_duration(std::string_view text) {
  const Status bad = Status::invalid_argument("--duration wants a number with ms, s or m, got '" +
                                              std::string(text) + "'");
  std::size_t digits = 0;
  while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') ++digits;
  const auto number = parse_u64(text.substr(0, digits));
  if (!number || *number > 1'000'000'000) return bad;
  const std::string_view unit = text.substr(digits);
  const auto count = static_cast<std::int64_t>(*number);
  if (unit == "ms") return Duration(std::chrono::milliseconds(count));
  if (unit == "s") return Duration(std::chrono::seconds(count));
  if (unit == "m") return Duration(std::chrono::minutes(count));
  return bad;
}

Result<sim::SimOptions> options_from(const SimFlags& flags) {
  sim::SimOptions options;
  options.nodes = flags.nodes;
  options.clients = flags.clients;
  options.steps_max = flags.steps;
  options.snapshot_interval = flags.snapshot_every;
  Result<Duration> duration = parse_duration(flags.duration);
  if (!duration.ok()) return duration.status();
  options.duration = *duration;
  Result<sim::FaultKinds> faults = sim::parse_fault_kinds(flags.faults);
  if (!faults.ok()) return faults.status();
  options.faults = *faults;
  for (const std::string& knob : flags.knobs) {
    if (Status s = sim::set_knob(options.knobs, knob); !s.ok()) return s;
  }
  if (Status s = options.validate(); !s.ok()) return s;
  return options;
}

double seconds(Duration d) { return static_cast<double>(d.count()) / 1e9; }

struct Totals {
  std::uint64_t seeds = 0;
  sim::SimStats stats;

  void add(const sim::SimStats& s) {
    ++seeds;
    stats += s;
  }
};

void print_summary(std::ostream& out, const std::string& what, const Totals& totals) {
  const sim::SimStats& s = totals.stats;
  char line[1536];
  std::snprintf(line, sizeof line,
                "%s: %llu seed(s) passed\n"
                "  ops: %llu invoked, %llu ok, %llu fail, %llu info\n"
                "  elections %llu, messages %llu sent / %llu delivered, events %llu\n"
                "  faults injected %llu: crashes %llu, churn %llu (%llu leader cuts), partitions %llu (symmetric %llu, "
                "asymmetric %llu, bridge %llu, leader-minority %llu), loss %llu, dup %llu, "
                "reorder %llu, membership changes %llu (leader removals %llu), "
                "leadership transfers %llu\n"
                "  snapshots: %llu taken, %llu sent, %llu installed, %llu transfers failed\n"
                "  simulated %.1fs in %.3fs of real time (%.0fx)\n",
                what.c_str(), static_cast<unsigned long long>(totals.seeds),
                static_cast<unsigned long long>(s.ops_invoked),
                static_cast<unsigned long long>(s.ops_ok),
                static_cast<unsigned long long>(s.ops_fail),
                static_cast<unsigned long long>(s.ops_info),
                static_cast<unsigned long long>(s.elections),
                static_cast<unsigned long long>(s.messages_sent),
                static_cast<unsigned long long>(s.messages_delivered),
                static_cast<unsigned long long>(s.events),
                static_cast<unsigned long long>(s.faults_injected()),
                static_cast<unsigned long long>(s.crashes),
                static_cast<unsigned long long>(s.churn_episodes),
                static_cast<unsigned long long>(s.churn_cuts),
                static_cast<unsigned long long>(s.partitions()),
                static_cast<unsigned long long>(s.partitions_symmetric),
                static_cast<unsigned long long>(s.partitions_asymmetric),
                static_cast<unsigned long long>(s.partitions_bridge),
                static_cast<unsigned long long>(s.partitions_leader_minority),
                static_cast<unsigned long long>(s.loss_episodes),
                static_cast<unsigned long long>(s.duplicate_episodes),
                static_cast<unsigned long long>(s.reorder_episodes),
                static_cast<unsigned long long>(s.membership_changes),
                static_cast<unsigned long long>(s.leader_removals),
                static_cast<unsigned long long>(s.leadership_transfers),
                static_cast<unsigned long long>(s.snapshots_taken),
                static_cast<unsigned long long>(s.snapshots_sent),
                static_cast<unsigned long long>(s.snapshots_installed),
                static_cast<unsigned long long>(s.snapshot_transfers_failed), seconds(s.simulated),
                seconds(s.real), s.real.count() > 0 ? seconds(s.simulated) / seconds(s.real) : 0.0);
  out << line;
}

}  // namespace

int run_sim(const SimFlags& flags, std::ostream& out, std::ostream& err) {
  Result<sim::SimOptions> options = options_from(flags);
  if (!options.ok()) {
    err << kName << ": error: " << options.status().message() << '\n';
    return kSimExitUsage;
  }
  SeedRange range{flags.seed, flags.seed};
  if (!flags.seeds.empty()) {
    Result<SeedRange> parsed = parse_seed_range(flags.seeds);
    if (!parsed.ok()) {
      err << kName << ": error: " << parsed.status().message() << '\n';
      return kSimExitUsage;
    }
    range = *parsed;
  }
  Totals totals;
  for (std::uint64_t seed = range.first;; ++seed) {
    sim::SimResult result = sim::run_simulation(seed, *options, flags.log ? &out : nullptr);
    if (!result.ok) {
      out.flush();
      err << kName << ": FAILED " << result.report << '\n'
          << "replay: " << result.replay << '\n';
      return kSimExitFailed;
    }
    totals.add(result.stats);
    if (range.first == range.last) {
      char hash[32];
      std::snprintf(hash, sizeof hash, "%016llx", static_cast<unsigned long long>(result.hash));
      print_summary(out, "seed " + std::to_string(seed) + " (hash " + hash + ")", totals);
    }
    if (seed == range.last) break;
  }
  if (range.first != range.last) {
    print_summary(out, "seeds " + std::to_string(range.first) + ".." + std::to_string(range.last),
                  totals);
  }
  return kSimExitPassed;
}

Command add_sim_command(CLI::App& app) {
  auto flags = std::make_shared<SimFlags>();
  CLI::App* sim = app.add_subcommand(
      "sim",
      "Run the deterministic simulator: a Raft cluster under network faults and crashes, "
      "checked for safety after every event, liveness after healing and linearizability at "
      "the end (see docs/sim.md). Exit code 0 passed, 1 a seed failed, 2 bad usage.");
  sim->add_option("--seed", flags->seed, "The seed of one run")->capture_default_str();
  sim->add_option("--seeds", flags->seeds, "A range of seeds A..B (inclusive)");
  sim->add_option("--nodes", flags->nodes, "Cluster size: 3 or 5")->capture_default_str();
  sim->add_option("--clients", flags->clients, "Concurrent clients, 1..16")->capture_default_str();
  sim->add_option("--duration", flags->duration, "Virtual time per run, e.g. 10s or 2500ms")
      ->capture_default_str();
  sim->add_option("--steps", flags->steps, "Stop after this many events (0: no limit)")
      ->capture_default_str();
  sim->add_option("--faults", flags->faults,
                  "Fault kinds: loss,dup,reorder,partition,crash,membership,transfer,churn, or all (but churn), "
                  "or none")
      ->capture_default_str();
  sim->add_option("--knob", flags->knobs,
                  "Break the Raft core on purpose (raft/test_knobs.hpp), repeatable");
  sim->add_option("--snapshot-every", flags->snapshot_every,
                  "Each node snapshots and compacts every K applied entries (0: never)")
      ->capture_default_str();
  sim->add_flag("--log", flags->log, "Print every event: time, node, what happened");
  return Command{sim, [flags] { return run_sim(*flags, std::cout, std::cerr); }};
}

}  // namespace faultline::app
