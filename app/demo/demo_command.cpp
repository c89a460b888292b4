#include "demo/demo_command.hpp"

#include <CLI/CLI.hpp>
#include <unistd.h>

#include <fmt/format.h>

#include <atomic>
#include <charconv>
#include <csignal>
#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <string>
#include <string_view>

#include "clocks_scene/clocks_scene.hpp"
#include "consensus_scene/consensus_scene.hpp"
#include "demo/fault_schedule.hpp"
#include "demo/flaky_service_scene.hpp"
#include "demo/scene_tracing.hpp"

namespace faultline::app {
namespace {

// Set by SIGINT/SIGTERM; the scene polls it. A lock-free atomic is the one
// thing a signal handler may touch.
std::atomic<bool> g_interrupted{false};
static_assert(std::atomic<bool>::is_always_lock_free);

// The first Ctrl-C asks the demo to wind down and print its summary; the
// handler then steps aside, so a second one ends the process at once.
extern "C" void on_interrupt(int signal_number) {
  g_interrupted.store(true);
  std::signal(signal_number, SIG_DFL);
}

struct DemoFlags {
  int duration_seconds = 30;
  std::uint64_t seed = 1;
  int rate_per_second = 50;
  std::string color = "auto";
  std::string scene = "all";  // flaky, clocks, consensus or all (the three in that order)
  std::string trace_file = demo::default_trace_file();
};

// A whole number in [min, max], with messages that say what was wrong
// ("'abc' is not a whole number") where CLI11's Range alone would call a
// word "not in range". `unit` follows the bounds in messages (" seconds").
template <class Integer>
CLI::Validator whole_number(Integer min, Integer max, std::string_view unit,
                            std::string description) {
  return CLI::Validator(
      [min, max, unit = std::string(unit)](std::string& input) -> std::string {
        Integer value{};
        const char* end = input.data() + input.size();
        const auto [stop, error] = std::from_chars(input.data(), end, value);
        const bool parsed = error == std::errc() && stop == end;
        if (parsed && value >= min && value <= max) return "";
        if (parsed || error == std::errc::result_out_of_range) {
          return fmt::format("must be from {} to {}{}, got {}", min, max, unit, input);
        }
        return fmt::format("'{}' is not a whole number", input);
      },
      std::move(description));
}

bool want_color(const std::string& choice) {
  if (choice == "always") return true;
  if (choice == "never") return false;
  return ::isatty(STDOUT_FILENO) == 1 && std::getenv("NO_COLOR") == nullptr;
}

int run_demo(const DemoFlags& flags) {
  demo::SceneOptions options;
  options.duration = std::chrono::seconds(flags.duration_seconds);
  options.seed = flags.seed;
  options.rate_per_second = flags.rate_per_second;
  options.style.color = want_color(flags.color);
  options.interrupted = [] { return g_interrupted.load(); };
  options.trace_file = flags.trace_file;
  std::signal(SIGINT, on_interrupt);
  std::signal(SIGTERM, on_interrupt);
  // A peer resetting a connection must be an error code, never a signal.
  std::signal(SIGPIPE, SIG_IGN);
  const bool all = flags.scene == "all";
  if (all || flags.scene == "flaky") {
    const int code = demo::run_flaky_service_scene(options, std::cout, std::cerr);
    // Ctrl-C or a failed start ends the whole demo, not just its first scene.
    if (code != 0 || !all) return code;
  }
  if (all || flags.scene == "clocks") {
    const int code =
        clocks_scene::run_clocks_scene(clocks_scene::ClocksSceneOptions{options.style}, std::cout);
    if (code != 0 || !all) return code;
  }
  return consensus_scene::run_consensus_scene(
      consensus_scene::ConsensusSceneOptions{.style = options.style, .seed = flags.seed},
      std::cout);
}

}  // namespace

bool Command::chosen() const { return subcommand != nullptr && subcommand->parsed(); }

Command add_demo_command(CLI::App& app) {
  auto flags = std::make_shared<DemoFlags>();
  CLI::App* demo = app.add_subcommand(
      "demo",
      "Run a flaky HTTP service on 127.0.0.1 and call it with and without resilience policies "
      "(retry with jitter and budget, circuit breaker, timeouts), side by side, and with a static "
      "and an adaptive concurrency limit while its capacity halves; prints a live view and a "
      "summary, and stops by itself. Then three simulated nodes with skewed clocks "
      "show wall-clock order getting causality wrong and vector clocks and an HLC getting it "
      "right. Then a simulated five-node Raft cluster loses its leader to a partition, elects "
      "a new one, takes the old one back, and the checker judges the clients' history.");
  const auto min_seconds =
      std::chrono::duration_cast<std::chrono::seconds>(demo::FaultSchedule::kTotalMin).count();
  const auto max_seconds =
      std::chrono::duration_cast<std::chrono::seconds>(demo::FaultSchedule::kTotalMax).count();
  demo->add_option("-d,--duration", flags->duration_seconds,
                   "Seconds of load; the fault phases scale with it")
      ->check(whole_number<int>(static_cast<int>(min_seconds), static_cast<int>(max_seconds),
                                " seconds", fmt::format("{}..{}", min_seconds, max_seconds)))
      ->capture_default_str();
  demo->add_option("-s,--seed", flags->seed,
                   "Seed for the fault schedule and the jitter, and for the consensus scene's "
                   "simulation: same seed, same faults")
      ->check(whole_number<std::uint64_t>(0, UINT64_MAX, "", "UINT64"))
      ->capture_default_str();
  demo->add_option("-r,--rate", flags->rate_per_second, "Requests per second sent to each client")
      ->check(whole_number<int>(1, 200, " requests per second", "1..200"))
      ->capture_default_str();
  demo->add_option("--color", flags->color,
                   "Colour output: auto (on a terminal, unless NO_COLOR), always, never")
      ->check(CLI::IsMember({"auto", "always", "never"}))
      ->capture_default_str();
  demo->add_option("--scene", flags->scene,
                   "Which scene: flaky (the HTTP service), clocks (skewed clocks), consensus "
                   "(a Raft leader partitioned away), all (the three in that order)")
      ->check(CLI::IsMember({"flaky", "clocks", "consensus", "all"}))
      ->capture_default_str();
  demo->add_option("--trace-file", flags->trace_file,
                   "Where the flaky-service scene writes its trace (OTLP/JSON lines, read with "
                   "`faultline trace show`); an empty value turns tracing off")
      ->capture_default_str();
  return Command{demo, [flags] { return run_demo(*flags); }};
}

}  // namespace faultline::app
