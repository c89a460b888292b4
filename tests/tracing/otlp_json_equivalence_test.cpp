// The tuned OTLP/JSON encoder writes byte for byte what the original one
// wrote (otlp_json_reference.hpp), on generated batches that reach every
// branch: strings needing every kind of escape and invalid UTF-8, every
// attribute type (arrays, NaN, extreme integers), events, links with
// tracestate and flags, each status, dropped counts, several resources and
// scopes, and the empty batch.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "faultline/core/random.hpp"
#include "faultline/tracing/file_exporter.hpp"
#include "faultline/tracing/otlp_json.hpp"
#include "otlp_json_reference.hpp"

namespace faultline::tracing {
namespace {

using namespace std::chrono_literals;

std::string reference_encoding(SpanBatch batch) {
  std::string out;
  reference::append_otlp_json(out, batch);
  return out;
}

// Pieces a generated string is made of: plain text, each escape, valid
// multi-byte UTF-8, and byte sequences that are not UTF-8.
const std::vector<std::string> kPieces = {
    "GET /v3/kv/range", "a", "", "\"", "\\", "\n", "\r", "\t", std::string(1, '\0'), "\x01", "\x1f", "\x7f",
    "/", "é", "€", "𝄞", "\xff", "\xc0\xaf", "\xe0\x80\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xe2\x82",
    "\xc3", "x\xf0\x9f\x98", "long text without anything to escape in it at all, long enough to be a run"};

class Generator {
 public:
  explicit Generator(std::uint64_t seed) : random_(seed) {}

  std::string text() {
    std::string out;
    const auto pieces = random_.uniform(5);
    for (std::uint64_t i = 0; i < pieces; ++i) out += kPieces[random_.uniform(kPieces.size())];
    return out;
  }

  double number() {
    switch (random_.uniform(6)) {
      case 0: return std::numeric_limits<double>::quiet_NaN();
      case 1: return std::numeric_limits<double>::infinity();
      case 2: return -std::numeric_limits<double>::infinity();
      case 3: return 0.1;
      case 4: return -1e300;
      default: return random_.uniform_unit() * 1e6 - 5e5;
    }
  }

  std::int64_t integer() {
    switch (random_.uniform(4)) {
      case 0: return std::numeric_limits<std::int64_t>::min();
      case 1: return std::numeric_limits<std::int64_t>::max();
      case 2: return -static_cast<std::int64_t>(random_.uniform(1000));
      default: return static_cast<std::int64_t>(random_.next_u64() >> 1);
    }
  }

  AttributeValue value() {
    const auto count = random_.uniform(4);
    switch (random_.uniform(8)) {
      case 0: return text();
      case 1: return random_.uniform(2) == 0;
      case 2: return integer();
      case 3: return number();
      case 4: {
        std::vector<std::string> values;
        for (std::uint64_t i = 0; i < count; ++i) values.push_back(text());
        return values;
      }
      case 5: {
        std::vector<bool> values;
        for (std::uint64_t i = 0; i < count; ++i) values.push_back(random_.uniform(2) == 0);
        return values;
      }
      case 6: {
        std::vector<std::int64_t> values;
        for (std::uint64_t i = 0; i < count; ++i) values.push_back(integer());
        return values;
      }
      default: {
        std::vector<double> values;
        for (std::uint64_t i = 0; i < count; ++i) values.push_back(number());
        return values;
      }
    }
  }

  // Small limits so that some lists drop (and count) attributes.
  AttributeList attributes() {
    AttributeList list(AttributeLimits{random_.uniform(4) + 1, 1000});
    const auto count = random_.uniform(6);
    for (std::uint64_t i = 0; i < count; ++i) list.set_value(random_.uniform(8) == 0 ? "" : text() + "k", value());
    return list;
  }

  template <class IdType>
  IdType id() {
    IdType id;
    if (random_.uniform(8) == 0) return id;  // invalid: all zero
    for (auto& byte : id.bytes) byte = static_cast<std::uint8_t>(random_.uniform(256));
    return id;
  }

  SpanContext context() {
    SpanContext context;
    context.trace_id = id<TraceId>();
    context.span_id = id<SpanId>();
    context.flags = TraceFlags{static_cast<std::uint8_t>(random_.uniform(2))};
    if (random_.uniform(3) == 0) {
      TraceState state;
      (void)state.put("vendor" + std::to_string(random_.uniform(10)), "v" + std::to_string(random_.uniform(100)));
      if (random_.uniform(2) == 0) (void)state.put("faultline", "r:3");
      context.trace_state = std::make_shared<const TraceState>(std::move(state));
    }
    return context;
  }

  WallTimePoint time() {
    if (random_.uniform(10) == 0) return WallTimePoint(-1s);  // before the epoch: written as 0
    return WallTimePoint(std::chrono::nanoseconds(static_cast<std::int64_t>(random_.next_u64() >> 2)));
  }

