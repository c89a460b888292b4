// Reusing span memory: AttributeList::clear and SpanData::clear leave
// nothing of the previous span behind, the pool keeps only what fits and is
// small, and spans that went through a batch processor come back to the
// tracer clean.
#include <gtest/gtest.h>

#include <array>
#include <chrono>
#include <mutex>
#include <set>
#include <thread>

#include "faultline/core/clock.hpp"
#include "faultline/tracing/batch_span_processor.hpp"
#include "faultline/tracing/span_data_pool.hpp"
#include "tracing/tracer_fixture.hpp"

namespace faultline::tracing {
namespace {

using namespace std::chrono_literals;

TEST(AttributeListClear, ForgetsEveryAttributeAndTheDropCountAndTakesTheNewLimits) {
  AttributeList list(AttributeLimits{.count_max = 2});
  list.set("http.request.method", "GET");
  list.set("b", 1);
  list.set("over the limit", 2);
  ASSERT_EQ(list.dropped(), 1u);

  list.clear(AttributeLimits{.count_max = 3, .value_length_max = 2});
  EXPECT_TRUE(list.empty());
  EXPECT_EQ(list.size(), 0u);
  EXPECT_TRUE(list.entries().empty());
  EXPECT_EQ(list.dropped(), 0u);
  EXPECT_EQ(list.find("http.request.method"), nullptr) << "a cleared slot is not found";

  list.set("c", "long");
  list.set("http.request.method", true);
  list.set("d", 3);
  list.set("e", 4);
  ASSERT_EQ(list.size(), 3u) << "the new count limit holds";
  EXPECT_EQ(list.dropped(), 1u);
  EXPECT_EQ(std::get<std::string>(*list.find("c")), "lo") << "the new length limit holds";
  EXPECT_EQ(std::get<bool>(*list.find("http.request.method")), true);
  EXPECT_EQ(list.entries()[0].key, "c") << "a reused slot takes the new key";
  EXPECT_EQ(list.entries()[1].key, "http.request.method");
}

TEST(AttributeListClear, ReusesTheKeysMemory) {
  AttributeList list;
  list.set("a.key.longer.than.the.small.string.buffer", 1);
  const char* key_memory = list.entries()[0].key.data();
  list.clear(AttributeLimits{});
  list.set("another.key.longer.than.the.buffer", 2);
  EXPECT_EQ(list.entries()[0].key.data(), key_memory);
  EXPECT_EQ(list.entries()[0].key, "another.key.longer.than.the.buffer");
}

TEST(SpanDataClear, LeavesEveryFieldAsADefaultSpanDataButTheResourceAndScope) {
  const auto resource = Resource::make("svc");
  SpanData span;
  span.context.trace_id.bytes[0] = 1;
  span.context.span_id.bytes[0] = 2;
  span.context.flags = TraceFlags::sampled_flags(true);
  span.context.remote = true;
  span.parent_span_id.bytes[0] = 3;
  span.name = "a span name longer than the small buffer";
  span.kind = SpanKind::client;
  span.start_time = testing::kStart;
  span.end_time = testing::kStart + 1s;
  span.attributes.set("k", "v");
  span.events.push_back(SpanEvent{"e", testing::kStart, {}});
  span.dropped_events = 4;
  span.links.push_back(SpanLink{span.context, {}});
  span.dropped_links = 5;
  span.status = SpanStatus{SpanStatusCode::error, "boom"};
  span.resource = resource;
  span.scope_name = "scope";

  span.clear();
  const SpanData fresh;
  EXPECT_FALSE(span.context.valid());
  EXPECT_FALSE(span.context.sampled());
  EXPECT_FALSE(span.context.remote);
  EXPECT_EQ(span.context.trace_state, nullptr);
  EXPECT_FALSE(span.parent_span_id.valid());
  EXPECT_EQ(span.name, fresh.name);
  EXPECT_EQ(span.kind, fresh.kind);
  EXPECT_EQ(span.start_time, fresh.start_time);
  EXPECT_EQ(span.end_time, fresh.end_time);
  EXPECT_TRUE(span.attributes.empty());
  EXPECT_TRUE(span.events.empty());
  EXPECT_EQ(span.dropped_events, 0u);
  EXPECT_TRUE(span.links.empty());
  EXPECT_EQ(span.dropped_links, 0u);
  EXPECT_EQ(span.status.code, SpanStatusCode::unset);
  EXPECT_TRUE(span.status.description.empty());
  EXPECT_EQ(span.resource, resource) << "kept, so the next owner can skip re-assigning it";
  EXPECT_EQ(span.scope_name, "scope") << "kept likewise";
}

std::vector<std::unique_ptr<SpanData>> spans_named(std::initializer_list<const char*> names) {
  std::vector<std::unique_ptr<SpanData>> spans;
  for (const char* name : names) {
    spans.push_back(std::make_unique<SpanData>());
    spans.back()->name = name;
  }
  return spans;
}

TEST(SpanDataPool, GivesBackWhatItWasGivenClearedUpToItsCapacity) {
  SpanDataPool pool(2);
  auto spans = spans_named({"a", "b", "c"});
  const std::set<const SpanData*> first_two{spans[0].get(), spans[1].get()};
  spans[0]->attributes.set("k", "v");
  spans.insert(spans.begin(), nullptr);
  pool.give_back(spans);
  EXPECT_TRUE(spans.empty()) << "everything given is taken, kept or freed";
  EXPECT_EQ(pool.size(), 2u) << "the null is skipped and the third does not fit";

  std::array<std::unique_ptr<SpanData>, 4> slots;
  ASSERT_EQ(pool.take(slots), 2u);
  EXPECT_EQ((std::set<const SpanData*>{slots[0].get(), slots[1].get()}), first_two);
  for (int i = 0; i < 2; ++i) {
    EXPECT_TRUE(slots[i]->name.empty()) << "taken cleared";
    EXPECT_TRUE(slots[i]->attributes.empty());
  }
  EXPECT_EQ(slots[2], nullptr);
  EXPECT_EQ(pool.size(), 0u);
  EXPECT_EQ(pool.take(slots), 0u) << "empty";
}

TEST(SpanDataPool, TakesNoMoreThanTheSlotsOffered) {
  SpanDataPool pool(8);
  auto spans = spans_named({"a", "b", "c"});
  pool.give_back(spans);
  std::array<std::unique_ptr<SpanData>, 2> slots;
  EXPECT_EQ(pool.take(slots), 2u);
  EXPECT_EQ(pool.size(), 1u);
}

TEST(SpanDataPool, FreesASpanThatHoldsUnusuallyMuchMemory) {
  SpanDataPool pool(8);
  auto spans = spans_named({"small"});
  auto big_name = std::make_unique<SpanData>();
  big_name->name.assign(4096, 'n');
  auto many_attributes = std::make_unique<SpanData>();
  for (int i = 0; i < 100; ++i) many_attributes->attributes.set(std::to_string(i), i);
  auto many_events = std::make_unique<SpanData>();
  many_events->events.resize(100);
  spans.push_back(std::move(big_name));
  spans.push_back(std::move(many_attributes));
  spans.push_back(std::move(many_events));
  pool.give_back(spans);
  EXPECT_EQ(pool.size(), 1u);
}

// Keeps a copy of every exported span's fields and each SpanData's address.
class CopyingExporter final : public SpanExporter {
 public:
  Status export_spans(SpanBatch spans, TimePoint) override {
    const std::lock_guard lock(mutex_);
    for (const auto& span : spans) {
      addresses.insert(span.get());
      copies.push_back(*span);
    }
    return Status();
  }
  std::mutex mutex_;
  std::set<const SpanData*> addresses;
  std::vector<SpanData> copies;
};

TEST(SpanReuse, AnExportedSpansMemoryComesBackToTheTracerWithNothingOfItsPastLife) {
  testing::TracerFixture f;
  CopyingExporter exporter;
  auto processor = *BatchSpanProcessor::create({.schedule_delay = 1h}, exporter, SteadyClock::instance());
  Tracer tracer(f.clock, f.random, f.sampler, *processor, TracerConfig{.resource = Resource::make("svc")});
  // The second life is under another tracer: a kept scope or resource
  // must not leak from one tracer's spans into another's.
  Tracer other(f.clock, f.random, f.sampler, *processor,
               TracerConfig{.scope_name = "other.scope", .resource = Resource::make("other-svc")});

  // A new thread: its cache of span memory starts empty, so what it reuses
  // can only have come from this processor.
  std::thread([&] {
    for (int i = 0; i < 4; ++i) {
      Span span = tracer.start_span("first life", {.kind = SpanKind::client});
      span.set_attribute("first.attribute", i);
      span.add_event("an event");
      span.add_link(span.context());
      span.set_status(SpanStatusCode::error, "failed");
    }
    ASSERT_TRUE(processor->force_flush(10s).ok());
    Span second = other.start_span("second life");
    second.set_attribute("second.attribute", true);
    second.end();
  }).join();
  ASSERT_TRUE(processor->force_flush(10s).ok());

  ASSERT_EQ(exporter.copies.size(), 5u);
  const SpanData& reused = exporter.copies.back();
  EXPECT_EQ(exporter.addresses.size(), 4u) << "the fifth span reused an exported one's memory";
  EXPECT_EQ(reused.name, "second life");
  EXPECT_EQ(reused.kind, SpanKind::internal);
  ASSERT_EQ(reused.attributes.size(), 1u);
  EXPECT_EQ(reused.attributes.entries()[0].key, "second.attribute");
  EXPECT_TRUE(reused.events.empty());
  EXPECT_TRUE(reused.links.empty());
  EXPECT_EQ(reused.status.code, SpanStatusCode::unset);
  EXPECT_TRUE(reused.status.description.empty());
  EXPECT_FALSE(reused.parent_span_id.valid());
  EXPECT_EQ(reused.scope_name, "other.scope");
  EXPECT_EQ(std::get<std::string>(*reused.resource->attributes.find("service.name")), "other-svc");
  ASSERT_TRUE(processor->shutdown(10s).ok());
}

// Notes what each ended span holds and keeps none of them, as a batch
// processor does with spans it drops.
class RefusingProcessor final : public SpanProcessor {
 public:
  struct Seen {
    const SpanData* address;
    std::string name;
    std::size_t attributes;
    std::size_t events;
  };
  void on_end(std::unique_ptr<SpanData>&& span) noexcept override {
    seen.push_back({span.get(), span->name, span->attributes.size(), span->events.size()});
  }
  Status force_flush(std::chrono::milliseconds) override { return Status(); }
  Status shutdown(std::chrono::milliseconds) override { return Status(); }
  std::vector<Seen> seen;
};

TEST(SpanReuse, ADroppedSpansMemoryServesTheThreadsNextSpanCleared) {
  testing::TracerFixture f;
  RefusingProcessor processor;
  Tracer tracer(f.clock, f.random, f.sampler, processor);
  std::thread([&] {  // a new thread: its cache of span memory starts empty
    {
      Span first = tracer.start_span("first");
      first.set_attribute("a", 1);
      first.set_attribute("b", 2);
      first.add_event("e");
    }
    Span second = tracer.start_span("second");
    second.set_attribute("c", 3);
  }).join();
  ASSERT_EQ(processor.seen.size(), 2u);
  EXPECT_EQ(processor.seen[1].address, processor.seen[0].address) << "no allocation for the second span";
  EXPECT_EQ(processor.seen[1].name, "second");
  EXPECT_EQ(processor.seen[1].attributes, 1u);
  EXPECT_EQ(processor.seen[1].events, 0u);
}

}  // namespace
}  // namespace faultline::tracing
