// Faultline's JSON-lines history format: valid lines, and malformed ones
// reported with their line number.
#include <gtest/gtest.h>

#include "faultline/check/history_parser_json.hpp"

namespace faultline::check {
namespace {

TEST(JsonLines, ParsesEveryField) {
  Result<History> h = parse_json_lines(
      R"({"process": 0, "type": "invoke", "f": "cas", "key": "x", "value": ["1", 2], "time": 17})"
      "\n"
      R"({"process": 0, "type": "ok", "f": "cas", "key": 5, "value": ["1", 2], "time": 20})"
      "\n");
  ASSERT_TRUE(h.ok()) << h.status();
  ASSERT_EQ(h->size(), 2u);
  const Event& e = (*h)[0];
  EXPECT_EQ(e.type, EventType::invoke);
  EXPECT_EQ(e.process, 0);
  EXPECT_EQ(e.function, "cas");
  EXPECT_EQ(e.key, "x");
  EXPECT_EQ(e.expected, Value("1"));
  EXPECT_EQ(e.value, Value("2"));
  EXPECT_EQ(e.time_ns, 17);
  EXPECT_EQ(e.line, 1u);
  EXPECT_EQ((*h)[1].key, "5");
  EXPECT_EQ((*h)[1].line, 2u);
}

TEST(JsonLines, NullValueIsNilAndBlankLinesAndNemesisAreSkipped) {
  Result<History> h = parse_json_lines(
      "\n"
      R"({"process": 1, "type": "invoke", "f": "get", "key": "x", "value": null})" "\r\n"
      "   \n"
      R"({"process": "nemesis", "type": "info", "f": "start"})" "\n"
      R"({"process": 1, "type": "ok", "f": "get", "key": "x"})");
  ASSERT_TRUE(h.ok()) << h.status();
  ASSERT_EQ(h->size(), 2u);
  EXPECT_EQ((*h)[0].value, std::nullopt);
  EXPECT_EQ((*h)[0].line, 2u);
  EXPECT_EQ((*h)[1].line, 5u);
}

struct Malformed {
  const char* text;
  const char* message;
};

// Names the case in test listings by the error it expects.
void PrintTo(const Malformed& malformed, std::ostream* out) { *out << malformed.message; }

class JsonLinesMalformed : public ::testing::TestWithParam<Malformed> {};

TEST_P(JsonLinesMalformed, ReportsLineAndCause) {
  const std::string text =
      std::string(R"({"process": 0, "type": "invoke", "f": "get", "key": "x"})") + "\n" +
      GetParam().text + "\n";
  Result<History> h = parse_json_lines(text);
  ASSERT_FALSE(h.ok());
  EXPECT_EQ(h.status().code(), StatusCode::invalid_argument);
  const std::string message(h.status().message());
  EXPECT_EQ(message.substr(0, 8), "line 2: ") << message;
  EXPECT_NE(message.find(GetParam().message), std::string::npos) << message;
}

INSTANTIATE_TEST_SUITE_P(
    Cases, JsonLinesMalformed,
    ::testing::Values(Malformed{R"({"process": 0, "type": "ok", )", "not valid JSON"},
                      Malformed{R"([1, 2])", "expected a JSON object"},
                      Malformed{R"({"type": "ok", "f": "get"})", "missing \"process\""},
                      Malformed{R"({"process": 1.5, "type": "ok", "f": "get"})", "\"process\" must be an integer"},
                      Malformed{R"({"process": 0, "type": "done", "f": "get"})", "got \"done\""},
                      Malformed{R"({"process": 0, "type": "ok"})", "\"f\" must be a string"},
                      Malformed{R"({"process": 0, "type": "ok", "f": "cas", "value": 3})", "[expected, new]"},
                      Malformed{R"({"process": 0, "type": "ok", "f": "get", "value": {"a": 1}})", "\"value\" must be"},
                      Malformed{R"({"process": 0, "type": "ok", "f": "get", "key": [1]})", "\"key\" must be"},
                      Malformed{R"({"process": 0, "type": "ok", "f": "get", "time": "soon"})", "\"time\" must be an integer"}));

}  // namespace
}  // namespace faultline::check
