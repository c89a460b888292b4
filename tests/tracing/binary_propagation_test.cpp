#include "faultline/tracing/binary_propagation.hpp"

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include "tracing/sample_span_context.hpp"

namespace faultline::tracing {
namespace {

using testing::sample_span_context;

TEST(BinaryPropagation, LayoutIsVersionIdsFlagsAndLengthPrefixedTracestate) {
  const std::string bytes = encode_span_context(sample_span_context(false));
  ASSERT_EQ(bytes.size(), kBinaryContextFixedBytes);
  ASSERT_EQ(bytes.size(), 28u);
  EXPECT_EQ(bytes[0], 0);
  EXPECT_EQ(static_cast<std::uint8_t>(bytes[1]), 0x4b);
  EXPECT_EQ(static_cast<std::uint8_t>(bytes[16]), 0x36);
  EXPECT_EQ(static_cast<std::uint8_t>(bytes[17]), 0x00);
  EXPECT_EQ(static_cast<std::uint8_t>(bytes[24]), 0xb7);
  EXPECT_EQ(bytes[25], 1);
  EXPECT_EQ(bytes[26], 0);
  EXPECT_EQ(bytes[27], 0);

  const std::string with_state = encode_span_context(sample_span_context(true));
  const std::string state = "congo=t61rcWkgMzE,rojo=00f067aa0ba902b7";
  ASSERT_EQ(with_state.size(), 28 + state.size());
  EXPECT_EQ(static_cast<std::uint8_t>(with_state[27]), state.size());
  EXPECT_EQ(with_state.substr(28), state);
}

TEST(BinaryPropagation, RoundTripsAndMarksRemote) {
  for (const bool with_state : {false, true}) {
    const SpanContext sent = sample_span_context(with_state);
    const auto decoded = decode_span_context(encode_span_context(sent));
    ASSERT_TRUE(decoded.ok()) << decoded.status().to_string();
    EXPECT_EQ(decoded->trace_id, sent.trace_id);
    EXPECT_EQ(decoded->span_id, sent.span_id);
    EXPECT_EQ(decoded->flags, sent.flags);
    EXPECT_TRUE(decoded->remote);
    if (with_state) {
      ASSERT_NE(decoded->trace_state, nullptr);
      EXPECT_EQ(*decoded->trace_state, *sent.trace_state);
    } else {
      EXPECT_EQ(decoded->trace_state, nullptr);
    }
  }
}

TEST(BinaryPropagation, NoContextIsNoBytesAndNoBytesIsNotFound) {
  EXPECT_TRUE(encode_span_context(SpanContext{}).empty());
  std::string buffer = "prefix";
  append_span_context(SpanContext{}, buffer);
  EXPECT_EQ(buffer, "prefix");
  EXPECT_EQ(decode_span_context(std::string_view()).status().code(), StatusCode::not_found);
}

TEST(BinaryPropagation, UnknownFlagBitsAreMasked) {
  std::string bytes = encode_span_context(sample_span_context(false));
  bytes[25] = static_cast<char>(0xff);
  const auto decoded = decode_span_context(bytes);
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(decoded->flags.bits, TraceFlags::kSampled);
}

void expect_invalid(const std::string& bytes, std::string_view mentions) {
  const auto decoded = decode_span_context(bytes);
  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(decoded.status().code(), StatusCode::invalid_argument);
  EXPECT_NE(decoded.status().message().find(mentions), std::string_view::npos) << decoded.status().to_string();
}

TEST(BinaryPropagation, EveryTruncationIsRejected) {
  const std::string bytes = encode_span_context(sample_span_context(true));
  for (std::size_t size = 1; size < bytes.size(); ++size) {
    SCOPED_TRACE(size);
    expect_invalid(bytes.substr(0, size), "truncated");
  }
}

TEST(BinaryPropagation, GarbageIsRejectedWithAReason) {
  const std::string good = encode_span_context(sample_span_context(true));
  std::string wrong_version = good;
  wrong_version[0] = 1;
  expect_invalid(wrong_version, "version 1");
  expect_invalid(good + "x", "trailing");
  std::string zero_trace = good;
  std::fill(zero_trace.begin() + 1, zero_trace.begin() + 17, '\0');
  expect_invalid(zero_trace, "all-zero trace id");
  std::string zero_span = good;
  std::fill(zero_span.begin() + 17, zero_span.begin() + 25, '\0');
  expect_invalid(zero_span, "all-zero span id");
  std::string huge_length = encode_span_context(sample_span_context(false));
  huge_length[26] = static_cast<char>(0xff);
  huge_length[27] = static_cast<char>(0xff);
  expect_invalid(huge_length, "exceeds");
  std::string bad_state = encode_span_context(sample_span_context(false));
  bad_state[27] = 3;
  expect_invalid(bad_state + "A=1", "tracestate");
  std::string blank_state = encode_span_context(sample_span_context(false));
  blank_state[27] = 2;
  expect_invalid(blank_state + " ,", "no member");
}

RC_GTEST_PROP(BinaryPropagation, ArbitraryBytesNeverCrashAndAcceptedOnesReEncodeCanonically,
              (const std::vector<std::uint8_t>& raw)) {
  const auto decoded = decode_span_context(std::span<const std::uint8_t>(raw));
  if (!decoded.ok()) {
    RC_ASSERT(!decoded.status().message().empty());
    return;
  }
  const auto again = decode_span_context(encode_span_context(*decoded));
  RC_ASSERT(again.ok());
  RC_ASSERT(again->trace_id == decoded->trace_id);
  RC_ASSERT(again->span_id == decoded->span_id);
}

RC_GTEST_PROP(BinaryPropagation, ValidContextsRoundTrip, (std::array<std::uint8_t, 16> trace,
                                                         std::array<std::uint8_t, 8> span, std::uint8_t flags)) {
  SpanContext context;
  context.trace_id.bytes = trace;
  context.span_id.bytes = span;
  context.flags = TraceFlags::from_wire(flags);
  RC_PRE(context.valid());
  const auto decoded = decode_span_context(encode_span_context(context));
  RC_ASSERT(decoded.ok());
  RC_ASSERT(decoded->trace_id == context.trace_id);
  RC_ASSERT(decoded->span_id == context.span_id);
  RC_ASSERT(decoded->flags == context.flags);
}

}  // namespace
}  // namespace faultline::tracing
