// The demo's tracing across a real socket: the protected client's request
// span, a client span per attempt under it, and the flaky service's server
// span under each attempt, all in one trace.
#include <gtest/gtest.h>

#include <optional>

#include "demo/fault_schedule.hpp"
#include "demo/flaky_service.hpp"
#include "demo/protected_client.hpp"
#include "demo/timer_thread.hpp"
#include "faultline/core/random.hpp"
#include "faultline/core/wall_clock.hpp"
#include "faultline/tracing/resource.hpp"
#include "faultline/tracing/sampler.hpp"
#include "faultline/tracing/span_processor.hpp"
#include "faultline/tracing/tracer.hpp"

namespace faultline::demo {
namespace {

using namespace std::chrono_literals;
namespace tr = faultline::tracing;

struct Tracing {
  SharedRandom random{3};
  tr::AlwaysOnSampler sampler;
  tr::InMemorySpanProcessor processor;
  tr::Tracer client{SystemWallClock::instance(), random, sampler, processor,
                    tr::TracerConfig{.resource = tr::Resource::make("protected-client")}};
  tr::Tracer server{SystemWallClock::instance(), random, sampler, processor,
                    tr::TracerConfig{.resource = tr::Resource::make("flaky-service")}};
};

// Server spans end after the answer is written, so they can arrive just
// after the client returns: wait (boundedly) until `count` are in.
std::vector<std::unique_ptr<tr::SpanData>> take_spans(tr::InMemorySpanProcessor& processor, std::size_t count) {
  std::vector<std::unique_ptr<tr::SpanData>> spans;
  for (int i = 0; i < 200 && spans.size() < count; ++i) {
    for (auto& span : processor.take()) spans.push_back(std::move(span));
    if (spans.size() < count) (void)SteadyClock::instance().sleep_for(10ms, {});
  }
  return spans;
}

TEST(TracedRequest, RetriesShowAsAttemptSpansWithTheServiceSpansUnderThem) {
  Tracing tracing;
  const SteadyClock& clock = SteadyClock::instance();
  TimerThread timers;
  FlakyService service(FaultSchedule(11, {Phase{"test", "always 503", 0s, 1h, FaultProfile{.error_rate = 1.0}}}),
                       clock, FlakyServiceConfig{.tracer = &tracing.server});
  ASSERT_TRUE(service.start().ok());
  ProtectedClient client(HttpClient(HttpClientConfig{.port = service.port(), .client_name = "protected"}, clock),
                         clock, timers.scheduler(), ProtectedClientConfig::for_run(30s, 1));
  client.trace_with(tracing.client);
  ASSERT_FALSE(client.get(7, {}).ok());

  const auto spans = take_spans(tracing.processor, 7);  // the request, 3 attempts, 3 answers
  ASSERT_EQ(spans.size(), 7u);
  const tr::SpanData* request = nullptr;
  for (const auto& span : spans) {
    if (span->name == "request 7: GET /") request = span.get();
  }
  ASSERT_NE(request, nullptr);
  EXPECT_FALSE(request->parent_span_id.valid());
  EXPECT_EQ(request->status.code, tr::SpanStatusCode::error);
  int attempts = 0;
  int answers = 0;
  for (const auto& span : spans) {
    EXPECT_EQ(span->context.trace_id, request->context.trace_id) << span->name;
    if (span->kind == tr::SpanKind::client) {
      ++attempts;
      EXPECT_EQ(span->parent_span_id, request->context.span_id);
      EXPECT_EQ(span->name, "attempt " + std::to_string(attempts) + ": GET /");
      EXPECT_EQ(span->resource->service_name(), "protected-client");
    }
    if (span->kind == tr::SpanKind::server) {
      ++answers;
      EXPECT_EQ(span->name, "GET / -> 503");
      EXPECT_EQ(span->resource->service_name(), "flaky-service");
      // Its parent is one of the attempts.
      bool parent_is_attempt = false;
      for (const auto& other : spans) {
        parent_is_attempt |= other->kind == tr::SpanKind::client && other->context.span_id == span->parent_span_id;
      }
      EXPECT_TRUE(parent_is_attempt);
    }
  }
  EXPECT_EQ(attempts, 3);
  EXPECT_EQ(answers, 3);
}

TEST(TracedRequest, UntracedCallersGetNoServerSpans) {
  Tracing tracing;
  const SteadyClock& clock = SteadyClock::instance();
  FlakyService service(FaultSchedule(11, {Phase{"test", "healthy", 0s, 1h, FaultProfile{}}}), clock,
                       FlakyServiceConfig{.tracer = &tracing.server});
  ASSERT_TRUE(service.start().ok());
  HttpClient bare(HttpClientConfig{.port = service.port(), .client_name = "bare"}, clock);
  ASSERT_TRUE(bare.get("/", clock.now() + 2s, {}).ok());
  service.stop();
  EXPECT_TRUE(tracing.processor.take().empty());
}

}  // namespace
}  // namespace faultline::demo
