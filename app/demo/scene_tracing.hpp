// Tracing for the flaky-service scene: the protected client's requests
// and the service's answers to them, as one trace per logical request.
//
// Owns what the scene's tracers need: a random source seeded from the
// run's seed, an always-on sampler, a file exporter behind a batch
// processor (OTLP/JSON lines, readable with `faultline trace show`), and
// two tracers with their own resources, "protected-client" and
// "flaky-service". The protected client opens a span per logical request
// and a client span per attempt (so retries show as siblings with their
// backoff gaps between them); the HTTP client injects the current context
// into each attempt's request; the service extracts it and records a
// server span. After the run, finish() flushes the file and
// print_slowest_retried() prints the slowest request that needed retries
// as a waterfall (trace_command/waterfall.hpp).
//
//   auto tracing = SceneTracing::open("/tmp/faultline-demo-trace.jsonl", seed);
//   ... the scene runs with (*tracing)->client_tracer() / server_tracer() ...
//   (*tracing)->finish();
//   (*tracing)->print_slowest_retried(out, style);
//
// Thread-safety: the tracers are safe from any thread; open, finish and
// print from the scene's thread. It must outlive the client and service
// that use its tracers.
#pragma once

#include <cstdint>
#include <memory>
#include <ostream>
#include <string>

#include "demo/text_format.hpp"
#include "faultline/core/random.hpp"
#include "faultline/core/result.hpp"
#include "faultline/tracing/batch_span_processor.hpp"
#include "faultline/tracing/file_exporter.hpp"
#include "faultline/tracing/sampler.hpp"
#include "faultline/tracing/tracer.hpp"

namespace faultline::demo {

// Where the demo writes its trace unless told otherwise: a file named for
// this process in the system's temporary directory.
[[nodiscard]] std::string default_trace_file();

class SceneTracing {
 public:
  // Starts `path` afresh (an older file is replaced). unavailable if it
  // cannot be written.
  static Result<std::unique_ptr<SceneTracing>> open(const std::string& path, std::uint64_t seed);
  ~SceneTracing();

  [[nodiscard]] tracing::Tracer& client_tracer() noexcept { return client_; }
  [[nodiscard]] tracing::Tracer& server_tracer() noexcept { return server_; }
  [[nodiscard]] const std::string& path() const noexcept { return path_; }

  // Exports every span ended so far and stops; later spans are dropped.
  void finish();
  // Reads the file back and prints the slowest logical request that took
  // more than one attempt (the slowest of all if none did), with the file's
  // path and how to see the rest.
  void print_slowest_retried(std::ostream& out, TextStyle style) const;

 private:
  SceneTracing(std::string path, std::uint64_t seed, std::unique_ptr<tracing::FileExporter> exporter,
               std::unique_ptr<tracing::BatchSpanProcessor> processor);

  std::string path_;
  SharedRandom random_;
  tracing::AlwaysOnSampler sampler_;
  std::unique_ptr<tracing::FileExporter> exporter_;
  std::unique_ptr<tracing::BatchSpanProcessor> processor_;
  tracing::Tracer client_;
  tracing::Tracer server_;
};

}  // namespace faultline::demo
