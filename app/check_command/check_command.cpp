#include "check_command/check_command.hpp"

#include <CLI/CLI.hpp>

#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

#include "faultline/check/checker.hpp"
#include "faultline/check/history_parser.hpp"
#include "faultline/check/kv_model.hpp"
#include "faultline/check/register_model.hpp"
#include "faultline/check/report/timeline.hpp"

namespace faultline::app {
namespace {

constexpr const char* kName = "faultline check";

Result<std::string> read_whole_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::not_found("cannot open " + path);
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return Status::data_loss("cannot read " + path);
  return text.str();
}

int exit_code_of(check::Verdict verdict) {
  switch (verdict) {
    case check::Verdict::linearizable: return kCheckExitLinearizable;
    case check::Verdict::not_linearizable: return kCheckExitNotLinearizable;
    case check::Verdict::unknown: return kCheckExitUnknown;
  }
  return kCheckExitUnknown;
}

}  // namespace

int run_check(const CheckFlags& flags, std::ostream& out, std::ostream& err) {
  const check::Model& model = flags.model == "register" ? check::register_model() : check::kv_model();
  Result<std::string> text = read_whole_file(flags.file);
  if (!text.ok()) {
    err << kName << ": error: " << text.status().message() << '\n';
    return kCheckExitBadInput;
  }
  Result<check::History> history = check::parse_history(*text);
  if (!history.ok()) {
    err << kName << ": error: " << flags.file << ": " << history.status().message() << '\n';
    return kCheckExitBadInput;
  }
  check::CheckOptions options;
  options.limits.search_steps_max = flags.search_steps_max;
  Result<check::CheckResult> result = check::check_history(*history, model, options);
  if (!result.ok()) {
    err << kName << ": error: " << flags.file << ": " << result.status().message() << '\n';
    return kCheckExitBadInput;
  }
  out << flags.file << ": " << check::render_check_report(*result, model);
  return exit_code_of(result->verdict);
}

Command add_check_command(CLI::App& app) {
  auto flags = std::make_shared<CheckFlags>();
  CLI::App* check = app.add_subcommand(
      "check",
      "Decide whether a recorded history is linearizable (JSON lines, Jepsen EDN or Jepsen log; "
      "see docs/check.md). Prints the verdict and, for a violation, the smallest failing slice. "
      "Exit code 0 linearizable, 1 not, 2 bad input, 3 unknown (search limit reached).");
  check->add_option("file", flags->file, "The history file")->required();
  check->add_option("-m,--model", flags->model,
                    "kv: get/put/append/cas per key; register: one read/write/cas register")
      ->check(CLI::IsMember({"kv", "register"}))
      ->capture_default_str();
  check->add_option("--search-steps-max", flags->search_steps_max,
                    "Search steps per key before answering unknown")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  return Command{check, [flags] { return run_check(*flags, std::cout, std::cerr); }};
}

}  // namespace faultline::app