  std::unique_ptr<SpanData> span(const std::vector<std::shared_ptr<const Resource>>& resources) {
    auto span = std::make_unique<SpanData>();
    span->context = context();
    span->parent_span_id = id<SpanId>();
    span->name = text();
    span->kind = static_cast<SpanKind>(1 + random_.uniform(5));
    span->start_time = time();
    span->end_time = time();
    span->attributes = attributes();
    for (auto events = random_.uniform(3); events > 0; --events) {
      span->events.push_back(SpanEvent{text(), time(), attributes()});
    }
    if (random_.uniform(4) == 0) span->dropped_events = static_cast<std::uint32_t>(random_.uniform(5));
    for (auto links = random_.uniform(3); links > 0; --links) span->links.push_back(SpanLink{context(), attributes()});
    if (random_.uniform(4) == 0) span->dropped_links = static_cast<std::uint32_t>(random_.uniform(5));
    span->status.code = static_cast<SpanStatusCode>(random_.uniform(3));
    if (random_.uniform(2) == 0) span->status.description = text();
    span->resource = resources[random_.uniform(resources.size())];
    span->scope_name = random_.uniform(3) == 0 ? "other.scope" : "faultline";
    return span;
  }

  std::vector<std::shared_ptr<const Resource>> resources() {
    std::vector<std::shared_ptr<const Resource>> resources{Resource::make("kv", "node-1", "host-\"a\""), nullptr};
    auto with_dropped = std::make_shared<Resource>();
    with_dropped->attributes = attributes();
    resources.push_back(std::move(with_dropped));
    resources.push_back(std::make_shared<const Resource>());
    return resources;
  }

  Random& random() { return random_; }

 private:
  Random random_;
};

TEST(OtlpJsonEquivalence, TheTunedEncoderWritesWhatTheReferenceWrote) {
  Generator generate(2026);
  for (int round = 0; round < 300; ++round) {
    auto resources = generate.resources();
    // Some batches share one resource and scope (the encoder's fast path),
    // the others mix them.
    if (round % 2 == 0) resources.resize(1);
    std::vector<std::unique_ptr<SpanData>> batch;
    const auto size = generate.random().uniform(8);
    for (std::uint64_t i = 0; i < size; ++i) {
      batch.push_back(generate.span(resources));
      if (round % 2 == 0) batch.back()->scope_name = "faultline";
    }
    const SpanBatch spans(batch.data(), batch.size());
    const std::string expected = reference_encoding(spans);
    ASSERT_EQ(encode_otlp_json(spans), expected) << "round " << round;
    std::string appended = "prefix";
    append_otlp_json(appended, spans);
    ASSERT_EQ(appended, "prefix" + expected) << "round " << round;
  }
}

TEST(OtlpJsonEquivalence, TheGeneratorReachesTheBranchesItClaims) {
  // Guards the test above against a generator that silently stopped
  // producing the hard cases.
  Generator generate(2026);
  std::string all;
  for (int round = 0; round < 50; ++round) {
    auto resources = generate.resources();
    std::vector<std::unique_ptr<SpanData>> batch;
    for (int i = 0; i < 4; ++i) batch.push_back(generate.span(resources));
    all += reference_encoding(SpanBatch(batch.data(), batch.size()));
  }
  for (const char* needle : {"\\\"", "\\\\", "\\n", "\\r", "\\t", "\\u0000", "\\u001f", "\xef\xbf\xbd", "𝄞",
                             "\"NaN\"", "\"-Infinity\"", "\"-9223372036854775808\"", "arrayValue", "boolValue",
                             "\"events\"", "\"links\"", "traceState", "droppedAttributesCount",
                             "droppedEventsCount", "droppedLinksCount", "\"message\"", "\"code\":2",
                             "\"parentSpanId\"", "other.scope", "\"resource\":{}"}) {
    EXPECT_NE(all.find(needle), std::string::npos) << needle;
  }
}

TEST(OtlpJsonEquivalence, TheFileExporterWritesTheSameLines) {
  Generator generate(7);
  const auto resources = generate.resources();
  const auto path = ::testing::TempDir() + "otlp_json_equivalence.jsonl";
  std::remove(path.c_str());
  std::string expected;
  {
    auto exporter = *FileExporter::open(path);
    for (int round = 0; round < 20; ++round) {
      std::vector<std::unique_ptr<SpanData>> batch;
      for (int i = 0; i < 1 + round % 5; ++i) batch.push_back(generate.span(resources));
      const SpanBatch spans(batch.data(), batch.size());
      expected += reference_encoding(spans) + "\n";
      ASSERT_TRUE(exporter->export_spans(spans, TimePoint{}).ok());
    }
  }
  std::FILE* file = std::fopen(path.c_str(), "rb");
  ASSERT_NE(file, nullptr);
  std::string written;
  char chunk[4096];
  for (std::size_t n; (n = std::fread(chunk, 1, sizeof chunk, file)) > 0;) written.append(chunk, n);
  std::fclose(file);
  std::remove(path.c_str());
  EXPECT_EQ(written, expected);
}

}  // namespace
}  // namespace faultline::tracing
