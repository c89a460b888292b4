// A trace crossing a real HTTP hop in one process: a Beast client on the
// test thread, a Beast server on its own thread (127.0.0.1, port 0), the
// context carried by beast_propagation.hpp.
#include "faultline/core/asio.hpp"

#include <gtest/gtest.h>

#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <thread>

#include "faultline/tracing/beast_propagation.hpp"
#include "faultline/tracing/current_context.hpp"
#include "tracing/tracer_fixture.hpp"

namespace faultline::tracing {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;

// Serves exactly one request: extracts the context, runs a server span with
// an internal child, answers 200 with the server span's id in the body.
class OneRequestServer {
 public:
  explicit OneRequestServer(Tracer& tracer) : tracer_(tracer) {
    thread_ = std::thread([this] { serve(); });
  }
  ~OneRequestServer() { join(); }
  void join() {
    if (thread_.joinable()) thread_.join();
  }
  [[nodiscard]] std::uint16_t port() const { return acceptor_.local_endpoint().port(); }
  // Read after join().
  ExtractedTraceContext extracted;

 private:
  void serve() {
    beast::error_code ec;
    tcp::socket socket(io_);
    acceptor_.accept(socket, ec);
    if (ec) return;
    beast::flat_buffer buffer;
    http::request<http::string_body> request;
    http::read(socket, buffer, request, ec);
    if (ec) return;
    extracted = extract_trace_context(request);
    Span server = tracer_.start_span("GET /items", {.kind = SpanKind::server, .parent = &extracted.context});
    {
      const ContextScope scope(server.context());
      Span lookup = tracer_.start_span("items.lookup");
    }
    http::response<http::string_body> response{http::status::ok, 11};
    response.body() = to_hex(server.context().span_id);
    response.keep_alive(false);
    response.prepare_payload();
    server.end();
    http::write(socket, response, ec);
    socket.shutdown(tcp::socket::shutdown_both, ec);
  }

  Tracer& tracer_;
  net::io_context io_;
  tcp::acceptor acceptor_{io_, {net::ip::make_address_v4("127.0.0.1"), 0}};
  std::thread thread_;
};

std::string get_items(std::uint16_t port, const SpanContext* context) {
  net::io_context io;
  tcp::socket socket(io);
  socket.connect({net::ip::make_address_v4("127.0.0.1"), port});
  http::request<http::empty_body> request{http::verb::get, "/items", 11};
  request.set(http::field::host, "127.0.0.1");
  if (context) inject_trace_context(*context, request);
  http::write(socket, request);
  beast::flat_buffer buffer;
  http::response<http::string_body> response;
  http::read(socket, buffer, response);
  return response.body();
}

const SpanData& named(const std::vector<std::unique_ptr<SpanData>>& spans, std::string_view name) {
  for (const auto& span : spans) {
    if (span->name == name) return *span;
  }
  ADD_FAILURE() << "no span named " << name;
  return *spans.front();
}

struct TwoServices : testing::TracerFixture {
  Tracer server_tracer{clock, random, sampler, processor,
                       TracerConfig{.scope_name = "server", .resource = Resource::make("items-service")}};
};

TEST(HttpTraceCrossing, TheServerSpanIsAChildOfTheClientSpanAcrossARealSocket) {
  TwoServices services;
  OneRequestServer server(services.server_tracer);
  std::string server_span_hex;
  Span root = services.tracer.start_span("checkout");
  {
    const ContextScope in_root(root.context());
    Span client = services.tracer.start_span("GET /items", {.kind = SpanKind::client});
    server_span_hex = get_items(server.port(), &client.context());
  }
  root.end();
  server.join();
  const auto spans = services.finished();
  ASSERT_EQ(spans.size(), 4u);
  const SpanData& checkout = named(spans, "checkout");
  const SpanData& lookup = named(spans, "items.lookup");
  const SpanData* client = nullptr;
  const SpanData* server_span = nullptr;
  for (const auto& span : spans) {
    if (span->name == "GET /items" && span->kind == SpanKind::client) client = span.get();
    if (span->name == "GET /items" && span->kind == SpanKind::server) server_span = span.get();
  }
  ASSERT_NE(client, nullptr);
  ASSERT_NE(server_span, nullptr);
  // One trace across the hop, parent ids as the calls nested.
  for (const auto& span : spans) EXPECT_EQ(span->context.trace_id, checkout.context.trace_id) << span->name;
  EXPECT_FALSE(checkout.parent_span_id.valid());
  EXPECT_EQ(client->parent_span_id, checkout.context.span_id);
  EXPECT_EQ(server_span->parent_span_id, client->context.span_id);
  EXPECT_EQ(lookup.parent_span_id, server_span->context.span_id);
  EXPECT_EQ(to_hex(server_span->context.span_id), server_span_hex);
  EXPECT_NE(server_span->context.span_id, client->context.span_id);
  EXPECT_TRUE(server.extracted.context.remote);
  EXPECT_EQ(server_span->resource->service_name(), "items-service");
}

TEST(HttpTraceCrossing, ARequestWithoutContextStartsANewTraceOnTheServer) {
  TwoServices services;
  OneRequestServer server(services.server_tracer);
  (void)get_items(server.port(), nullptr);
  server.join();
  const auto spans = services.finished();
  ASSERT_EQ(spans.size(), 2u);
  const SpanData& server_span = named(spans, "GET /items");
  EXPECT_EQ(server.extracted.status.code(), StatusCode::not_found);
  EXPECT_FALSE(server_span.parent_span_id.valid());
  EXPECT_TRUE(server_span.context.trace_id.valid());
}

}  // namespace
}  // namespace faultline::tracing
