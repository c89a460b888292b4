#include "w3c_service.hpp"

#include "faultline/core/asio.hpp"

#include <atomic>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <charconv>
#include <nlohmann/json.hpp>
#include <optional>
#include <string_view>
#include <thread>
#include <vector>

#include "faultline/tracing/beast_propagation.hpp"
#include "faultline/tracing/current_context.hpp"

namespace faultline::examples {

namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;
using Response = http::response<http::string_body>;

constexpr std::uint32_t kHeaderBytesMax = 16 * 1024;
constexpr std::size_t kForwardResponseBytesMax = 64 * 1024;

struct HttpUrl {
  std::string host;
  std::uint16_t port = 80;
  std::string target = "/";
};

// http://host[:port][/path]: all the suite sends. Anything else (https,
// user info, an empty host, a bad port) is refused with the reason.
Result<HttpUrl> parse_http_url(std::string_view url) {
  constexpr std::string_view kScheme = "http://";
  if (url.substr(0, kScheme.size()) != kScheme) {
    return Status::invalid_argument("url '" + std::string(url) + "' is not an http:// URL");
  }
  std::string_view rest = url.substr(kScheme.size());
  const auto slash = rest.find('/');
  const std::string_view authority = rest.substr(0, slash);
  HttpUrl parsed;
  if (slash != std::string_view::npos) parsed.target = std::string(rest.substr(slash));
  const auto colon = authority.rfind(':');
  std::string_view host = authority.substr(0, colon);
  if (colon != std::string_view::npos) {
    const std::string_view port = authority.substr(colon + 1);
    unsigned value = 0;
    const auto [end, error] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (error != std::errc() || end != port.data() + port.size() || value == 0 || value > 65535) {
      return Status::invalid_argument("url '" + std::string(url) + "' has an invalid port");
    }
    parsed.port = static_cast<std::uint16_t>(value);
  }
  if (host.empty() || host.find('@') != std::string_view::npos) {
    return Status::invalid_argument("url '" + std::string(url) + "' has no usable host");
  }
  parsed.host = std::string(host);
  return parsed;
}

struct Forward {
  HttpUrl url;
  std::string url_text;
  std::string body;  // `arguments`, as JSON
};

// The suite's body, checked whole before anything is sent.
Result<std::vector<Forward>> parse_test_body(const std::string& body) {
  const auto json = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded()) return Status::invalid_argument("the body is not JSON");
  if (!json.is_array()) return Status::invalid_argument("the body must be a JSON array of {url, arguments}");
  std::vector<Forward> forwards;
  for (std::size_t i = 0; i < json.size(); ++i) {
    const auto& element = json[i];
    const std::string where = "element " + std::to_string(i) + ": ";
    if (!element.is_object()) return Status::invalid_argument(where + "not an object");
    const auto url = element.find("url");
    if (url == element.end() || !url->is_string()) {
      return Status::invalid_argument(where + "\"url\" must be a string");
    }
    const auto arguments = element.find("arguments");
    if (arguments == element.end() || !arguments->is_array()) {
      return Status::invalid_argument(where + "\"arguments\" must be an array");
    }
    auto parsed = parse_http_url(url->get<std::string>());
    if (!parsed.ok()) return Status::invalid_argument(where + std::string(parsed.status().message()));
    forwards.push_back(Forward{std::move(*parsed), url->get<std::string>(), arguments->dump()});
  }
  return forwards;
}

Response text_response(http::status status, std::string text) {
  Response response{status, 11};
  response.set(http::field::server, "faultline-w3c-service");
  response.set(http::field::content_type, "text/plain");
  response.keep_alive(false);
  response.body() = std::move(text) + "\n";
  response.prepare_payload();
  return response;
}

// One POST with the calling thread's current context; Ok for any 2xx.
Status post(const Forward& forward, std::chrono::milliseconds timeout) {
  net::io_context io(1);
  beast::error_code ec;
  tcp::resolver resolver(io);
  const auto endpoints = resolver.resolve(forward.url.host, std::to_string(forward.url.port), ec);
  if (ec) return Status::unavailable("cannot resolve " + forward.url.host + ": " + ec.message());

  http::request<http::string_body> request{http::verb::post, forward.url.target, 11};
  request.set(http::field::host, forward.url.host + ":" + std::to_string(forward.url.port));
  request.set(http::field::content_type, "application/json");
  request.set(http::field::user_agent, "faultline-w3c-service");
  request.keep_alive(false);
  request.body() = forward.body;
  request.prepare_payload();
  tracing::inject_current_trace_context(request);

  beast::tcp_stream stream(io);
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(kForwardResponseBytesMax);
  std::string failure;
  int status = 0;
  stream.expires_after(timeout);
  stream.async_connect(endpoints, [&](beast::error_code error, const tcp::endpoint&) {
    if (error) return void(failure = "connect: " + error.message());
    http::async_write(stream, request, [&](beast::error_code error, std::size_t) {
      if (error) return void(failure = "send: " + error.message());
      http::async_read(stream, buffer, parser, [&](beast::error_code error, std::size_t) {
        if (error) return void(failure = "receive: " + error.message());
        status = static_cast<int>(parser.get().result_int());
      });
    });
  });
  io.run();
  stream.socket().close(ec);
  if (!failure.empty()) return Status::unavailable("POST " + forward.url_text + ": " + failure);
  if (status < 200 || status > 299) {
    return Status::unavailable("POST " + forward.url_text + ": answered " + std::to_string(status));
  }
  return Status();
}

}  // namespace

struct W3cService::Impl {
  Impl(W3cServiceConfig config_in, tracing::Tracer& tracer_in)
      : config(std::move(config_in)), tracer(tracer_in), workers(config.workers) {}

