// BatchSpanProcessor: batching, the schedule delay, flush and shutdown,
// and what happens to spans when the queue is full or the exporter fails —
// the traced thread never waits and every lost span is counted.
#include "faultline/tracing/batch_span_processor.hpp"

#include <gtest/gtest.h>

#include <chrono>

#include "tracing/recording_exporter.hpp"
#include "tracing/tracer_fixture.hpp"

namespace faultline::tracing {
namespace {

using namespace std::chrono_literals;
using testing::RecordingExporter;

std::unique_ptr<SpanData> sampled_span(std::string name) {
  auto span = std::make_unique<SpanData>();
  span->name = std::move(name);
  span->context.flags = TraceFlags::sampled_flags(true);
  return span;
}

// Long enough that the timer never fires during a test.
BatchSpanProcessorConfig slow_timer(std::size_t queue, std::size_t batch) {
  return {.max_queue_size = queue, .max_export_batch_size = batch, .schedule_delay = 1h, .export_timeout = 30s};
}

TEST(BatchSpanProcessor, TheDefaultsAreTheOpenTelemetrySpecifications) {
  const BatchSpanProcessorConfig config;
  EXPECT_EQ(config.max_queue_size, 2048u);
  EXPECT_EQ(config.max_export_batch_size, 512u);
  EXPECT_EQ(config.schedule_delay, 5s);
  EXPECT_EQ(config.export_timeout, 30s);
  EXPECT_TRUE(config.validate().ok());
}

TEST(BatchSpanProcessor, ForceFlushExportsEverythingQueuedInBatchesOfTheMaximumSize) {
  RecordingExporter exporter;
  auto processor = *BatchSpanProcessor::create(slow_timer(16, 4), exporter, SteadyClock::instance());
  for (int i = 0; i < 3; ++i) processor->on_end(sampled_span(std::to_string(i)));
  ASSERT_TRUE(processor->force_flush(10s).ok());
  EXPECT_EQ(exporter.span_count(), 3u);
  for (int i = 0; i < 10; ++i) processor->on_end(sampled_span("t"));
  ASSERT_TRUE(processor->force_flush(10s).ok());
  EXPECT_EQ(exporter.span_count(), 13u);
  for (const auto& batch : exporter.batches()) EXPECT_LE(batch.size(), 4u);
  EXPECT_EQ(processor->metrics().exported_total, 13u);
  EXPECT_EQ(processor->metrics().queued_total, 13u);
}

TEST(BatchSpanProcessor, AFullBatchIsSentWithoutWaitingForTheTimer) {
  RecordingExporter exporter;
  auto processor = *BatchSpanProcessor::create(slow_timer(16, 4), exporter, SteadyClock::instance());
  for (int i = 0; i < 4; ++i) processor->on_end(sampled_span("s"));
  EXPECT_TRUE(exporter.wait_for_spans(4)) << "the fourth span completes a batch and wakes the worker";
}

TEST(BatchSpanProcessor, TheScheduleDelaySendsAPartialBatch) {
  RecordingExporter exporter;
  auto processor = *BatchSpanProcessor::create(
      {.max_queue_size = 16, .max_export_batch_size = 8, .schedule_delay = 20ms}, exporter, SteadyClock::instance());
  processor->on_end(sampled_span("lonely"));
  ASSERT_TRUE(exporter.wait_for_spans(1));
  EXPECT_EQ(exporter.batches().front(), std::vector<std::string>{"lonely"});
}

TEST(BatchSpanProcessor, AStuckExporterNeverBlocksTheCallerAndOverflowIsCounted) {
  RecordingExporter exporter;
  exporter.close_gate();
  auto processor = *BatchSpanProcessor::create(slow_timer(8, 4), exporter, SteadyClock::instance());
  // Four spans make a batch; the worker takes them and sticks in export.
  for (int i = 0; i < 4; ++i) processor->on_end(sampled_span("first"));
  ASSERT_TRUE(exporter.wait_for_calls(1));
  // The queue (8) fills; the rest is dropped at once, not waited for.
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < 20; ++i) processor->on_end(sampled_span("later"));
  EXPECT_LT(std::chrono::steady_clock::now() - start, 1s);
  EXPECT_EQ(processor->metrics().dropped_queue_full_total, 12u);
  EXPECT_EQ(processor->force_flush(50ms).code(), StatusCode::deadline_exceeded);

  exporter.open_gate();
  ASSERT_TRUE(processor->force_flush(10s).ok());
  EXPECT_EQ(exporter.span_count(), 12u);
  EXPECT_EQ(processor->metrics().exported_total, 12u);

