// Jepsen's EDN history lines, and the jepsen.util log lines.
#include <gtest/gtest.h>

#include "faultline/check/history_parser.hpp"
#include "faultline/check/history_parser_edn.hpp"
#include "faultline/check/history_parser_jepsen_log.hpp"

namespace faultline::check {
namespace {

TEST(EdnHistory, ParsesJepsenOperationMaps) {
  Result<History> h = parse_edn_history(
      "[{:process 0, :type :invoke, :f :cas, :value [1 2], :time 100, :index 0}\n"
      " {:process :nemesis, :type :info, :f :start, :value nil}\n"
      "; a comment\n"
      " {:process 0, :type :fail, :f :cas, :value [1 2], :error :mismatch}\n"
      " {:process 3, :type :ok, :f :read, :value \"a b\", :key :k1}]\n");
  ASSERT_TRUE(h.ok()) << h.status();
  ASSERT_EQ(h->size(), 3u);
  EXPECT_EQ((*h)[0].function, "cas");
  EXPECT_EQ((*h)[0].expected, Value("1"));
  EXPECT_EQ((*h)[0].value, Value("2"));
  EXPECT_EQ((*h)[0].time_ns, 100);
  EXPECT_EQ((*h)[1].type, EventType::fail);
  EXPECT_EQ((*h)[1].line, 4u);
  EXPECT_EQ((*h)[2].value, Value("a b"));
  EXPECT_EQ((*h)[2].key, "k1");
}

TEST(EdnHistory, WrappingBracketsOnTheirOwnLines) {
  Result<History> h = parse_edn_history(
      "[\n"
      "{:process 1, :type :invoke, :f :write, :value 4}\n"
      "]\n");
  ASSERT_TRUE(h.ok()) << h.status();
  ASSERT_EQ(h->size(), 1u);
  EXPECT_EQ((*h)[0].line, 2u);
}

TEST(EdnHistory, NilValueAndKeywordValues) {
  Result<History> h = parse_edn_history(
      "{:process 1, :type :invoke, :f :read, :value nil}\n"
      "{:process 1, :type :ok, :f :read, :value :a}\n");
  ASSERT_TRUE(h.ok()) << h.status();
  EXPECT_EQ((*h)[0].value, std::nullopt);
  EXPECT_EQ((*h)[1].value, Value("a"));
}

struct Malformed {
  const char* line;
  const char* message;
};

// Names the case in test listings by the error it expects.
void PrintTo(const Malformed& malformed, std::ostream* out) { *out << malformed.message; }

class EdnMalformed : public ::testing::TestWithParam<Malformed> {};

TEST_P(EdnMalformed, ReportsLineAndCause) {
  const std::string text = std::string("{:process 0, :type :invoke, :f :read, :value nil}\n\n") +
                           GetParam().line + "\n";
  Result<History> h = parse_edn_history(text);
  ASSERT_FALSE(h.ok());
  const std::string message(h.status().message());
  EXPECT_EQ(message.substr(0, 8), "line 3: ") << message;
  EXPECT_NE(message.find(GetParam().message), std::string::npos) << message;
}

INSTANTIATE_TEST_SUITE_P(
    Cases, EdnMalformed,
    ::testing::Values(Malformed{"{:process 0, :type :ok, :f :read", "unexpected end of input"},
                      Malformed{"{:process 0 :type}", "even number"},
                      Malformed{"{:process 0, :type :ok, :f :read, :value #{1}}", "sets are not supported"},
                      Malformed{"{:process 0, :type :ok, :f :read, :value 1.5}", "integers only"},
                      Malformed{"{:process 0, :type :done, :f :read}", "got :done"},
                      Malformed{"{:type :ok, :f :read}", "missing :process"},
                      Malformed{"{:process 0, :type :ok, :f :cas, :value 3}", "[expected new]"},
                      Malformed{"{:process 0, :type :ok, :f :read} extra", "after the form"},
                      Malformed{"(1 2]", "unexpected ']'"},
                      Malformed{":just-a-keyword", "expected an operation map"}));

TEST(JepsenLog, ParsesUtilLinesAndIgnoresTheRest) {
  Result<History> h = parse_jepsen_log(
      "2017-01-01 INFO  jepsen.core - Running test\n"
      "INFO  jepsen.util - 0\t:invoke\t:cas\t[1 2]\n"
      "INFO  jepsen.util - :nemesis\t:info\t:start\tnil\n"
      "INFO  jepsen.util - 0\t:fail\t:cas\t[1 2]\t:mismatch\n"
      "INFO  jepsen.util - 1\t:invoke\t:read\tnil\n"
      "INFO  jepsen.util - 1\t:ok\t:read\t3\n");
  ASSERT_TRUE(h.ok()) << h.status();
  ASSERT_EQ(h->size(), 4u);
  EXPECT_EQ((*h)[0].expected, Value("1"));
  EXPECT_EQ((*h)[1].type, EventType::fail);
  EXPECT_EQ((*h)[1].line, 4u);
  EXPECT_EQ((*h)[3].value, Value("3"));
}

TEST(JepsenLog, MalformedUtilLineNamesItsLine) {
  Result<History> h = parse_jepsen_log(
      "INFO  jepsen.util - 0\t:invoke\t:read\tnil\n"
      "INFO  jepsen.util - 0 :ok :read 3\n");
  ASSERT_FALSE(h.ok());
  EXPECT_EQ(std::string(h.status().message()).substr(0, 8), "line 2: ");
  Result<History> bad_value = parse_jepsen_log("INFO  jepsen.util - 0\t:ok\t:read\t[1\n");
  ASSERT_FALSE(bad_value.ok());
  EXPECT_NE(bad_value.status().message().find("line 1: field 4"), std::string_view::npos)
      << bad_value.status();
}

TEST(DetectFormat, FromTheFirstTellingLine) {
  EXPECT_EQ(*detect_history_format("\n{\"process\": 0}"), HistoryFormat::json_lines);
  EXPECT_EQ(*detect_history_format("; c\n{:process 0}"), HistoryFormat::edn);
  EXPECT_EQ(*detect_history_format("[{:process 0}"), HistoryFormat::edn);
  EXPECT_EQ(*detect_history_format("boot\nINFO  jepsen.util - 0\t:ok\t:read\t1"),
            HistoryFormat::jepsen_log);
  EXPECT_FALSE(detect_history_format("hello\nworld\n").ok());
  EXPECT_FALSE(detect_history_format("").ok());
}

TEST(DetectFormat, ParseHistoryDispatches) {
  Result<History> h = parse_history("{:process 0, :type :invoke, :f :write, :value 1}\n");
  ASSERT_TRUE(h.ok()) << h.status();
  EXPECT_EQ((*h)[0].value, Value("1"));
}

}  // namespace
}  // namespace faultline::check
