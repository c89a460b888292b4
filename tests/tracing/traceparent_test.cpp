// traceparent: every rule of W3C Trace Context Level 1, each with a header
// that keeps it and one that breaks it.
#include "faultline/tracing/traceparent.hpp"

#include <gtest/gtest.h>

#include <string>

namespace faultline::tracing {
namespace {

// The Recommendation's own example.
constexpr std::string_view kExample = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

void expect_invalid(std::string_view header, std::string_view message_part) {
  const auto parsed = parse_traceparent(header);
  ASSERT_FALSE(parsed.ok()) << header;
  EXPECT_EQ(parsed.status().code(), StatusCode::invalid_argument);
  EXPECT_NE(parsed.status().message().find(message_part), std::string_view::npos)
      << "header '" << header << "' gave '" << parsed.status().message() << "'";
}

TEST(Traceparent, TheRecommendationsExampleParsesIntoItsFields) {
  const auto parsed = parse_traceparent(kExample);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(to_hex(parsed->trace_id), "4bf92f3577b34da6a3ce929d0e0e4736");
  EXPECT_EQ(to_hex(parsed->parent_id), "00f067aa0ba902b7");
  EXPECT_TRUE(parsed->flags.sampled());
}

TEST(Traceparent, FormatWritesTheSameHeaderBack) {
  EXPECT_EQ(format_traceparent(*parse_traceparent(kExample)), kExample);
  const auto unsampled = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00";
  EXPECT_EQ(format_traceparent(*parse_traceparent(unsampled)), unsampled);
}

TEST(Traceparent, UpperCaseHexIsInvalidInEveryField) {
  expect_invalid("00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01", "trace-id");
  expect_invalid("00-4bf92f3577b34da6a3ce929d0e0e4736-00F067AA0BA902B7-01", "parent-id");
  expect_invalid("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0A", "trace-flags");
  expect_invalid("0A-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", "version");
}

TEST(Traceparent, NonHexCharactersAreInvalid) {
  expect_invalid("00-4bf92f3577b34da6a3ce929d0e0e473g-00f067aa0ba902b7-01", "trace-id");
  expect_invalid("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b.-01", "parent-id");
  expect_invalid("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0x", "trace-flags");
  expect_invalid("0g-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", "version");
}

TEST(Traceparent, AllZeroTraceIdOrParentIdIsInvalid) {
  expect_invalid("00-00000000000000000000000000000000-00f067aa0ba902b7-01", "trace-id must not be all zeros");
  expect_invalid("00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01", "parent-id must not be all zeros");
  // One non-zero digit anywhere is enough.
  EXPECT_TRUE(parse_traceparent("00-00000000000000000000000000000001-0000000000000100-01").ok());
}

TEST(Traceparent, VersionFfIsInvalidEvenWithAPerfectLayout) {
  expect_invalid("ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", "version ff");
}

TEST(Traceparent, VersionZeroIsExactlyFiftyFiveCharacters) {
  expect_invalid("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-", "exactly 55");
  expect_invalid("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-what-the-future-will-be-like",
                 "exactly 55");
  expect_invalid("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0", "shorter than 55");
  expect_invalid("00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01", "shorter than 55");
  expect_invalid("", "shorter than 55");
}

TEST(Traceparent, FieldsMustBeSeparatedByDashesAtTheirPlaces) {
  expect_invalid("00_4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", "offset 2");
  expect_invalid("00-4bf92f3577b34da6a3ce929d0e0e4736_00f067aa0ba902b7-01", "offset 35");
  expect_invalid("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7_01", "offset 52");
  // Right length, but a field shifted by one character.
  expect_invalid("00-4bf92f3577b34da6a3ce929d0e0e47366-0f067aa0ba902b7-01", "offset 35");
}

TEST(Traceparent, AHigherVersionIsParsedForwardCompatibly) {
  const auto exact = parse_traceparent("cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
  ASSERT_TRUE(exact.ok()) << exact.status();
  EXPECT_EQ(to_hex(exact->trace_id), "4bf92f3577b34da6a3ce929d0e0e4736");

  // Fields the future adds after a '-' are ignored.
  const auto longer =
      parse_traceparent("cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-what-the-future-will-be-like");
  ASSERT_TRUE(longer.ok()) << longer.status();
  EXPECT_EQ(*longer, *exact);

  // ...but only after a '-'.
  expect_invalid("cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01.what-the-future-will-be-like",
                 "offset 55");
  expect_invalid("cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01x", "offset 55");
  // A higher version is no excuse for a short header.
  expect_invalid("cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-1", "shorter than 55");
}

TEST(Traceparent, AHigherVersionIsForwardedAsVersionZero) {
  const auto parsed = parse_traceparent("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra");
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(format_traceparent(*parsed), kExample);
}

TEST(Traceparent, UnknownFlagBitsAreMaskedNotRejected) {
  const auto all_bits = parse_traceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-ff");
  ASSERT_TRUE(all_bits.ok()) << all_bits.status();
  EXPECT_TRUE(all_bits->flags.sampled());
  EXPECT_EQ(all_bits->flags.bits, TraceFlags::kSampled);
  EXPECT_EQ(format_traceparent(*all_bits), kExample);

  const auto unknown_only = parse_traceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-fe");
  ASSERT_TRUE(unknown_only.ok());
  EXPECT_FALSE(unknown_only->flags.sampled());
  EXPECT_EQ(format_traceparent(*unknown_only), "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00");
}

TEST(Traceparent, SurroundingOptionalWhitespaceIsIgnoredButNotInside) {
  EXPECT_TRUE(parse_traceparent(" \t" + std::string(kExample) + "\t ").ok());
  expect_invalid("00-4bf92f3577b34da6 3ce929d0e0e4736-00f067aa0ba902b7-01", "trace-id");
  expect_invalid("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7- 1", "trace-flags");
  // Only space and tab are optional whitespace.
  expect_invalid("\n" + std::string(kExample), "version");
}

TEST(Traceparent, AnAbsurdlyLongHeaderIsRefusedBeforeItIsRead) {
  const std::string huge = "cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-" + std::string(1000, 'a');
  expect_invalid(huge, "longer than");
}

TEST(Traceparent, EmbeddedNulBytesAreNotHex) {
  std::string header(kExample);
  header[10] = '\0';
  expect_invalid(header, "trace-id");
}

TEST(Traceparent, WriteTraceparentFillsAFixedBufferWithoutAllocating) {
  char buffer[kTraceParentChars];
  write_traceparent(*parse_traceparent(kExample), buffer);
  EXPECT_EQ(std::string_view(buffer, sizeof buffer), kExample);
}

}  // namespace
}  // namespace faultline::tracing
