// FileExporter: writes each exported batch as one line of OTLP/JSON (an
// ExportTraceServiceRequest, see otlp_json.hpp) to a file — the JSON Lines
// form the OpenTelemetry Collector's file exporter writes, and what
// `faultline trace show FILE` reads.
//
// A line is written whole and flushed before export_spans() returns, so a
// reader never sees half a batch from a live process (a crash mid-write
// can leave one torn last line, which readers report by line number).
//
//   auto exporter = FileExporter::open("traces.jsonl");
//   if (!exporter.ok()) return exporter.status();
//
// Thread-safety: export_spans() and shutdown() from one thread at a time,
// as the batch processor calls them.
#pragma once

#include <cstdio>
#include <memory>
#include <string>

#include "faultline/core/result.hpp"
#include "faultline/tracing/span_exporter.hpp"

namespace faultline::tracing {

namespace json {
class JsonBuffer;
}

class FileExporter final : public SpanExporter {
 public:
  // Appends to `path`, creating it; unavailable if it cannot be opened.
  static Result<std::unique_ptr<FileExporter>> open(const std::string& path);
  ~FileExporter() override;

  Status export_spans(SpanBatch spans, TimePoint deadline) override;
  Status shutdown() override;

 private:
  FileExporter(std::FILE* file, std::string path);

  std::FILE* file_;
  std::string path_;
  // Reused for every line, so steady-state export does not allocate.
  std::unique_ptr<json::JsonBuffer> line_;
};

}  // namespace faultline::tracing
