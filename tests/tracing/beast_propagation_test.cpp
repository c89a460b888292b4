#include "faultline/tracing/beast_propagation.hpp"

#include <gtest/gtest.h>

#include <boost/beast/http.hpp>

#include "faultline/tracing/current_context.hpp"

#include "tracing/sample_span_context.hpp"

namespace faultline::tracing {
namespace {

namespace http = boost::beast::http;

constexpr const char* kParent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

using testing::sample_span_context;

TEST(BeastPropagation, InjectWritesTraceparentAndTracestate) {
  http::request<http::string_body> request{http::verb::get, "/", 11};
  inject_trace_context(sample_span_context(true), request);
  EXPECT_EQ(request["traceparent"], kParent);
  EXPECT_EQ(request["tracestate"], "congo=t61rcWkgMzE,rojo=00f067aa0ba902b7");
}

TEST(BeastPropagation, InjectOmitsAnEmptyTracestateAndReplacesOldFields) {
  http::request<http::string_body> request{http::verb::get, "/", 11};
  request.insert("traceparent", "00-11111111111111111111111111111111-2222222222222222-00");
  request.insert("TraceParent", "garbage");
  request.insert("tracestate", "old=1");
  inject_trace_context(sample_span_context(false), request);
  EXPECT_EQ(request.count("traceparent"), 1u);
  EXPECT_EQ(request["traceparent"], kParent);
  EXPECT_EQ(request.count("tracestate"), 0u);
}

TEST(BeastPropagation, InjectingAnInvalidContextRemovesTheFields) {
  http::response<http::string_body> response{http::status::ok, 11};
  response.insert("traceparent", kParent);
  response.insert("tracestate", "a=1");
  inject_trace_context(SpanContext{}, response);
  EXPECT_EQ(response.count("traceparent"), 0u);
  EXPECT_EQ(response.count("tracestate"), 0u);
}

TEST(BeastPropagation, InjectCurrentUsesTheScopedContext) {
  http::request<http::empty_body> request{http::verb::get, "/", 11};
  {
    const ContextScope scope(sample_span_context(false));
    inject_current_trace_context(request);
  }
  EXPECT_EQ(request["traceparent"], kParent);
  inject_current_trace_context(request);  // no current context now
  EXPECT_EQ(request.count("traceparent"), 0u);
}

TEST(BeastPropagation, ExtractReadsARemoteContextWithCaseInsensitiveNames) {
  http::request<http::string_body> request{http::verb::post, "/", 11};
  request.insert("TRACEPARENT", kParent);
  request.insert("TraceState", "congo=t61rcWkgMzE");
  const auto in = extract_trace_context(request);
  ASSERT_TRUE(in.status.ok()) << in.status.to_string();
  EXPECT_TRUE(in.context.valid());
  EXPECT_TRUE(in.context.remote);
  EXPECT_TRUE(in.context.sampled());
  EXPECT_EQ(to_hex(in.context.trace_id), "4bf92f3577b34da6a3ce929d0e0e4736");
  EXPECT_EQ(to_hex(in.context.span_id), "00f067aa0ba902b7");
  ASSERT_NE(in.context.trace_state, nullptr);
  EXPECT_EQ(in.context.trace_state->get("congo"), "t61rcWkgMzE");
}

TEST(BeastPropagation, ExtractCombinesSeveralTracestateFieldsInOrder) {
  http::request<http::string_body> request{http::verb::get, "/", 11};
  request.insert("traceparent", kParent);
  request.insert("tracestate", "a=1,b=2");
  request.insert("tracestate", "c=3");
  const auto in = extract_trace_context(request);
  ASSERT_TRUE(in.tracestate_status.ok());
  ASSERT_NE(in.context.trace_state, nullptr);
  EXPECT_EQ(format_tracestate(*in.context.trace_state), "a=1,b=2,c=3");
}

TEST(BeastPropagation, ADuplicateKeyAcrossTracestateFieldsDropsTheTracestateOnly) {
  http::request<http::string_body> request{http::verb::get, "/", 11};
  request.insert("traceparent", kParent);
  request.insert("tracestate", "a=1");
  request.insert("tracestate", "a=2");
  const auto in = extract_trace_context(request);
  EXPECT_TRUE(in.status.ok());
  EXPECT_TRUE(in.context.valid());
  EXPECT_EQ(in.context.trace_state, nullptr);
  EXPECT_EQ(in.tracestate_status.code(), StatusCode::invalid_argument);
}

TEST(BeastPropagation, NoTraceparentIsNotFoundAndStartsANewTrace) {
  http::request<http::string_body> request{http::verb::get, "/", 11};
  request.insert("tracestate", "a=1");
  const auto in = extract_trace_context(request);
  EXPECT_EQ(in.status.code(), StatusCode::not_found);
  EXPECT_FALSE(in.context.valid());
  EXPECT_EQ(in.context.trace_state, nullptr);
}

TEST(BeastPropagation, InvalidOrRepeatedTraceparentIsInvalidAndIgnoresTracestate) {
  for (const auto* bad : {"00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",
                          "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
                          "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", "", "nonsense"}) {
    http::request<http::string_body> request{http::verb::get, "/", 11};
    request.insert("traceparent", bad);
    request.insert("tracestate", "a=1");
    const auto in = extract_trace_context(request);
    EXPECT_EQ(in.status.code(), StatusCode::invalid_argument) << bad;
    EXPECT_FALSE(in.context.valid()) << bad;
    EXPECT_EQ(in.context.trace_state, nullptr) << bad;
  }
  http::request<http::string_body> twice{http::verb::get, "/", 11};
  twice.insert("traceparent", kParent);
  twice.insert("traceparent", kParent);
  EXPECT_EQ(extract_trace_context(twice).status.code(), StatusCode::invalid_argument);
}

TEST(BeastPropagation, InjectThenExtractRoundTrips) {
  http::request<http::string_body> request{http::verb::get, "/", 11};
  const SpanContext sent = sample_span_context(true);
  inject_trace_context(sent, request);
  const auto in = extract_trace_context(request);
  ASSERT_TRUE(in.status.ok());
  EXPECT_EQ(in.context.trace_id, sent.trace_id);
  EXPECT_EQ(in.context.span_id, sent.span_id);
  EXPECT_EQ(in.context.flags, sent.flags);
  ASSERT_NE(in.context.trace_state, nullptr);
  EXPECT_EQ(*in.context.trace_state, *sent.trace_state);
}

}  // namespace
}  // namespace faultline::tracing
