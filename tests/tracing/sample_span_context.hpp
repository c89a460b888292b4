// The W3C specification's example span context (trace id 4bf92f35...,
// parent id 00f067aa0ba902b7), optionally with a two-member tracestate
// (rojo, congo): the one context the propagation tests inject, encode and
// read back.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <memory>

#include "faultline/tracing/span_context.hpp"
#include "faultline/tracing/tracestate.hpp"

namespace faultline::tracing::testing {

// flags 1 is the sampled bit.
inline SpanContext sample_span_context(bool with_state, std::uint8_t flags = 1) {
  SpanContext context{*parse_trace_id("4bf92f3577b34da6a3ce929d0e0e4736"),
                      *parse_span_id("00f067aa0ba902b7"), TraceFlags{flags}, nullptr, false};
  if (with_state) {
    TraceState state;
    EXPECT_TRUE(state.put("rojo", "00f067aa0ba902b7").ok());
    EXPECT_TRUE(state.put("congo", "t61rcWkgMzE").ok());
    context.trace_state = std::make_shared<const TraceState>(state);
  }
  return context;
}

}  // namespace faultline::tracing::testing
