// Span: what a recording span keeps — attributes of every type within
// their limits, timed events, links, status rules, recorded exceptions —
// and how it ends.
#include "faultline/tracing/span.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

#include "tracing/tracer_fixture.hpp"

namespace faultline::tracing {
namespace {

using testing::TracerFixture;

std::unique_ptr<SpanData> end_and_take(TracerFixture& f, Span& span) {
  span.end();
  auto spans = f.finished();
  EXPECT_EQ(spans.size(), 1u);
  return spans.empty() ? nullptr : std::move(spans[0]);
}

TEST(Span, AttributesKeepEveryTypeOfTheDataModel) {
  TracerFixture f;
  Span span = f.tracer.start_span("s");
  span.set_attribute("str", "text");
  span.set_attribute("std_string", std::string("owned"));
  span.set_attribute("flag", true);
  span.set_attribute("int", 42);
  span.set_attribute("unsigned", 7u);
  span.set_attribute("double", 2.5);
  span.set_attribute("strings", std::vector<std::string>{"a", "b"});
  span.set_attribute("bools", std::vector<bool>{true, false});
  span.set_attribute("ints", std::vector<std::int64_t>{1, 2});
  span.set_attribute("doubles", std::vector<double>{0.5});
  const auto data = end_and_take(f, span);
  const auto& a = data->attributes;
  EXPECT_EQ(std::get<std::string>(*a.find("str")), "text");
  EXPECT_EQ(std::get<std::string>(*a.find("std_string")), "owned");
  EXPECT_EQ(std::get<bool>(*a.find("flag")), true);
  EXPECT_EQ(std::get<std::int64_t>(*a.find("int")), 42);
  EXPECT_EQ(std::get<std::int64_t>(*a.find("unsigned")), 7);
  EXPECT_EQ(std::get<double>(*a.find("double")), 2.5);
  EXPECT_EQ(std::get<std::vector<std::string>>(*a.find("strings")).size(), 2u);
  EXPECT_EQ(std::get<std::vector<bool>>(*a.find("bools")).size(), 2u);
  EXPECT_EQ(std::get<std::vector<std::int64_t>>(*a.find("ints")).size(), 2u);
  EXPECT_EQ(std::get<std::vector<double>>(*a.find("doubles")).size(), 1u);
}

TEST(Span, SettingAKeyAgainReplacesItInPlace) {
  TracerFixture f;
  Span span = f.tracer.start_span("s");
  span.set_attribute("a", 1);
  span.set_attribute("b", 2);
  span.set_attribute("a", "now a string");
  const auto data = end_and_take(f, span);
  ASSERT_EQ(data->attributes.size(), 2u);
  EXPECT_EQ(data->attributes.entries()[0].key, "a");
  EXPECT_EQ(std::get<std::string>(data->attributes.entries()[0].value), "now a string");
  EXPECT_EQ(data->attributes.dropped(), 0u);
}

TEST(Span, AttributesOverTheCountLimitAreDroppedAndCounted) {
  TracerFixture f;
  Span span = f.tracer.start_span("s");
  for (int i = 0; i < 130; ++i) {
    std::string key = "k";
    key.append(std::to_string(i));
    span.set_attribute(key, i);
  }
  span.set_attribute("", 1);  // an empty key is invalid
  span.set_attribute("k0", -1);  // replacing an existing key still works when full
  const auto data = end_and_take(f, span);
  EXPECT_EQ(data->attributes.size(), 128u);
  EXPECT_EQ(data->attributes.dropped(), 3u);
  EXPECT_EQ(data->attributes.find("k128"), nullptr);
  EXPECT_EQ(std::get<std::int64_t>(*data->attributes.find("k0")), -1);
}

TEST(Span, AValueLengthLimitTruncatesStringsAndStringArrays) {
  AttributeList list(AttributeLimits{.count_max = 8, .value_length_max = 3});
  list.set("s", "abcdef");
  list.set("many", std::vector<std::string>{"abcdef", "xy"});
  list.set("n", 123456);
  EXPECT_EQ(std::get<std::string>(*list.find("s")), "abc");
  EXPECT_EQ(std::get<std::vector<std::string>>(*list.find("many")), (std::vector<std::string>{"abc", "xy"}));
  EXPECT_EQ(std::get<std::int64_t>(*list.find("n")), 123456);
}

TEST(Span, EventsCarryTheirTimeAndAttributesAndAreLimited) {
  TracerFixture f;
  Span span = f.tracer.start_span("s");
  f.clock.advance(std::chrono::milliseconds(3));
  span.add_event("cache miss", {{"key", "user/7"}, {"attempt", 2}});
  span.add_event("explicit", testing::kStart + std::chrono::seconds(9));
  for (int i = 0; i < 200; ++i) span.add_event("spam");
  const auto data = end_and_take(f, span);
  ASSERT_EQ(data->events.size(), 128u);
  EXPECT_EQ(data->dropped_events, 74u);
  EXPECT_EQ(data->events[0].name, "cache miss");
  EXPECT_EQ(data->events[0].time, testing::kStart + std::chrono::milliseconds(3));
  EXPECT_EQ(std::get<std::int64_t>(*data->events[0].attributes.find("attempt")), 2);
  EXPECT_EQ(data->events[1].time, testing::kStart + std::chrono::seconds(9));
}

TEST(Span, LinksPointAtOtherSpansWithAttributes) {
  TracerFixture f;
  Span batch_item = f.tracer.start_span("enqueue");
  Span consumer = f.tracer.start_span("process batch", {.kind = SpanKind::consumer, .root = true});
  consumer.add_link(batch_item.context(), {{"messaging.batch.index", 0}});
  const auto data = end_and_take(f, consumer);
  ASSERT_EQ(data->links.size(), 1u);
  EXPECT_EQ(data->links[0].context.span_id, batch_item.context().span_id);
  EXPECT_EQ(data->links[0].attributes.size(), 1u);
}

TEST(Span, StatusOkIsFinalAndADescriptionOnlyGoesWithError) {
  TracerFixture f;
  Span failed = f.tracer.start_span("failed");
  failed.set_status(SpanStatusCode::error, "timeout talking to node 3");
  failed.set_status(SpanStatusCode::unset);  // ignored
  auto data = end_and_take(f, failed);
  EXPECT_EQ(data->status.code, SpanStatusCode::error);
  EXPECT_EQ(data->status.description, "timeout talking to node 3");

  Span fine = f.tracer.start_span("fine");
  fine.set_status(SpanStatusCode::ok, "ignored description");
  fine.set_status(SpanStatusCode::error, "too late");
  data = end_and_take(f, fine);
  EXPECT_EQ(data->status.code, SpanStatusCode::ok);
  EXPECT_EQ(data->status.description, "");
}

TEST(Span, RecordedExceptionsAreEventsWithTheSemanticConventionKeys) {
  TracerFixture f;
  Span span = f.tracer.start_span("s");
  span.record_exception("faultline::Timeout", "deadline 200ms exceeded", "frame 1\nframe 2");
  try {
    throw std::runtime_error("disk full");
  } catch (const std::exception& e) {
    span.record_exception(e);
  }
  const auto data = end_and_take(f, span);
  ASSERT_EQ(data->events.size(), 2u);
  EXPECT_EQ(data->events[0].name, "exception");
  EXPECT_EQ(std::get<std::string>(*data->events[0].attributes.find("exception.type")), "faultline::Timeout");
  EXPECT_EQ(std::get<std::string>(*data->events[0].attributes.find("exception.stacktrace")), "frame 1\nframe 2");
  EXPECT_EQ(std::get<std::string>(*data->events[1].attributes.find("exception.message")), "disk full");
  EXPECT_EQ(data->events[1].attributes.find("exception.stacktrace"), nullptr);
}

TEST(Span, EndingTwiceEndsOnceAndLaterCallsAreIgnored) {
  TracerFixture f;
  Span span = f.tracer.start_span("s");
  span.end();
  span.end();
  span.set_attribute("late", 1);
  EXPECT_FALSE(span.recording());
  EXPECT_TRUE(span.context().valid());
  auto spans = f.finished();
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_TRUE(spans[0]->attributes.empty());
}

TEST(Span, TheDestructorEndsASpanThatWasNotEnded) {
  TracerFixture f;
  { Span span = f.tracer.start_span("scoped"); }
  EXPECT_EQ(f.finished().size(), 1u);
}

TEST(Span, MoveAssignmentEndsTheSpanItReplaces) {
  TracerFixture f;
  Span span = f.tracer.start_span("first");
  span = f.tracer.start_span("second");
  auto spans = f.finished();
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(spans[0]->name, "first");
}

TEST(Span, AWallClockSteppingBackNeverGivesANegativeDuration) {
  TracerFixture f;
  Span span = f.tracer.start_span("s");
  f.clock.step_back(std::chrono::seconds(2));  // an NTP correction mid-span
  const auto data = end_and_take(f, span);
  EXPECT_EQ(data->end_time, data->start_time);
}

TEST(Span, UpdateNameRenamesARecordingSpan) {
  TracerFixture f;
  Span span = f.tracer.start_span("HTTP GET");
  span.update_name("GET /v3/kv/range");
  EXPECT_EQ(end_and_take(f, span)->name, "GET /v3/kv/range");
}

TEST(Span, ADefaultSpanIsInvalidAndInert) {
  Span span;
  EXPECT_FALSE(span.context().valid());
  span.set_attribute("k", 1);
  span.end();
}

}  // namespace
}  // namespace faultline::tracing
