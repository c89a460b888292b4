#include "trace_command/trace_command.hpp"

#include <CLI/CLI.hpp>

#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

#include "trace_command/trace_file.hpp"
#include "trace_command/waterfall.hpp"

namespace faultline::app {

int run_trace_show(const std::string& file, std::ostream& out, std::ostream& err) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    err << "faultline trace show: cannot open " << file << '\n';
    return kTraceExitBadInput;
  }
  std::ostringstream text;
  text << in.rdbuf();
  const auto spans = read_trace_file(text.str());
  if (!spans.ok()) {
    err << "faultline trace show: " << file << ": " << spans.status().message() << '\n';
    return kTraceExitBadInput;
  }
  if (spans->empty()) {
    out << file << ": no spans\n";
    return kTraceExitOk;
  }
  print_waterfalls(*spans, out);
  return kTraceExitOk;
}

Command add_trace_command(CLI::App& app) {
  auto file = std::make_shared<std::string>();
  CLI::App* trace = app.add_subcommand("trace", "Work with exported traces.");
  trace->require_subcommand(1);
  CLI::App* show = trace->add_subcommand(
      "show",
      "Print each trace in a file exporter's output (OTLP/JSON lines) as an indented waterfall with "
      "durations. Exit code 0, or 2 for bad input (with the line number).");
  show->add_option("file", *file, "The trace file")->required();
  // chosen() asks the top-level subcommand; run() checks it was `show`.
  return Command{trace, [file, show] {
                   if (!show->parsed()) return kTraceExitBadInput;
                   return run_trace_show(*file, std::cout, std::cerr);
                 }};
}

}  // namespace faultline::app
