// Binary and text forms: known encodings, round trips, and the malformed
// inputs each decoder must refuse with a clear message.
#include <gtest/gtest.h>

#include <array>
#include <string>
#include <vector>

#include "faultline/clocks/binary_encoding.hpp"
#include "faultline/clocks/text_encoding.hpp"

namespace faultline::clocks {
namespace {

using Bytes = std::vector<std::uint8_t>;

template <class T>
Bytes encode(const T& value) {
  Bytes bytes(binary_size(value));
  auto size = encode_binary(value, bytes);
  EXPECT_TRUE(size.ok()) << size.status();
  EXPECT_EQ(*size, bytes.size());
  return bytes;
}

VersionVector sample_vector() {
  return VersionVector({{1, 3, {}}, {7, 2, WallMillis(std::chrono::milliseconds(1'732'550'400'123))}});
}

TEST(BinaryEncoding, LamportIsATagAndTwoVarints) {
  EXPECT_EQ(encode(LamportTimestamp{300, 2}), (Bytes{0x4c, 0xac, 0x02, 0x02}));
  EXPECT_EQ(*decode_lamport_timestamp(Bytes{0x4c, 0xac, 0x02, 0x02}), (LamportTimestamp{300, 2}));
}

TEST(BinaryEncoding, HlcIsBigEndianSoBytesSortLikeTimes) {
  const Bytes early = encode(HlcTimestamp{1000, 65535});
  const Bytes late = encode(HlcTimestamp{1001, 0});
  EXPECT_LT(early, late);
  EXPECT_EQ(*decode_hlc_timestamp(late), (HlcTimestamp{1001, 0}));
}

TEST(BinaryEncoding, VersionVectorsDeltaEncodeNodeIds) {
  const VersionVector vector = sample_vector();
  const Bytes bytes = encode(vector);
  EXPECT_EQ(bytes[0], 0x57);
  EXPECT_EQ(bytes[1], 2);     // two entries
  EXPECT_EQ(bytes[2], 1);     // node 1
  EXPECT_EQ(bytes[5], 5);     // node 7 = 1 + 5 + 1
  EXPECT_EQ(*decode_version_vector(bytes), vector);
  const DottedVersionVector dotted{{9, 4}, vector};
  EXPECT_EQ(*decode_dotted_version_vector(encode(dotted)), dotted);
  const VectorClock clock({0, 5, 1'000'000});
  EXPECT_EQ(*decode_vector_clock(encode(clock)), clock);
}

TEST(BinaryEncoding, EncodingIntoATooSmallBufferFailsWithoutWritingPastIt) {
  std::array<std::uint8_t, 4> buffer{9, 9, 9, 9};
  auto size = encode_binary(sample_vector(), std::span(buffer).first(3));
  ASSERT_FALSE(size.ok());
  EXPECT_EQ(size.status().code(), StatusCode::resource_exhausted);
  EXPECT_EQ(buffer[3], 9);
}

void expect_refused(const Status& status, std::string_view fragment) {
  EXPECT_EQ(status.code(), StatusCode::invalid_argument) << status;
  EXPECT_NE(status.message().find(fragment), std::string_view::npos) << status;
}

TEST(BinaryEncoding, DecodersRefuseMalformedBytes) {
  expect_refused(decode_lamport_timestamp(Bytes{}).status(), "empty input");
  expect_refused(decode_lamport_timestamp(Bytes{0x48, 1, 1}).status(), "wrong type tag");
  expect_refused(decode_lamport_timestamp(Bytes{0x4c, 0x80}).status(), "truncated varint");
  expect_refused(decode_lamport_timestamp(Bytes{0x4c, 0x81, 0x00, 1}).status(), "overlong");
  expect_refused(decode_lamport_timestamp(Bytes{0x4c, 1, 1, 0}).status(), "trailing bytes");
  Bytes too_wide{0x4c};
  for (int i = 0; i < 9; ++i) too_wide.push_back(0xff);
  too_wide.push_back(0x02);
  expect_refused(decode_lamport_timestamp(too_wide).status(), "overflows 64 bits");
  expect_refused(decode_hlc_timestamp(Bytes{0x48, 1, 2}).status(), "truncated");
  expect_refused(decode_vector_clock(Bytes{0x56, 0xff, 0x7f}).status(), "above the limit");
  expect_refused(decode_vector_clock(Bytes{0x56, 100, 1}).status(), "larger than the bytes");
  expect_refused(decode_version_vector(Bytes{0x57, 1, 5, 0, 0}).status(), "counter 0");
  expect_refused(decode_dotted_version_vector(Bytes{0x44, 1, 0, 0}).status(), "dot with counter 0");
}

TEST(TextEncoding, ReadableForms) {
  EXPECT_EQ(to_text(LamportTimestamp{12, 3}), "12@3");
  EXPECT_EQ(to_text(HlcTimestamp{1'732'550'400'123, 7}), "1732550400123:7");
  EXPECT_EQ(to_text(VectorClock({3, 0, 5})), "[3,0,5]");
  EXPECT_EQ(to_text(sample_vector()), "{1:3,7:2@1732550400123}");
  EXPECT_EQ(to_text(DottedVersionVector{{3, 5}, VersionVector({{1, 3, {}}})}), "(3,5){1:3}");
  EXPECT_EQ(to_text(VersionVector()), "{}");
  EXPECT_EQ(to_text(VectorClock()), "[]");
}

TEST(TextEncoding, ParsesWhatItPrints) {
  EXPECT_EQ(*parse_lamport_timestamp("12@3"), (LamportTimestamp{12, 3}));
  EXPECT_EQ(*parse_hlc_timestamp("1732550400123:7"), (HlcTimestamp{1'732'550'400'123, 7}));
  EXPECT_EQ(*parse_vector_clock("[3,0,5]"), VectorClock({3, 0, 5}));
  EXPECT_EQ(*parse_version_vector("{1:3,7:2@1732550400123}"), sample_vector());
  const auto dotted = parse_dotted_version_vector("(3,5){1:3}");
  ASSERT_TRUE(dotted.ok());
  EXPECT_EQ(dotted->dot, (Dot{3, 5}));
}

TEST(TextEncoding, ParsersRefuseMalformedText) {
  expect_refused(parse_lamport_timestamp("12").status(), "expected '@' at offset 2");
  expect_refused(parse_lamport_timestamp("012@3").status(), "leading zeros");
  expect_refused(parse_lamport_timestamp("-1@3").status(), "a number at offset 0");
  expect_refused(parse_lamport_timestamp("18446744073709551616@1").status(), "below 2^64");
  expect_refused(parse_hlc_timestamp("1:65536").status(), "below 2^16");
  expect_refused(parse_hlc_timestamp("281474976710656:0").status(), "below 2^48");
  expect_refused(parse_vector_clock("[1, 2]").status(), "a number at offset 3");
  expect_refused(parse_version_vector("{2:1,1:1}").status(), "ascending");
  expect_refused(parse_version_vector("{1:0}").status(), "at least 1");
  expect_refused(parse_version_vector("{1:1@0}").status(), "touched");
  expect_refused(parse_version_vector("{1:1}x").status(), "end of text");
  expect_refused(parse_dotted_version_vector("(3,0){}").status(), "at least 1");
  expect_refused(parse_version_vector(std::string(kTextBytesMax + 1, '{')).status(), "longer than");
}

}  // namespace
}  // namespace faultline::clocks
