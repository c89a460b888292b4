// Reading a request's traceparent and tracestate fields together: what is
// kept and what is dropped when part of the context is bad.
#include "faultline/tracing/trace_context_headers.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace faultline::tracing {
namespace {

constexpr std::string_view kParent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
using Fields = std::vector<std::string_view>;

TEST(TraceContextHeaders, AValidParentAndStateAreBothKept) {
  const Fields parents = {kParent};
  const Fields states = {"rojo=1", "congo=2"};
  const auto in = extract_trace_context(parents, states);
  ASSERT_TRUE(in.ok()) << in.status();
  EXPECT_EQ(format_traceparent(in->parent), kParent);
  EXPECT_EQ(format_tracestate(in->state), "rojo=1,congo=2");
  EXPECT_TRUE(in->tracestate_status.ok());
}

TEST(TraceContextHeaders, NoTraceparentMeansANewTrace) {
  const Fields states = {"rojo=1"};
  const auto in = extract_trace_context({}, states);
  ASSERT_FALSE(in.ok());
  EXPECT_EQ(in.status().code(), StatusCode::not_found);
}

TEST(TraceContextHeaders, TwoTraceparentFieldsAreInvalidEvenIfEqual) {
  const Fields parents = {kParent, kParent};
  const auto in = extract_trace_context(parents, {});
  ASSERT_FALSE(in.ok());
  EXPECT_EQ(in.status().code(), StatusCode::invalid_argument);
}

TEST(TraceContextHeaders, AnInvalidTraceparentDropsEverything) {
  const Fields parents = {"00-00000000000000000000000000000000-00f067aa0ba902b7-01"};
  const Fields states = {"rojo=1"};
  const auto in = extract_trace_context(parents, states);
  ASSERT_FALSE(in.ok());
  EXPECT_EQ(in.status().code(), StatusCode::invalid_argument);
}

TEST(TraceContextHeaders, AnInvalidTracestateIsDroppedButTheParentIsKept) {
  const Fields parents = {kParent};
  const Fields states = {"rojo=1", "rojo=2"};
  const auto in = extract_trace_context(parents, states);
  ASSERT_TRUE(in.ok()) << in.status();
  EXPECT_EQ(format_traceparent(in->parent), kParent);
  EXPECT_TRUE(in->state.empty());
  EXPECT_EQ(in->tracestate_status.code(), StatusCode::invalid_argument);
}

}  // namespace
}  // namespace faultline::tracing