  void accept_next();
  void serve(std::shared_ptr<net::io_context> io, tcp::socket socket);
  Response answer(const http::request<http::string_body>& request);

  const W3cServiceConfig config;
  tracing::Tracer& tracer;
  std::atomic<std::size_t> busy{0};
  net::io_context io{1};
  tcp::acceptor acceptor{io};
  std::uint16_t port = 0;
  bool stopped = false;
  net::thread_pool workers;
  std::thread thread;
};

void W3cService::Impl::accept_next() {
  // Each connection gets an io_context of its own, run by the worker that
  // serves it: reads and forwards block that worker only.
  auto connection_io = std::make_shared<net::io_context>(1);
  acceptor.async_accept(*connection_io, [this, connection_io](beast::error_code ec, tcp::socket socket) {
    if (ec == net::error::operation_aborted || !acceptor.is_open()) return;
    if (!ec) {
      if (busy.fetch_add(1) >= config.workers) {
        busy.fetch_sub(1);
        beast::error_code ignored;
        http::write(socket, text_response(http::status::service_unavailable, "every worker is busy"), ignored);
        socket.close(ignored);
      } else {
        net::post(workers, [this, connection_io, socket = std::move(socket)]() mutable {
          serve(connection_io, std::move(socket));
          busy.fetch_sub(1);
        });
      }
    }
    accept_next();
  });
}

void W3cService::Impl::serve(std::shared_ptr<net::io_context> connection_io, tcp::socket socket) {
  beast::tcp_stream stream(std::move(socket));
  beast::flat_buffer buffer;
  http::request_parser<http::string_body> parser;
  parser.header_limit(kHeaderBytesMax);
  parser.body_limit(config.body_bytes_max);
  beast::error_code read_error;
  stream.expires_after(config.read_timeout);
  http::async_read(stream, buffer, parser, [&](beast::error_code error, std::size_t) { read_error = error; });
  connection_io->run();
  connection_io->restart();
  std::optional<Response> response;
  if (read_error == http::error::body_limit) {
    response = text_response(http::status::payload_too_large,
                             "body over " + std::to_string(config.body_bytes_max) + " bytes");
  } else if (read_error) {
    return;  // no complete request: nothing to answer
  } else {
    response = answer(parser.get());
  }
  stream.expires_after(config.read_timeout);
  http::async_write(stream, *response, [](beast::error_code, std::size_t) {});
  connection_io->run();
  beast::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
}

Response W3cService::Impl::answer(const http::request<http::string_body>& request) {
  if (request.target() != "/test") return text_response(http::status::not_found, "only /test is served");
  if (request.method() != http::verb::post) {
    Response response = text_response(http::status::method_not_allowed, "POST /test only");
    response.set(http::field::allow, "POST");
    return response;
  }
  // The incoming context, if valid, is the parent; otherwise a new trace.
  const tracing::ExtractedTraceContext incoming = tracing::extract_trace_context(request);
  tracing::Span server =
      tracer.start_span("POST /test", {.kind = tracing::SpanKind::server, .parent = &incoming.context});
  const auto forwards = parse_test_body(request.body());
  if (!forwards.ok()) {
    server.set_status(tracing::SpanStatusCode::error, forwards.status().message());
    return text_response(http::status::bad_request, std::string(forwards.status().message()));
  }
  const tracing::ContextScope scope(server.context());
  for (std::size_t i = 0; i < forwards->size(); ++i) {
    const Forward& forward = (*forwards)[i];
    tracing::Span client = tracer.start_span("POST " + forward.url.target, {.kind = tracing::SpanKind::client});
    client.set_attribute("url.full", forward.url_text);
    const tracing::ContextScope in_client(client.context());
    if (Status status = post(forward, config.forward_timeout); !status.ok()) {
      client.set_status(tracing::SpanStatusCode::error, status.message());
      server.set_status(tracing::SpanStatusCode::error, status.message());
      return text_response(http::status::bad_gateway,
                           "element " + std::to_string(i) + ": " + std::string(status.message()));
    }
  }
  return text_response(http::status::ok, "forwarded " + std::to_string(forwards->size()));
}

Result<std::unique_ptr<W3cService>> W3cService::start(W3cServiceConfig config, tracing::Tracer& tracer) {
  if (config.workers == 0) return Status::invalid_argument("w3c service: workers must be at least 1");
  beast::error_code ec;
  const auto address = net::ip::make_address_v4(config.host, ec);
  if (ec) return Status::invalid_argument("w3c service: not an IPv4 address: " + config.host);
  auto impl = std::make_unique<Impl>(config, tracer);
  const tcp::endpoint endpoint(address, config.port);
  impl->acceptor.open(endpoint.protocol(), ec);
  if (!ec) impl->acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) impl->acceptor.bind(endpoint, ec);
  if (!ec) impl->acceptor.listen(net::socket_base::max_listen_connections, ec);
  if (ec) {
    return Status::unavailable("w3c service cannot listen on " + config.host + ":" + std::to_string(config.port) +
                               ": " + ec.message());
  }
  impl->port = impl->acceptor.local_endpoint().port();
  impl->accept_next();
  impl->thread = std::thread([io = &impl->io] { io->run(); });
  return std::unique_ptr<W3cService>(new W3cService(std::move(impl)));
}

W3cService::W3cService(std::unique_ptr<Impl> impl) noexcept : impl_(std::move(impl)) {}

W3cService::~W3cService() { stop(); }

std::uint16_t W3cService::port() const noexcept { return impl_->port; }

void W3cService::stop() {
  if (impl_->stopped) return;
  impl_->stopped = true;
  net::post(impl_->io, [impl = impl_.get()] {
    beast::error_code ignored;
    impl->acceptor.close(ignored);
  });
  impl_->thread.join();
  impl_->workers.join();
}

}  // namespace faultline::examples
