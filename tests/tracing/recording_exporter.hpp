// A SpanExporter for tests: records each batch's span names, can be told
// to fail, and can be held at a gate to play a stuck collector.
//
// Thread-safety: every member is safe from any thread.
#pragma once

#include <condition_variable>
#include <mutex>
#include <string>
#include <vector>

#include "faultline/tracing/span_exporter.hpp"

namespace faultline::tracing::testing {

class RecordingExporter final : public SpanExporter {
 public:
  Status export_spans(SpanBatch spans, TimePoint) override {
    std::unique_lock lock(mutex_);
    ++calls_;
    changed_.notify_all();
    changed_.wait(lock, [&] { return !gate_closed_; });
    std::vector<std::string> names;
    for (const auto& span : spans) names.push_back(span->name);
    batches_.push_back(std::move(names));
    changed_.notify_all();
    if (throw_next_) {
      throw_next_ = false;
      throw std::runtime_error("exporter bug");
    }
    return fail_ ? Status::unavailable("collector down") : Status();
  }
  Status shutdown() override {
    const std::lock_guard lock(mutex_);
    shut_down_ = true;
    return Status();
  }

  void close_gate() {
    const std::lock_guard lock(mutex_);
    gate_closed_ = true;
  }
  void open_gate() {
    const std::lock_guard lock(mutex_);
    gate_closed_ = false;
    changed_.notify_all();
  }
  void set_failing(bool fail) {
    const std::lock_guard lock(mutex_);
    fail_ = fail;
  }
  void throw_next() {
    const std::lock_guard lock(mutex_);
    throw_next_ = true;
  }
  // Waits (up to 10 s) until export_spans has been entered `count` times.
  bool wait_for_calls(int count) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, std::chrono::seconds(10), [&] { return calls_ >= count; });
  }
  // Waits (up to 10 s) until `count` spans have been recorded.
  bool wait_for_spans(std::size_t count) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, std::chrono::seconds(10), [&] { return span_count_locked() >= count; });
  }
  std::vector<std::vector<std::string>> batches() {
    const std::lock_guard lock(mutex_);
    return batches_;
  }
  std::size_t span_count() {
    const std::lock_guard lock(mutex_);
    return span_count_locked();
  }
  bool shut_down() {
    const std::lock_guard lock(mutex_);
    return shut_down_;
  }

 private:
  std::size_t span_count_locked() const {
    std::size_t count = 0;
    for (const auto& batch : batches_) count += batch.size();
    return count;
  }

  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<std::vector<std::string>> batches_;
  int calls_ = 0;
  bool gate_closed_ = false;
  bool fail_ = false;
  bool throw_next_ = false;
  bool shut_down_ = false;
};

}  // namespace faultline::tracing::testing
