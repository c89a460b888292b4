#include "faultline/tracing/file_exporter.hpp"

#include <cerrno>
#include <cstring>

#include "json_buffer.hpp"
#include "otlp_json_writer.hpp"

namespace faultline::tracing {

Result<std::unique_ptr<FileExporter>> FileExporter::open(const std::string& path) {
  std::FILE* file = std::fopen(path.c_str(), "ab");
  if (file == nullptr) {
    return Status::unavailable("file exporter: cannot open " + path + ": " + std::strerror(errno));
  }
  return std::unique_ptr<FileExporter>(new FileExporter(file, path));
}

FileExporter::FileExporter(std::FILE* file, std::string path)
    : file_(file), path_(std::move(path)), line_(std::make_unique<json::JsonBuffer>()) {}

FileExporter::~FileExporter() { (void)shutdown(); }

Status FileExporter::export_spans(SpanBatch spans, TimePoint) {
  if (file_ == nullptr) return Status::failed_precondition("file exporter: already shut down");
  if (spans.empty()) return Status();
  line_->clear();
  put_otlp_json(*line_, spans);
  line_->put('\n');
  if (std::fwrite(line_->data(), 1, line_->size(), file_) != line_->size() || std::fflush(file_) != 0) {
    return Status::unavailable("file exporter: cannot write " + path_ + ": " + std::strerror(errno));
  }
  return Status();
}

Status FileExporter::shutdown() {
  if (file_ == nullptr) return Status();
  const int closed = std::fclose(file_);
  file_ = nullptr;
  if (closed != 0) return Status::data_loss("file exporter: closing " + path_ + " failed");
  return Status();
}

}  // namespace faultline::tracing
