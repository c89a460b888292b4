// The faultline binary: one executable, one subcommand per job.
//
// Each subcommand lives in its own folder and registers itself through an
// add_*_command() (see demo/demo_command.hpp); this file only assembles
// them, parses, and turns every command-line mistake into one clear line
// on stderr and exit code 2 (help and --version exit 0).
#include <CLI/CLI.hpp>

#include <exception>
#include <iostream>
#include <string>
#include <vector>

#include "check_command/check_command.hpp"
#include "demo/demo_command.hpp"
#include "sim_command/sim_command.hpp"

namespace {

constexpr int kExitUsage = 2;

// "faultline demo" when the error happened inside a subcommand.
std::string command_path(const CLI::App& app) {
  std::string path = app.get_name();
  for (const CLI::App* sub : app.get_subcommands()) path += " " + sub->get_name();
  return path;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app("Faultline: a C++20 toolkit for distributed-systems resilience.", "faultline");
  app.set_version_flag("--version", "faultline 0.1.0");
  app.require_subcommand(1);
  std::vector<faultline::app::Command> commands;
  commands.push_back(faultline::app::add_demo_command(app));
  commands.push_back(faultline::app::add_check_command(app));
  commands.push_back(faultline::app::add_sim_command(app));

  if (argc <= 1) {  // a newcomer typing just `faultline` gets the overview
    std::cout << app.help();
    return 0;
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    const std::string path = command_path(app);
    std::cerr << path << ": error: " << e.what() << " (see '" << path << " --help')\n";
    return kExitUsage;
  }
  for (const auto& command : commands) {
    if (!command.chosen()) continue;
    try {
      return command.run();
    } catch (const std::exception& e) {
      // Expected failures are statuses; this is the last line of defence
      // that turns a bug into a message instead of a core dump.
      std::cerr << command_path(app) << ": internal error: " << e.what() << '\n';
      return 1;
    }
  }
  return kExitUsage;  // unreachable: require_subcommand(1)
}
