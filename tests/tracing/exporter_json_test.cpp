// The exact JSON the exporters write: OTLP/JSON (field names, hex ids,
// integer enums, 64-bit numbers as strings, grouping by resource and
// scope) and Zipkin v2, each checked character for character on a span
// whose every field is known, and read back by a JSON parser.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>

#include "faultline/tracing/file_exporter.hpp"
#include "faultline/tracing/otlp_json.hpp"
#include "faultline/tracing/zipkin_json.hpp"

namespace faultline::tracing {
namespace {

using namespace std::chrono_literals;

// 2024-01-01T00:00:00Z.
const WallTimePoint kT0{std::chrono::seconds(1'704'067'200)};

std::unique_ptr<SpanData> server_span(std::shared_ptr<const Resource> resource) {
  auto span = std::make_unique<SpanData>();
  span->context.trace_id = *parse_trace_id("4bf92f3577b34da6a3ce929d0e0e4736");
  span->context.span_id = *parse_span_id("00f067aa0ba902b7");
  span->context.flags = TraceFlags::sampled_flags(true);
  span->parent_span_id = *parse_span_id("53995c3f42cd8ad8");
  span->name = "GET /v3/kv/range";
  span->kind = SpanKind::server;
  span->start_time = kT0;
  span->end_time = kT0 + 1500us;
  span->attributes.set("http.request.method", "GET");
  span->attributes.set("http.response.status_code", 200);
  span->attributes.set("retry", true);
  span->attributes.set("ratio", 0.5);
  span->attributes.set("nodes", std::vector<std::int64_t>{1, 2});
  span->events.push_back(SpanEvent{"retry", kT0 + 250us, {}});
  span->events.back().attributes.set("attempt", 2);
  span->status = SpanStatus{SpanStatusCode::error, "upstream timeout"};
  span->resource = std::move(resource);
  span->scope_name = "faultline.kv";
  return span;
}

std::vector<std::unique_ptr<SpanData>> batch_of(std::unique_ptr<SpanData> span) {
  std::vector<std::unique_ptr<SpanData>> batch;
  batch.push_back(std::move(span));
  return batch;
}

TEST(OtlpJson, ASpanIsEncodedExactlyAsTheOtlpJsonEncodingSays) {
  const auto batch = batch_of(server_span(Resource::make("kv", "node-1", "host-a")));
  const std::string expected =
      R"({"resourceSpans":[{"resource":{"attributes":[)"
      R"({"key":"service.name","value":{"stringValue":"kv"}},)"
      R"({"key":"service.instance.id","value":{"stringValue":"node-1"}},)"
      R"({"key":"host.name","value":{"stringValue":"host-a"}}]},)"
      R"("scopeSpans":[{"scope":{"name":"faultline.kv"},"spans":[{)"
      R"("traceId":"4bf92f3577b34da6a3ce929d0e0e4736","spanId":"00f067aa0ba902b7",)"
      R"("parentSpanId":"53995c3f42cd8ad8","flags":1,"name":"GET /v3/kv/range","kind":2,)"
      R"("startTimeUnixNano":"1704067200000000000","endTimeUnixNano":"1704067200001500000",)"
      R"("attributes":[{"key":"http.request.method","value":{"stringValue":"GET"}},)"
      R"({"key":"http.response.status_code","value":{"intValue":"200"}},)"
      R"({"key":"retry","value":{"boolValue":true}},)"
      R"({"key":"ratio","value":{"doubleValue":0.5}},)"
      R"({"key":"nodes","value":{"arrayValue":{"values":[{"intValue":"1"},{"intValue":"2"}]}}}],)"
      R"("events":[{"name":"retry","timeUnixNano":"1704067200000250000",)"
      R"("attributes":[{"key":"attempt","value":{"intValue":"2"}}]}],)"
      R"("status":{"message":"upstream timeout","code":2}}]}]}]})";
  EXPECT_EQ(encode_otlp_json(batch), expected);
  EXPECT_TRUE(nlohmann::json::accept(expected));
}

TEST(OtlpJson, DefaultFieldsAreLeftOutAndCountsAppearWhenNonZero) {
  auto span = std::make_unique<SpanData>();
  span->context.trace_id = *parse_trace_id("00000000000000000000000000000001");
  span->context.span_id = *parse_span_id("0000000000000002");
  span->context.trace_state = std::make_shared<const TraceState>(*parse_tracestate("rojo=1"));
  span->name = "root";
  span->start_time = span->end_time = kT0;
  span->dropped_events = 3;
  span->attributes = AttributeList(AttributeLimits{.count_max = 0});
  span->attributes.set("lost", 1);
  SpanLink link{SpanContext{span->context.trace_id, *parse_span_id("0000000000000003"), {}, nullptr, false}, {}};
  span->links.push_back(link);
  span->scope_name = "s";
  const auto json = encode_otlp_json(batch_of(std::move(span)));
  EXPECT_EQ(json,
            R"({"resourceSpans":[{"resource":{},"scopeSpans":[{"scope":{"name":"s"},"spans":[{)"
            R"("traceId":"00000000000000000000000000000001","spanId":"0000000000000002",)"
            R"("traceState":"rojo=1","name":"root","kind":1,)"
            R"("startTimeUnixNano":"1704067200000000000","endTimeUnixNano":"1704067200000000000",)"
            R"("droppedAttributesCount":1,"droppedEventsCount":3,)"
            R"("links":[{"traceId":"00000000000000000000000000000001","spanId":"0000000000000003"}],)"
            R"("status":{}}]}]}]})");
}

TEST(OtlpJson, SpansAreGroupedByResourceThenScopeInFirstSeenOrder) {
  const auto kv = Resource::make("kv");
  const auto raft = Resource::make("raft");
  std::vector<std::unique_ptr<SpanData>> batch;
  for (const auto& [resource, scope] : std::vector<std::pair<std::shared_ptr<const Resource>, std::string>>{
           {kv, "a"}, {raft, "a"}, {kv, "b"}, {kv, "a"}}) {
    auto span = server_span(resource);
    span->scope_name = scope;
    batch.push_back(std::move(span));
  }
  const auto json = nlohmann::json::parse(encode_otlp_json(batch));
  const auto& resources = json["resourceSpans"];
  ASSERT_EQ(resources.size(), 2u);
  EXPECT_EQ(resources[0]["resource"]["attributes"][0]["value"]["stringValue"], "kv");
  ASSERT_EQ(resources[0]["scopeSpans"].size(), 2u);
  EXPECT_EQ(resources[0]["scopeSpans"][0]["scope"]["name"], "a");
  EXPECT_EQ(resources[0]["scopeSpans"][0]["spans"].size(), 2u);
  EXPECT_EQ(resources[0]["scopeSpans"][1]["scope"]["name"], "b");
  EXPECT_EQ(resources[1]["scopeSpans"][0]["spans"].size(), 1u);
}

TEST(OtlpJson, HostileStringsStayValidJson) {
  auto span = server_span(Resource::make("kv"));
  span->name = std::string("quote\" backslash\\ newline\n nul\0 bell\x07 bad\xff utf8 \xc3\xa9", 47);
  span->attributes.set("nan", std::nan(""));
  span->attributes.set("inf", -std::numeric_limits<double>::infinity());
  const auto text = encode_otlp_json(batch_of(std::move(span)));
  const auto json = nlohmann::json::parse(text);
  const auto& parsed = json["resourceSpans"][0]["scopeSpans"][0]["spans"][0];
  EXPECT_EQ(parsed["name"], std::string("quote\" backslash\\ newline\n nul\0 bell\x07 bad\xef\xbf\xbd utf8 \xc3\xa9", 49));
  EXPECT_NE(text.find(R"({"doubleValue":"NaN"})"), std::string::npos);
  EXPECT_NE(text.find(R"({"doubleValue":"-Infinity"})"), std::string::npos);
}

TEST(ZipkinJson, ASpanIsEncodedAsZipkinV2) {
  const auto batch = batch_of(server_span(Resource::make("kv", "node-1")));
  const std::string expected =
      R"([{"traceId":"4bf92f3577b34da6a3ce929d0e0e4736","id":"00f067aa0ba902b7",)"
      R"("parentId":"53995c3f42cd8ad8","kind":"SERVER","name":"GET /v3/kv/range",)"
      R"("timestamp":1704067200000000,"duration":1500,"localEndpoint":{"serviceName":"kv"},)"
      R"("annotations":[{"timestamp":1704067200000250,"value":"\"retry\":{\"attempt\":2}"}],)"
      R"("tags":{"http.request.method":"GET","http.response.status_code":"200","retry":"true",)"
      R"("ratio":"0.5","nodes":"[1,2]","otel.status_code":"ERROR","error":"upstream timeout",)"
      R"("otel.scope.name":"faultline.kv"}}])";
  EXPECT_EQ(encode_zipkin_json(batch), expected);
  EXPECT_TRUE(nlohmann::json::accept(expected));
}

TEST(ZipkinJson, InternalSpansHaveNoKindAndAtLeastAMicrosecond) {
  auto span = server_span(Resource::make("kv"));
  span->kind = SpanKind::internal;
  span->parent_span_id = SpanId{};
  span->end_time = span->start_time + 200ns;
  span->events.clear();
  span->events.push_back(SpanEvent{"plain", kT0, {}});
  span->status = SpanStatus{SpanStatusCode::ok, ""};
  const auto json = nlohmann::json::parse(encode_zipkin_json(batch_of(std::move(span))));
  EXPECT_FALSE(json[0].contains("kind"));
  EXPECT_FALSE(json[0].contains("parentId"));
  EXPECT_EQ(json[0]["duration"], 1);
  EXPECT_EQ(json[0]["annotations"][0]["value"], "plain");
  EXPECT_EQ(json[0]["tags"]["otel.status_code"], "OK");
  EXPECT_FALSE(json[0]["tags"].contains("error"));
}

TEST(FileExporter, EachBatchIsOneOtlpJsonLine) {
  const std::string path = ::testing::TempDir() + "/faultline_file_exporter_test.jsonl";
  std::remove(path.c_str());
  auto exporter = *FileExporter::open(path);
  const auto first = batch_of(server_span(Resource::make("kv")));
  const auto second = batch_of(server_span(Resource::make("raft")));
  ASSERT_TRUE(exporter->export_spans(first, TimePoint{}).ok());
  ASSERT_TRUE(exporter->export_spans(second, TimePoint{}).ok());
  ASSERT_TRUE(exporter->shutdown().ok());
  EXPECT_EQ(exporter->export_spans(first, TimePoint{}).code(), StatusCode::failed_precondition);

  std::ifstream in(path);
  std::string line;
  std::vector<std::string> lines;
  while (std::getline(in, line)) lines.push_back(line);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0], encode_otlp_json(first));
  EXPECT_EQ(lines[1], encode_otlp_json(second));
}

TEST(FileExporter, AnUnopenablePathIsAClearError) {
  const auto exporter = FileExporter::open("/nonexistent-dir/traces.jsonl");
  ASSERT_FALSE(exporter.ok());
  EXPECT_EQ(exporter.status().code(), StatusCode::unavailable);
  EXPECT_NE(exporter.status().message().find("/nonexistent-dir/traces.jsonl"), std::string_view::npos);
}

}  // namespace
}  // namespace faultline::tracing
