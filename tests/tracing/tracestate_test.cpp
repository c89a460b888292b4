// tracestate: the list-member grammar, the 32-member limit, combining
// several header fields, and the mutation rules of W3C Trace Context
// Level 1, each with valid and invalid examples.
#include "faultline/tracing/tracestate.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace faultline::tracing {
namespace {

void expect_invalid(std::string_view header, std::string_view message_part) {
  const auto parsed = parse_tracestate(header);
  ASSERT_FALSE(parsed.ok()) << header;
  EXPECT_EQ(parsed.status().code(), StatusCode::invalid_argument);
  EXPECT_NE(parsed.status().message().find(message_part), std::string_view::npos)
      << "header '" << header << "' gave '" << parsed.status().message() << "'";
}

// "k0=v0,k1=v1,..." with `count` members named with `prefix`.
std::string members(std::size_t count, char prefix = 'k') {
  std::string out;
  for (std::size_t i = 0; i < count; ++i) {
    if (i > 0) out.push_back(',');
    const std::string number = std::to_string(i);
    out.push_back(prefix);
    out.append(number);
    out.append("=v");
    out.append(number);
  }
  return out;
}

TEST(Tracestate, TheRecommendationsExampleKeepsItsOrder) {
  const auto state = parse_tracestate("rojo=00f067aa0ba902b7,congo=t61rcWkgMzE");
  ASSERT_TRUE(state.ok()) << state.status();
  ASSERT_EQ(state->size(), 2u);
  EXPECT_EQ(state->members()[0], (TraceState::Member{"rojo", "00f067aa0ba902b7"}));
  EXPECT_EQ(state->members()[1], (TraceState::Member{"congo", "t61rcWkgMzE"}));
  EXPECT_EQ(format_tracestate(*state), "rojo=00f067aa0ba902b7,congo=t61rcWkgMzE");
}

TEST(Tracestate, EmptyAndWhitespaceOnlyMembersAreSkipped) {
  const auto state = parse_tracestate(" ,\t, rojo=1 \t,, congo=2 ,");
  ASSERT_TRUE(state.ok()) << state.status();
  EXPECT_EQ(format_tracestate(*state), "rojo=1,congo=2");
  EXPECT_TRUE(parse_tracestate("")->empty());
  EXPECT_TRUE(parse_tracestate(" \t ")->empty());
  EXPECT_TRUE(parse_tracestate(",,,")->empty());
}

TEST(Tracestate, SimpleKeysStartWithALowerCaseLetter) {
  for (const char* key : {"a", "rojo", "a0_-*/", "z9"}) EXPECT_TRUE(valid_tracestate_key(key)) << key;
  EXPECT_TRUE(valid_tracestate_key(std::string(256, 'a')));
  EXPECT_FALSE(valid_tracestate_key(std::string(257, 'a')));
  for (const char* key : {"", "0abc", "_a", "Rojo", "roJo", "ro jo", "ro.jo", "ro=jo", "ro~jo"}) {
    EXPECT_FALSE(valid_tracestate_key(key)) << key;
  }
  expect_invalid("Rojo=1", "invalid key 'Rojo'");
  expect_invalid("1rojo=1", "invalid key");
}

TEST(Tracestate, MultiTenantKeysHaveATenantAndASystem) {
  for (const char* key : {"fw529a3039@dt", "0tenant@vendor", "t@s", "t_-*/@s0_-*/"}) {
    EXPECT_TRUE(valid_tracestate_key(key)) << key;
  }
  EXPECT_TRUE(valid_tracestate_key(std::string(241, 't') + "@" + std::string(14, 's')));
  EXPECT_FALSE(valid_tracestate_key(std::string(242, 't') + "@s"));
  EXPECT_FALSE(valid_tracestate_key("t@" + std::string(15, 's')));
  for (const char* key : {"@s", "t@", "t@0s", "_t@s", "t@s@x", "T@s", "t@S"}) {
    EXPECT_FALSE(valid_tracestate_key(key)) << key;
  }
  EXPECT_TRUE(parse_tracestate("fw529a3039@dt=x,congo=y").ok());
  expect_invalid("t@s@x=1", "invalid key");
}

TEST(Tracestate, ValuesArePrintableWithoutCommaEqualsOrTrailingSpace) {
  for (const char* value : {"x", "t61rcWkgMzE", "a b", " leading", "!\"#$%&'()*+-./:;<>?@[\\]^_`{|}~"}) {
    EXPECT_TRUE(valid_tracestate_value(value)) << value;
  }
  EXPECT_TRUE(valid_tracestate_value(std::string(256, 'v')));
  EXPECT_FALSE(valid_tracestate_value(std::string(257, 'v')));
  for (const char* value : {"", "a=b", "tab\there", "\x7f", "caf\xc3\xa9", "trailing "}) {
    EXPECT_FALSE(valid_tracestate_value(value)) << value;
  }
  expect_invalid("rojo=", "invalid value for key 'rojo'");
  expect_invalid("rojo=a=b", "invalid value");
  expect_invalid("rojo", "without '='");
  expect_invalid("=1", "invalid key ''");
}

TEST(Tracestate, WhitespaceAroundAMemberIsOptionalWhitespaceNotPartOfIt) {
  // The trailing spaces belong to OWS, so the value does not end in one.
  const auto state = parse_tracestate("rojo=a b  , congo=c");
  ASSERT_TRUE(state.ok()) << state.status();
  EXPECT_EQ(state->get("rojo"), "a b");
  // Around '=' there is no optional whitespace.
  expect_invalid("rojo =1", "invalid key");
  EXPECT_EQ(parse_tracestate("rojo= 1")->get("rojo"), " 1");
}

TEST(Tracestate, ThirtyTwoMembersAreAllowedAndThirtyThreeAreNot) {
  const auto full = parse_tracestate(members(32));
  ASSERT_TRUE(full.ok()) << full.status();
  EXPECT_EQ(full->size(), 32u);
  expect_invalid(members(33), "more than 32 members");
  // Empty members carry nothing and do not count.
  EXPECT_TRUE(parse_tracestate(members(32) + ",,, ,").ok());
}

TEST(Tracestate, DuplicateKeysMakeTheHeaderInvalid) {
  expect_invalid("rojo=1,congo=2,rojo=3", "duplicate key 'rojo'");
}

TEST(Tracestate, SeveralHeaderFieldsAreOneListInOrder) {
  const std::vector<std::string_view> fields = {"rojo=1,congo=2", "", " bleu=3 "};
  const auto state = parse_tracestate(fields);
  ASSERT_TRUE(state.ok()) << state.status();
  EXPECT_EQ(format_tracestate(*state), "rojo=1,congo=2,bleu=3");
}

TEST(Tracestate, TheLimitAndUniquenessHoldAcrossCombinedFields) {
  const std::string first = members(20);
  const std::string second = members(13);  // k0..k12 again: duplicates
  const std::vector<std::string_view> duplicated = {first, second};
  EXPECT_FALSE(parse_tracestate(duplicated).ok());

  const std::string renamed = members(13, 'x');
  const std::vector<std::string_view> too_many = {first, renamed};
  const auto parsed = parse_tracestate(too_many);
  ASSERT_FALSE(parsed.ok());
  EXPECT_NE(parsed.status().message().find("more than 32"), std::string_view::npos);
}

TEST(Tracestate, PutMovesTheKeyToTheFrontAndReplacesItsValue) {
  auto state = *parse_tracestate("rojo=1,congo=2,bleu=3");
  ASSERT_TRUE(state.put("congo", "9").ok());
  EXPECT_EQ(format_tracestate(state), "congo=9,rojo=1,bleu=3");
  ASSERT_TRUE(state.put("faultline", "new").ok());
  EXPECT_EQ(format_tracestate(state), "faultline=new,congo=9,rojo=1,bleu=3");
}

TEST(Tracestate, PutOnAFullListDropsTheLastMember) {
  auto state = *parse_tracestate(members(32));
  ASSERT_TRUE(state.put("faultline", "x").ok());
  EXPECT_EQ(state.size(), 32u);
  EXPECT_EQ(state.members().front().key, "faultline");
  EXPECT_FALSE(state.get("k31").has_value());
  EXPECT_TRUE(state.get("k30").has_value());
}

TEST(Tracestate, PutRefusesWhatTheGrammarRefusesAndLeavesTheListAlone) {
  auto state = *parse_tracestate("rojo=1");
  EXPECT_EQ(state.put("Bad", "x").code(), StatusCode::invalid_argument);
  EXPECT_EQ(state.put("good", "a,b").code(), StatusCode::invalid_argument);
  EXPECT_EQ(format_tracestate(state), "rojo=1");
}

TEST(Tracestate, EraseRemovesOneKey) {
  auto state = *parse_tracestate("rojo=1,congo=2");
  EXPECT_TRUE(state.erase("rojo"));
  EXPECT_FALSE(state.erase("rojo"));
  EXPECT_EQ(format_tracestate(state), "congo=2");
}

TEST(Tracestate, AHugeHeaderIsRefusedBeforeItIsSplit) {
  expect_invalid(std::string(kTraceStateCharsMax + 1, ','), "longer than");
}

}  // namespace
}  // namespace faultline::tracing
