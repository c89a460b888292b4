// `faultline demo`: the command-line face of the demo scenes.
//
// Registers the `demo` subcommand and its flags on the binary's CLI11 app.
// Every subcommand of the binary follows this shape, one folder each
// (demo/, later serve/, kv/, sim/, check/, bench/): an add_*_command()
// that declares flags and returns the action to run once parsing succeeds.
// Parsing errors are the caller's (main.cpp) to report; the action returns
// the process exit code.
//
//   CLI::App app("faultline");
//   Command demo = add_demo_command(app);
//   app.parse(argc, argv);
//   if (demo.chosen()) return demo.run();
//
// Thread-safety: used from main's thread only.
#pragma once

#include <functional>

namespace CLI {
class App;
}  // namespace CLI

namespace faultline::app {

// A registered subcommand: whether the user chose it, and what it does.
struct Command {
  CLI::App* subcommand = nullptr;
  std::function<int()> run;

  [[nodiscard]] bool chosen() const;
};

Command add_demo_command(CLI::App& app);

}  // namespace faultline::app
