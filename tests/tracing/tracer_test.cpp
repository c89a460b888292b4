// Tracer: roots and children, explicit parents and the current scope,
// sampling decisions, and the promise that an unsampled span is free.
#include "faultline/tracing/tracer.hpp"

#include <gtest/gtest.h>

#include <set>
#include <thread>
#include <vector>

#include "faultline/tracing/current_context.hpp"
#include "tracing/tracer_fixture.hpp"

namespace faultline::tracing {
namespace {

using testing::TracerFixture;

TEST(Tracer, ARootSpanStartsANewTraceAndReachesTheProcessorWhenItEnds) {
  TracerFixture f;
  Span span = f.tracer.start_span("checkout", {.kind = SpanKind::server});
  ASSERT_TRUE(span.recording());
  EXPECT_TRUE(span.context().valid());
  EXPECT_TRUE(span.context().sampled());
  EXPECT_TRUE(f.finished().empty()) << "nothing is exported before end()";

  f.clock.advance(std::chrono::milliseconds(7));
  span.end();
  auto spans = f.finished();
  ASSERT_EQ(spans.size(), 1u);
  const SpanData& data = *spans[0];
  EXPECT_EQ(data.name, "checkout");
  EXPECT_EQ(data.kind, SpanKind::server);
  EXPECT_FALSE(data.parent_span_id.valid());
  EXPECT_EQ(data.context.span_id, span.context().span_id);
  EXPECT_EQ(data.start_time, testing::kStart);
  EXPECT_EQ(data.end_time - data.start_time, std::chrono::milliseconds(7));
  EXPECT_EQ(data.scope_name, "test");
  EXPECT_EQ(data.resource->service_name(), "svc");
}

TEST(Tracer, AChildWithAnExplicitParentSharesItsTraceAndPointsAtIt) {
  TracerFixture f;
  Span parent = f.tracer.start_span("parent");
  Span child = f.tracer.start_span("child", {.parent = &parent.context()});
  EXPECT_EQ(child.context().trace_id, parent.context().trace_id);
  EXPECT_NE(child.context().span_id, parent.context().span_id);
  child.end();
  parent.end();
  auto spans = f.finished();
  ASSERT_EQ(spans.size(), 2u);
  EXPECT_EQ(spans[0]->name, "child");
  EXPECT_EQ(spans[0]->parent_span_id, parent.context().span_id);
}

TEST(Tracer, AChildOfARemoteParentKeepsItsTracestate) {
  TracerFixture f;
  auto parent = *parse_traceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
  const auto remote = SpanContext::from_remote(parent, *parse_tracestate("rojo=1"));
  Span child = f.tracer.start_span("handle", {.kind = SpanKind::server, .parent = &remote});
  EXPECT_EQ(to_hex(child.context().trace_id), "4bf92f3577b34da6a3ce929d0e0e4736");
  ASSERT_NE(child.context().trace_state, nullptr);
  EXPECT_EQ(format_tracestate(*child.context().trace_state), "rojo=1");
  EXPECT_FALSE(child.context().remote);
  child.end();
  EXPECT_EQ(to_hex(f.finished()[0]->parent_span_id), "00f067aa0ba902b7");
}

TEST(Tracer, AnInvalidExplicitParentStartsANewTrace) {
  TracerFixture f;
  Span outer = f.tracer.start_span("outer");
  const ContextScope scope(outer.context());
  const SpanContext invalid;
  Span span = f.tracer.start_span("fresh", {.parent = &invalid});
  EXPECT_NE(span.context().trace_id, outer.context().trace_id);
}

TEST(Tracer, TheCurrentScopeIsTheDefaultParentUnlessRootIsAsked) {
  TracerFixture f;
  Span request = f.tracer.start_span("request");
  {
    const ContextScope scope(request.context());
    Span inner = f.tracer.start_span("inner");
    EXPECT_EQ(inner.context().trace_id, request.context().trace_id);
    Span detached = f.tracer.start_span("detached", {.root = true});
    EXPECT_NE(detached.context().trace_id, request.context().trace_id);
  }
  EXPECT_FALSE(current_context().valid()) << "the scope ended";
  Span after = f.tracer.start_span("after");
  EXPECT_NE(after.context().trace_id, request.context().trace_id);
}

TEST(Tracer, ScopesNestAndRestoreTheOuterContext) {
  TracerFixture f;
  Span a = f.tracer.start_span("a");
  Span b = f.tracer.start_span("b", {.root = true});
  const ContextScope outer(a.context());
  {
    const ContextScope inner(b.context());
    EXPECT_EQ(current_context().span_id, b.context().span_id);
  }
  EXPECT_EQ(current_context().span_id, a.context().span_id);
}

TEST(Tracer, BindContextCarriesTheContextIntoAHandlerOnAnotherThread) {
  TracerFixture f;
  Span request = f.tracer.start_span("request");
  SpanId parent_seen;
  std::function<void()> handler;
  {
    const ContextScope scope(request.context());
    handler = bind_context([&] {
      Span work = f.tracer.start_span("work");
      parent_seen = current_context().span_id;
    });
  }
  std::thread worker(handler);
  worker.join();
  EXPECT_EQ(parent_seen, request.context().span_id);
  auto spans = f.finished();
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(spans[0]->parent_span_id, request.context().span_id);
}

TEST(Tracer, ADroppedSpanStillPropagatesButRecordsNothingAndReadsNoClock) {
  TracerFixture f;
  f.sampler.current = &f.sampler.always_off;
  const int reads_before = f.clock.reads();
  {
    Span span = f.tracer.start_span("unsampled");
    EXPECT_FALSE(span.recording());
    EXPECT_TRUE(span.context().valid()) << "children and outgoing requests still need ids";
    EXPECT_FALSE(span.context().sampled());
    span.set_attribute("k", "v");
    span.add_event("e");
    span.record_exception("E", "boom");
    span.set_status(SpanStatusCode::error, "x");
    span.end();
  }
  EXPECT_EQ(f.clock.reads(), reads_before);
  EXPECT_TRUE(f.finished().empty());
}

TEST(Tracer, TheSamplerSeesTheParentAndTheTraceId) {
  TracerFixture f;
  struct Recorder final : Sampler {
    SamplingDecision should_sample(const SamplingParameters& p) noexcept override {
      had_parent = p.parent != nullptr;
      trace_id = p.trace_id;
      name = std::string(p.name);
      return SamplingDecision::record_only;
    }
    std::string description() const override { return "Recorder"; }
    bool had_parent = false;
    TraceId trace_id;
    std::string name;
  } recorder;
  f.sampler.current = &recorder;
  Span root = f.tracer.start_span("root");
  EXPECT_FALSE(recorder.had_parent);
  EXPECT_EQ(recorder.trace_id, root.context().trace_id);
  EXPECT_EQ(recorder.name, "root");
  EXPECT_TRUE(root.recording()) << "record_only records";
  EXPECT_FALSE(root.context().sampled()) << "but does not set the sampled flag";
  Span child = f.tracer.start_span("child", {.parent = &root.context()});
  EXPECT_TRUE(recorder.had_parent);
}

TEST(Tracer, IdsAreUniqueAndReproducibleFromTheSeed) {
  TracerFixture f1;
  TracerFixture f2;
  std::set<SpanId> span_ids;
  std::set<TraceId> trace_ids;
  for (int i = 0; i < 1000; ++i) {
    Span a = f1.tracer.start_span("x");
    Span b = f2.tracer.start_span("x");
    EXPECT_EQ(a.context().trace_id, b.context().trace_id);
    span_ids.insert(a.context().span_id);
    trace_ids.insert(a.context().trace_id);
  }
  EXPECT_EQ(span_ids.size(), 1000u);
  EXPECT_EQ(trace_ids.size(), 1000u);
}

// A dropped span derives its ids when its context is first asked for; they
// must be the ids it would have had at start, however late the asking and
// wherever the span was moved meanwhile.
TEST(Tracer, ADroppedSpansIdsAreTheSameWheneverTheyAreAskedFor) {
  TracerFixture early;
  TracerFixture late;
  early.sampler.current = &early.sampler.always_off;
  late.sampler.current = &late.sampler.always_off;
  std::vector<SpanContext> asked_at_start;
  std::vector<Span> kept;
  for (int i = 0; i < 10; ++i) {
    asked_at_start.push_back(early.tracer.start_span("x").context());
    kept.push_back(late.tracer.start_span("x"));  // moved into the vector, asked below
  }
  Span moved_again = std::move(kept[3]);
  kept[3] = std::move(moved_again);
  for (int i = 0; i < 10; ++i) {
    const SpanContext& asked_later = kept[static_cast<std::size_t>(i)].context();
    ASSERT_TRUE(asked_later.valid());
    EXPECT_EQ(asked_later.trace_id, asked_at_start[static_cast<std::size_t>(i)].trace_id) << i;
    EXPECT_EQ(asked_later.span_id, asked_at_start[static_cast<std::size_t>(i)].span_id) << i;
    EXPECT_FALSE(asked_later.sampled());
  }
}

TEST(Tracer, ADroppedChildKeepsItsParentsTraceAndDerivesOnlyItsOwnSpanId) {
  TracerFixture f;
  f.sampler.current = &f.sampler.always_off;
  Span parent = f.tracer.start_span("parent");
  const ContextScope scope(parent.context());
  Span child = f.tracer.start_span("child");
  EXPECT_EQ(child.context().trace_id, parent.context().trace_id);
  EXPECT_NE(child.context().span_id, parent.context().span_id);
  EXPECT_TRUE(child.context().span_id.valid());
}

TEST(Tracer, AnExplicitStartTimeReadsNoClockAtStart) {
  TracerFixture f;
  const int reads_before = f.clock.reads();
  Span span = f.tracer.start_span("backdated", {.start_time = testing::kStart - std::chrono::seconds(1)});
  EXPECT_EQ(f.clock.reads(), reads_before);
  span.end();
  EXPECT_EQ(f.finished()[0]->start_time, testing::kStart - std::chrono::seconds(1));
}

}  // namespace
}  // namespace faultline::tracing
