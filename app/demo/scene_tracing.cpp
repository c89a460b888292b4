#include "demo/scene_tracing.hpp"

#include <fmt/format.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <system_error>
#include <vector>

#include "faultline/core/clock.hpp"
#include "faultline/core/wall_clock.hpp"
#include "faultline/tracing/resource.hpp"
#include "trace_command/trace_file.hpp"
#include "trace_command/waterfall.hpp"

namespace faultline::demo {
namespace {

constexpr int kOtlpSpanKindClient = 3;

// Exports a few times a second: the file is close to current while the
// demo runs, and the worker stays idle most of the time.
tracing::BatchSpanProcessorConfig processor_config() {
  return tracing::BatchSpanProcessorConfig{.schedule_delay = std::chrono::milliseconds(250)};
}

// One logical request's trace, as the summary needs it.
struct RequestTrace {
  const app::ShownSpan* root = nullptr;
  std::size_t attempts = 0;
};

}  // namespace

std::string default_trace_file() {
  std::error_code ec;
  std::filesystem::path directory = std::filesystem::temp_directory_path(ec);
  if (ec) directory = "/tmp";
  // The process id keeps runs side by side (a test suite runs several)
  // from writing one file.
  return (directory / ("faultline-demo-" + std::to_string(::getpid()) + ".trace.jsonl")).string();
}

Result<std::unique_ptr<SceneTracing>> SceneTracing::open(const std::string& path, std::uint64_t seed) {
  std::error_code ec;
  std::filesystem::remove(path, ec);  // the exporter appends; each run starts its own file
  auto exporter = tracing::FileExporter::open(path);
  if (!exporter.ok()) return exporter.status();
  auto processor = tracing::BatchSpanProcessor::create(processor_config(), **exporter, SteadyClock::instance());
  if (!processor.ok()) return processor.status();
  return std::unique_ptr<SceneTracing>(
      new SceneTracing(path, seed, std::move(*exporter), std::move(*processor)));
}

SceneTracing::SceneTracing(std::string path, std::uint64_t seed, std::unique_ptr<tracing::FileExporter> exporter,
                           std::unique_ptr<tracing::BatchSpanProcessor> processor)
    : path_(std::move(path)),
      random_(seed),
      exporter_(std::move(exporter)),
      processor_(std::move(processor)),
      client_(SystemWallClock::instance(), random_, sampler_, *processor_,
              tracing::TracerConfig{.scope_name = "faultline.demo",
                                    .resource = tracing::Resource::make("protected-client")}),
      server_(SystemWallClock::instance(), random_, sampler_, *processor_,
              tracing::TracerConfig{.scope_name = "faultline.demo",
                                    .resource = tracing::Resource::make("flaky-service")}) {}

SceneTracing::~SceneTracing() { finish(); }

void SceneTracing::finish() { (void)processor_->shutdown(std::chrono::seconds(5)); }

void SceneTracing::print_slowest_retried(std::ostream& out, TextStyle style) const {
  std::ifstream in(path_, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  const auto spans = app::read_trace_file(text.str());
  out << '\n' << bold("Tracing", style) << '\n';
  if (!spans.ok() || spans->empty()) {
    out << "  no spans in " << path_ << (spans.ok() ? "" : ": " + std::string(spans.status().message())) << "\n\n";
    return;
  }
  std::map<std::string, RequestTrace> requests;  // by trace id
  std::map<std::string, std::string> trace_of_root;  // root span id -> trace id
  for (const auto& span : *spans) {
    if (span.parent_span_id.empty() && span.kind != kOtlpSpanKindClient) {
      requests[span.trace_id].root = &span;
      trace_of_root[span.span_id] = span.trace_id;
    }
  }
  for (const auto& span : *spans) {
    const auto root = trace_of_root.find(span.parent_span_id);
    if (span.kind == kOtlpSpanKindClient && root != trace_of_root.end()) requests[root->second].attempts += 1;
  }
  const RequestTrace* chosen = nullptr;
  for (const auto& [id, request] : requests) {
    if (request.root == nullptr) continue;
    const auto duration = [](const RequestTrace& r) { return r.root->end_unix_nano - r.root->start_unix_nano; };
    const auto rank = [&](const RequestTrace& r) { return std::make_pair(r.attempts > 1, duration(r)); };
    if (chosen == nullptr || rank(request) > rank(*chosen)) chosen = &request;
  }
  out << fmt::format("  {} spans of {} protected requests, written to {}\n", spans->size(), requests.size(),
                     path_);
  if (chosen != nullptr) {
    out << fmt::format("  The slowest request{}, as `faultline trace show` draws it:\n\n",
                       chosen->attempts > 1 ? fmt::format(" that needed retries ({} attempts)", chosen->attempts)
                                            : std::string());
    std::vector<app::ShownSpan> trace;
    for (const auto& span : *spans) {
      if (span.trace_id == chosen->root->trace_id) trace.push_back(span);
    }
    app::print_waterfalls(trace, out);
  }
  out << fmt::format("\n  Every request: faultline trace show {}\n\n", path_);
}

}  // namespace faultline::demo
