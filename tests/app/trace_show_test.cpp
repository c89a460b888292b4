// `faultline trace show`: a file exporter's output printed as waterfalls,
// and every kind of bad file refused with its line number.
#include <gtest/gtest.h>

#include <sstream>

#include "trace_command/trace_command.hpp"
#include "trace_command/trace_file.hpp"
#include "trace_command/waterfall.hpp"

namespace faultline::app {
namespace {

const std::string kData = FAULTLINE_TRACING_TEST_DATA;

TEST(TraceShow, EachTraceIsAWaterfallWithChildrenIndentedUnderTheirParent) {
  std::ostringstream out, err;
  ASSERT_EQ(run_trace_show(kData + "/two_traces.jsonl", out, err), kTraceExitOk) << err.str();
  EXPECT_EQ(out.str(),
            "trace 4bf92f3577b34da6a3ce929d0e0e4736: 3 spans, 10.000 ms\n"
            "    0.000 ms    10.000 ms  |##############################|  PUT /v3/kv/put  [kv, server]  ERROR\n"
            "    2.000 ms     3.000 ms  |      #########               |    raft.propose  [kv]\n"
            "    6.000 ms     2.000 ms  |                  ######      |    wal.fsync  [client]\n"
            "\n"
            "trace 0af7651916cd43dd8448eb211c80319c: 1 span, 1.000 ms\n"
            "    0.000 ms     1.000 ms  |##############################|  GET /  [client, client]\n");
}

TEST(TraceShow, AMissingFileIsExitCodeTwo) {
  std::ostringstream out, err;
  EXPECT_EQ(run_trace_show(kData + "/no_such_file.jsonl", out, err), kTraceExitBadInput);
  EXPECT_NE(err.str().find("cannot open"), std::string::npos);
}

TEST(TraceShow, ABadLineIsReportedWithItsNumber) {
  std::ostringstream out, err;
  EXPECT_EQ(run_trace_show(kData + "/upper_case_id.jsonl", out, err), kTraceExitBadInput);
  EXPECT_NE(err.str().find("upper_case_id.jsonl: line 2: traceId must be 32 lower-case hex digits"),
            std::string::npos)
      << err.str();
}

TEST(TraceFile, EveryMalformedShapeIsAClearErrorNotACrash) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"{not json", "line 2: not valid JSON"},
      {"[1,2]", "no resourceSpans"},
      {R"({"resourceSpans":[7]})", "not an object"},
      {R"({"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"4bf92f3577b34da6a3ce929d0e0e4736"}]}]}]})",
       "spanId"},
      {R"({"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"4bf92f3577b34da6a3ce929d0e0e4736","spanId":"00000000000000a1","name":"x","startTimeUnixNano":"5","endTimeUnixNano":"4"}]}]}]})",
       "ends before it starts"},
      {R"({"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"4bf92f3577b34da6a3ce929d0e0e4736","spanId":"00000000000000a1","name":"x","startTimeUnixNano":"-1","endTimeUnixNano":"4"}]}]}]})",
       "startTimeUnixNano"},
      {R"({"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"4bf92f3577b34da6a3ce929d0e0e4736","spanId":"00000000000000a1","name":7,"startTimeUnixNano":"1","endTimeUnixNano":"4"}]}]}]})",
       "no name"},
  };
  for (const auto& [text, message] : cases) {
    const auto spans = read_trace_file("\n" + text);
    ASSERT_FALSE(spans.ok()) << text;
    EXPECT_NE(spans.status().message().find("line 2"), std::string_view::npos) << spans.status();
    EXPECT_NE(spans.status().message().find(message), std::string_view::npos) << spans.status();
  }
}

TEST(Waterfall, AParentCycleIsShownOnceNotLoopedOver) {
  std::vector<ShownSpan> spans = {
      {"t", "a", "b", "first", "", 1, 0, 0, 10},
      {"t", "b", "a", "second", "", 1, 0, 5, 10},
  };
  std::ostringstream out;
  print_waterfalls(spans, out);
  const std::string text = out.str();
  EXPECT_NE(text.find("first"), std::string::npos);
  EXPECT_NE(text.find("second"), std::string::npos);
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 3) << text;
}

TEST(Waterfall, AnOrphanIsShownAsARoot) {
  std::vector<ShownSpan> spans = {{"t", "c", "missing-parent", "orphan", "", 1, 0, 0, 1000}};
  std::ostringstream out;
  print_waterfalls(spans, out);
  EXPECT_NE(out.str().find("|##############################|  orphan"), std::string::npos) << out.str();
}

}  // namespace
}  // namespace faultline::app
