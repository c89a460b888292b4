#include "trace_command/trace_command.hpp"

#include <CLI/CLI.hpp>

#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

#include "trace_command/trace_file.hpp"
#include "trace_command/waterfall.hpp"
#include "w3c_service_run.hpp"

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
  CLI::App* trace = app.add_subcommand(
      "trace", "Work with exported traces; run the W3C Trace Context conformance service.");
  trace->require_subcommand(1);
  CLI::App* show = trace->add_subcommand(
      "show",
      "Print each trace in a file exporter's output (OTLP/JSON lines) as an indented waterfall with "
      "durations. Exit code 0, or 2 for bad input (with the line number).");
  show->add_option("file", *file, "The trace file")->required();

  auto w3c = std::make_shared<examples::W3cServiceRunOptions>();
  CLI::App* service = trace->add_subcommand(
      "w3c-service",
      "Run the W3C Trace Context conformance service: POST /test takes a JSON array of "
      "{url, arguments} and POSTs each `arguments` to its `url`, carrying the trace context on "
      "as a child span; point the W3C suite (test/test.py) at it. Runs until Ctrl-C.");
  service->add_option("-p,--port", w3c->port, "Port on 127.0.0.1 (0: any free port)")
      ->check(CLI::Range(0, 65535))
      ->capture_default_str();
  service->add_option("--seed", w3c->seed, "Seed for span ids (default: from the clock)");
  service->add_option("--trace-file", w3c->trace_file,
                      "Also write the spans as OTLP/JSON lines here (read with `trace show`)");
  // chosen() asks the top-level subcommand; run() asks which one under it.
  return Command{trace, [file, show, service, w3c] {
                   if (service->parsed()) return examples::run_w3c_service(*w3c, std::cout, std::cerr);
                   if (!show->parsed()) return kTraceExitBadInput;
                   return run_trace_show(*file, std::cout, std::cerr);
                 }};
}

}  // namespace faultline::app