  // Once the worker has taken spans out, the queue takes spans again.
  processor->on_end(sampled_span("after"));
  ASSERT_TRUE(processor->force_flush(10s).ok());
  EXPECT_EQ(exporter.span_count(), 13u);
  EXPECT_EQ(processor->metrics().dropped_queue_full_total, 12u);
}

TEST(BatchSpanProcessor, AFailedExportDropsItsBatchAndTheNextOneStillGoes) {
  RecordingExporter exporter;
  auto processor = *BatchSpanProcessor::create(slow_timer(16, 8), exporter, SteadyClock::instance());
  exporter.set_failing(true);
  for (int i = 0; i < 3; ++i) processor->on_end(sampled_span("lost"));
  ASSERT_TRUE(processor->force_flush(10s).ok());
  exporter.set_failing(false);
  processor->on_end(sampled_span("kept"));
  ASSERT_TRUE(processor->force_flush(10s).ok());
  const auto metrics = processor->metrics();
  EXPECT_EQ(metrics.dropped_export_failed_total, 3u);
  EXPECT_EQ(metrics.export_failures_total, 1u);
  EXPECT_EQ(metrics.exported_total, 1u);
}

TEST(BatchSpanProcessor, AnExporterThatThrowsIsAFailedExportNotACrash) {
  RecordingExporter exporter;
  exporter.throw_next();
  auto processor = *BatchSpanProcessor::create(slow_timer(16, 8), exporter, SteadyClock::instance());
  processor->on_end(sampled_span("x"));
  ASSERT_TRUE(processor->force_flush(10s).ok());
  processor->on_end(sampled_span("y"));
  ASSERT_TRUE(processor->force_flush(10s).ok());
  EXPECT_EQ(processor->metrics().export_failures_total, 1u);
  EXPECT_EQ(processor->metrics().exported_total, 1u);
}

TEST(BatchSpanProcessor, OnlySampledSpansAreQueued) {
  RecordingExporter exporter;
  auto processor = *BatchSpanProcessor::create(slow_timer(16, 8), exporter, SteadyClock::instance());
  auto record_only = std::make_unique<SpanData>();
  processor->on_end(std::move(record_only));
  processor->on_end(nullptr);
  ASSERT_TRUE(processor->force_flush(10s).ok());
  EXPECT_EQ(exporter.span_count(), 0u);
  EXPECT_EQ(processor->metrics().queued_total, 0u);
}

TEST(BatchSpanProcessor, ShutdownExportsWhatIsLeftThenDropsAndCountsLaterSpans) {
  RecordingExporter exporter;
  auto processor = *BatchSpanProcessor::create(slow_timer(16, 8), exporter, SteadyClock::instance());
  processor->on_end(sampled_span("before"));
  ASSERT_TRUE(processor->shutdown(10s).ok());
  EXPECT_EQ(exporter.span_count(), 1u);
  EXPECT_TRUE(exporter.shut_down());
  processor->on_end(sampled_span("after"));
  EXPECT_EQ(processor->metrics().dropped_after_shutdown_total, 1u);
  EXPECT_TRUE(processor->shutdown(10s).ok()) << "idempotent";
  EXPECT_TRUE(processor->force_flush(10s).ok());
}

TEST(BatchSpanProcessor, TheTracerHandsItsSampledSpansOver) {
  testing::TracerFixture f;
  RecordingExporter exporter;
  auto processor = *BatchSpanProcessor::create(slow_timer(16, 8), exporter, SteadyClock::instance());
  Tracer tracer(f.clock, f.random, f.sampler, *processor);
  tracer.start_span("one").end();
  ASSERT_TRUE(processor->force_flush(10s).ok());
  EXPECT_EQ(exporter.batches(), (std::vector<std::vector<std::string>>{{"one"}}));
}

TEST(BatchSpanProcessor, ANonsenseConfigIsRefused) {
  RecordingExporter exporter;
  const auto& clock = SteadyClock::instance();
  EXPECT_FALSE(BatchSpanProcessor::create({.max_queue_size = 1000}, exporter, clock).ok());
  EXPECT_FALSE(BatchSpanProcessor::create({.max_queue_size = 0}, exporter, clock).ok());
  EXPECT_FALSE(BatchSpanProcessor::create({.max_queue_size = 8, .max_export_batch_size = 9}, exporter, clock).ok());
  EXPECT_FALSE(BatchSpanProcessor::create({.max_export_batch_size = 0}, exporter, clock).ok());
  EXPECT_FALSE(BatchSpanProcessor::create({.schedule_delay = 0s}, exporter, clock).ok());
  EXPECT_FALSE(BatchSpanProcessor::create({.export_timeout = -1s}, exporter, clock).ok());
}

TEST(BoundedSpanQueue, PopsInPushOrderAndRefusesWhenFull) {
  BoundedSpanQueue queue(4);
  for (int i = 0; i < 4; ++i) {
    auto span = sampled_span(std::to_string(i));
    ASSERT_EQ(queue.try_push(span), static_cast<std::uint64_t>(i + 1)) << "counts the pushes";
  }
  auto extra = sampled_span("extra");
  EXPECT_EQ(queue.try_push(extra), 0u);
  ASSERT_NE(extra, nullptr) << "a refused span stays with the caller";
  EXPECT_EQ(queue.size_approx(), 4u);
  for (int i = 0; i < 4; ++i) EXPECT_EQ(queue.try_pop()->name, std::to_string(i));
  EXPECT_EQ(queue.try_pop(), nullptr);
  EXPECT_EQ(queue.try_push(extra), 5u) << "wraps around";
  EXPECT_EQ(queue.try_pop()->name, "extra");
}

}  // namespace
}  // namespace faultline::tracing
