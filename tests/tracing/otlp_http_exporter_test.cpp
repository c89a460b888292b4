// OtlpHttpExporter against a real HTTP server on 127.0.0.1: what it sends,
// which answers it retries (429/502/503/504, honouring Retry-After) and
// which it never does (400, 500, a partial success), and the story of a
// collector that is down, then slow, then back.
#include "faultline/tracing/otlp_http_exporter.hpp"

#include <gtest/gtest.h>

#include "faultline/core/manual_clock.hpp"
#include "faultline/tracing/batch_span_processor.hpp"
#include "faultline/tracing/otlp_json.hpp"
#include "tracing/collector_stub.hpp"
#include "tracing/tracer_fixture.hpp"

namespace faultline::tracing {
namespace {

using namespace std::chrono_literals;
using testing::CollectorAnswer;
using testing::CollectorStub;

std::vector<std::unique_ptr<SpanData>> one_span(std::string name) {
  auto span = std::make_unique<SpanData>();
  span->context.trace_id = *parse_trace_id("4bf92f3577b34da6a3ce929d0e0e4736");
  span->context.span_id = *parse_span_id("00f067aa0ba902b7");
  span->context.flags = TraceFlags::sampled_flags(true);
  span->name = std::move(name);
  span->scope_name = "test";
  std::vector<std::unique_ptr<SpanData>> batch;
  batch.push_back(std::move(span));
  return batch;
}

struct ExporterFixture {
  // Manual time: retry waits pass instantly and can be measured exactly.
  ManualClock clock;
  ManualWallClock wall{WallTimePoint(std::chrono::seconds(1'700'000'000))};
  SharedRandom random{7};
  OtlpHttpExporterConfig config(std::uint16_t port) {
    return {.port = port, .attempt_timeout = 2s, .attempts_max = 4,
            .backoff = resilience::Backoff::constant(100ms)};
  }
};

TEST(OtlpHttpExporter, PostsTheBatchAsOtlpJsonToV1Traces) {
  CollectorStub collector;
  ExporterFixture f;
  OtlpHttpExporter exporter(f.config(collector.port()), f.clock, f.wall, f.random);
  const auto batch = one_span("hello");
  ASSERT_TRUE(exporter.export_spans(batch, f.clock.now() + 30s).ok());
  const auto received = collector.received();
  ASSERT_EQ(received.size(), 1u);
  EXPECT_EQ(received[0].target, "/v1/traces");
  EXPECT_EQ(received[0].content_type, "application/json");
  EXPECT_EQ(received[0].body, encode_otlp_json(batch));
  EXPECT_EQ(exporter.metrics().batches_sent_total, 1u);
}

TEST(OtlpHttpExporter, KeepsOneConnectionForManyExports) {
  CollectorStub collector;
  ExporterFixture f;
  OtlpHttpExporter exporter(f.config(collector.port()), f.clock, f.wall, f.random);
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(exporter.export_spans(one_span("kept"), f.clock.now() + 30s).ok());
  EXPECT_EQ(collector.received().size(), 3u);
  EXPECT_EQ(collector.connections(), 1);
  EXPECT_EQ(exporter.metrics().connections_opened_total, 1u);
}

TEST(OtlpHttpExporter, ReconnectsAtOnceWhenTheCollectorClosedTheKeptConnection) {
  CollectorStub collector;
  collector.answer({{.status = 200, .drop_connection_after = true}, {.status = 200}});
  ExporterFixture f;
  OtlpHttpExporter exporter(f.config(collector.port()), f.clock, f.wall, f.random);
  const TimePoint start = f.clock.now();
  ASSERT_TRUE(exporter.export_spans(one_span("first"), start + 30s).ok());
  // The collector has closed the connection the exporter kept.
  const auto second = exporter.export_spans(one_span("second"), start + 30s);
  ASSERT_TRUE(second.ok()) << second.to_string();
  EXPECT_EQ(collector.received().size(), 2u) << "each batch arrived once";
  EXPECT_EQ(collector.connections(), 2);
  const auto metrics = exporter.metrics();
  EXPECT_EQ(metrics.connections_opened_total, 2u);
  EXPECT_EQ(metrics.attempts_total, 2u) << "a reconnect is not an attempt";
  EXPECT_EQ(metrics.retries_total, 0u);
  EXPECT_EQ(f.clock.now(), start) << "and waits for no backoff";
}

TEST(OtlpHttpExporter, AConnectionCloseAnswerIsHonoured) {
  CollectorStub collector;
  collector.answer({{.status = 200, .close_connection = true}});
  ExporterFixture f;
  OtlpHttpExporter exporter(f.config(collector.port()), f.clock, f.wall, f.random);
  for (int i = 0; i < 2; ++i) ASSERT_TRUE(exporter.export_spans(one_span("closed"), f.clock.now() + 30s).ok());
  EXPECT_EQ(collector.received().size(), 2u);
  EXPECT_EQ(collector.connections(), 2);
}

TEST(OtlpHttpExporter, RetriesOnTheKeptConnection) {
  CollectorStub collector;
  collector.answer({{.status = 503}, {.status = 200}});
  ExporterFixture f;
  OtlpHttpExporter exporter(f.config(collector.port()), f.clock, f.wall, f.random);
  ASSERT_TRUE(exporter.export_spans(one_span("x"), f.clock.now() + 30s).ok());
  EXPECT_EQ(collector.received().size(), 2u);
  EXPECT_EQ(collector.connections(), 1) << "a 503 with keep-alive leaves the connection usable";
}

TEST(OtlpHttpExporter, RetriesA503AfterTheRetryAfterItWasGiven) {
  CollectorStub collector;
  collector.answer({{.status = 503, .retry_after = "3"}, {.status = 200}});
  ExporterFixture f;
  OtlpHttpExporter exporter(f.config(collector.port()), f.clock, f.wall, f.random);
  const TimePoint start = f.clock.now();
  ASSERT_TRUE(exporter.export_spans(one_span("x"), start + 30s).ok());
  EXPECT_EQ(collector.received().size(), 2u);
  EXPECT_GE(f.clock.now() - start, 3s) << "the server's hint beats the 100 ms backoff";
  EXPECT_EQ(exporter.metrics().retries_total, 1u);
}

TEST(OtlpHttpExporter, RetriesEachOf429And502And503And504) {
  for (const int status : {429, 502, 503, 504}) {
    CollectorStub collector;
    collector.answer({{.status = status}, {.status = 200}});
    ExporterFixture f;
    OtlpHttpExporter exporter(f.config(collector.port()), f.clock, f.wall, f.random);
    EXPECT_TRUE(exporter.export_spans(one_span("x"), f.clock.now() + 30s).ok()) << status;
    EXPECT_EQ(collector.received().size(), 2u) << status;
  }
}

TEST(OtlpHttpExporter, NeverRetriesA400OrA500) {
  for (const int status : {400, 500}) {
    CollectorStub collector;
    collector.answer({{.status = status, .retry_after = "1"}});
    ExporterFixture f;
    OtlpHttpExporter exporter(f.config(collector.port()), f.clock, f.wall, f.random);
    const Status exported = exporter.export_spans(one_span("x"), f.clock.now() + 30s);
    EXPECT_FALSE(exported.ok()) << status;
    EXPECT_EQ(collector.received().size(), 1u) << status;
    EXPECT_EQ(exporter.metrics().batches_failed_total, 1u);
  }
}

TEST(OtlpHttpExporter, APartialSuccessIsASuccessWithRejectedSpansCountedNotResent) {
  CollectorStub collector;
  collector.answer({{.status = 200, .body = R"({"partialSuccess":{"rejectedSpans":"3","errorMessage":"too old"}})"}});
  ExporterFixture f;
  OtlpHttpExporter exporter(f.config(collector.port()), f.clock, f.wall, f.random);
  EXPECT_TRUE(exporter.export_spans(one_span("x"), f.clock.now() + 30s).ok());
  EXPECT_EQ(collector.received().size(), 1u);
  EXPECT_EQ(exporter.metrics().rejected_spans_total, 3u);
}

TEST(OtlpHttpExporter, AnUnreachableCollectorIsRetriedUpToTheAttemptLimit) {
  ExporterFixture f;
  OtlpHttpExporter exporter(f.config(testing::unused_port()), f.clock, f.wall, f.random);
  const Status exported = exporter.export_spans(one_span("x"), f.clock.now() + 30s);
  EXPECT_EQ(exported.code(), StatusCode::unavailable);
  EXPECT_NE(exported.message().find("connect"), std::string_view::npos) << exported;
  EXPECT_EQ(exporter.metrics().attempts_total, 4u);
}

TEST(OtlpHttpExporter, ARetryThatWouldPassTheDeadlineIsNotMade) {
  CollectorStub collector;
  collector.answer({{.status = 503, .retry_after = "60"}});
  ExporterFixture f;
  OtlpHttpExporter exporter(f.config(collector.port()), f.clock, f.wall, f.random);
  const Status exported = exporter.export_spans(one_span("x"), f.clock.now() + 30s);
  EXPECT_EQ(exported.code(), StatusCode::deadline_exceeded);
  EXPECT_EQ(collector.received().size(), 1u);
}

TEST(OtlpHttpExporter, AfterShutdownExportsFail) {
  ExporterFixture f;
  OtlpHttpExporter exporter(f.config(testing::unused_port()), f.clock, f.wall, f.random);
  ASSERT_TRUE(exporter.shutdown().ok());
  EXPECT_EQ(exporter.export_spans(one_span("x"), f.clock.now() + 30s).code(), StatusCode::failed_precondition);
}

// The story the issue asks for, in real time: the traced program ends
// spans throughout and is never held up; what cannot be delivered is
// counted; once the collector is back, new spans arrive.
TEST(OtlpHttpExporter, ACollectorDownThenSlowThenBackNeverBlocksAndLaterSpansArrive) {
  const std::uint16_t port = testing::unused_port();
  testing::TracerFixture f;  // the tracer's own manual wall clock and sampler
  SharedRandom random(3);
  OtlpHttpExporter exporter({.port = port, .attempt_timeout = 150ms, .attempts_max = 2,
                             .backoff = resilience::Backoff::constant(20ms)},
                            SteadyClock::instance(), SystemWallClock::instance(), random);
  auto processor = *BatchSpanProcessor::create(
      {.max_queue_size = 16, .max_export_batch_size = 4, .schedule_delay = 20ms, .export_timeout = 400ms},
      exporter, SteadyClock::instance());
  Tracer tracer(f.clock, f.random, f.sampler, *processor);
  Duration slowest_span_end = Duration::zero();
  const auto end_spans = [&](const char* name, int count) {
    for (int i = 0; i < count; ++i) {
      Span span = tracer.start_span(name);
      const auto before = std::chrono::steady_clock::now();
      span.end();
      slowest_span_end = std::max(slowest_span_end, Duration(std::chrono::steady_clock::now() - before));
    }
  };

  // Down: nothing listens.
  end_spans("while-down", 40);
  std::this_thread::sleep_for(500ms);
  const auto down = processor->metrics();
  EXPECT_GT(down.dropped_queue_full_total + down.dropped_export_failed_total, 0u);

  {
    // Slow: answers after the attempt timeout.
    CollectorStub collector(port);
    collector.answer({{.status = 200, .delay = 300ms}});
    end_spans("while-slow", 8);
    std::this_thread::sleep_for(700ms);
    EXPECT_GT(processor->metrics().dropped_export_failed_total, down.dropped_export_failed_total);

    // Back: answers at once.
    collector.answer({{.status = 200}});
    std::this_thread::sleep_for(600ms);  // let the slow phase's exports finish
    end_spans("after-recovery", 4);
    ASSERT_TRUE(processor->force_flush(5s).ok());
    bool arrived = false;
    for (const auto& request : collector.received()) {
      arrived = arrived || request.body.find("after-recovery") != std::string::npos;
    }
    EXPECT_TRUE(arrived);
    ASSERT_TRUE(processor->shutdown(5s).ok());
  }
  EXPECT_LT(slowest_span_end, 50ms) << "ending a span never waits for the collector";
  const auto metrics = processor->metrics();
  EXPECT_EQ(metrics.queued_total + metrics.dropped_queue_full_total, 52u);
  EXPECT_EQ(metrics.exported_total + metrics.dropped_export_failed_total, metrics.queued_total);
}

}  // namespace
}  // namespace faultline::tracing
