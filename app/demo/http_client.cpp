// The HTTP client's Beast code. Each get() runs a private io_context on the
// calling thread: the caller blocks, yet connect, write and read stay
// asynchronous underneath, so a deadline timer or a stop request can close
// the socket and abort whichever step is pending.
#include "demo/http_client.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>

#include "faultline/core/asio.hpp"
#include "faultline/core/assert.hpp"
#include "faultline/core/http_status.hpp"
#include "faultline/tracing/beast_propagation.hpp"

#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace faultline::demo {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;
using boost::system::error_code;

constexpr std::uint32_t kHeaderBytesMax = 8 * 1024;

enum class Stage { connecting, sending, receiving, done };

// What one exchange produced; filled on the io_context's (calling) thread.
struct Exchange {
  Stage stage = Stage::connecting;
  error_code error;
  bool cancelled = false;  // stop was requested before the exchange finished
};

std::string milliseconds_text(Duration duration) {
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(duration).count();
  return std::to_string(ms) + " ms";
}

std::string_view stage_text(Stage stage) {
  switch (stage) {
    case Stage::connecting:
      return "connecting";
    case Stage::sending:
      return "sending the request";
    case Stage::receiving:
      return "waiting for the response";
    case Stage::done:
      return "done";
  }
  return "?";
}

// Connect, send, read: each step checks `stopped` first, because a stop that
// arrives between steps finds no pending operation to abort.
net::awaitable<void> run_exchange(beast::tcp_stream& stream, tcp::endpoint endpoint,
                                  const http::request<http::empty_body>& request,
                                  http::response_parser<http::string_body>& parser,
                                  const std::atomic<bool>& stopped, Exchange& exchange) {
  beast::flat_buffer buffer(kHeaderBytesMax);
  error_code& ec = exchange.error;
  if (stopped.load()) co_return;
  co_await stream.async_connect(endpoint, net::redirect_error(net::use_awaitable, ec));
  if (ec || stopped.load()) co_return;
  exchange.stage = Stage::sending;
  co_await http::async_write(stream, request, net::redirect_error(net::use_awaitable, ec));
  if (ec || stopped.load()) co_return;
  exchange.stage = Stage::receiving;
  co_await http::async_read(stream, buffer, parser, net::redirect_error(net::use_awaitable, ec));
  if (!ec) exchange.stage = Stage::done;
}

// Maps a transport failure onto the error model, saying what happened where.
Status transport_status(const Exchange& exchange, const std::string& peer) {
  const error_code& ec = exchange.error;
  const std::string where = " (" + std::string(stage_text(exchange.stage)) + ")";
  if (ec == net::error::connection_refused)
    return Status::unavailable("connection refused by " + peer);
  if (ec == net::error::connection_reset || ec == net::error::broken_pipe) {
    return Status::unavailable("connection reset by " + peer + where);
  }
  if (ec == http::error::end_of_stream) {
    return Status::unavailable(peer + " closed the connection without answering");
  }
  if (ec == http::error::partial_message) {
    return Status::unavailable(peer + " closed the connection mid-response");
  }
  if (ec == http::error::body_limit || ec == http::error::header_limit) {
    return Status::unavailable("response from " + peer + " is too large: " + ec.message());
  }
  if (ec.category() ==
      make_error_code(http::error::end_of_stream).category()) {  // other parse errors
    return Status::unavailable("malformed response from " + peer + ": " + ec.message());
  }
  return Status::unavailable("request to " + peer + " failed" + where + ": " + ec.message());
}

http::request<http::empty_body> make_request(std::string_view target, const std::string& peer,
                                             const std::string& client_name, RequestTag tag) {
  http::request<http::empty_body> request(http::verb::get, std::string(target), 11);
  request.set(http::field::host, peer);
  request.set(http::field::user_agent, "faultline-demo");
  request.set("X-Faultline-Client", client_name);
  request.set("X-Request-Id", std::to_string(tag.request_id));
  request.set("X-Attempt", std::to_string(tag.attempt));
  // Inside a traced attempt, the service learns which span called it.
  tracing::inject_current_trace_context(request);
  request.keep_alive(false);
  return request;
}

// A complete response: the reply for 2xx, otherwise its status in the
// error model with the Retry-After hint attached.
Result<HttpReply> response_outcome(const http::response<http::string_body>& response,
                                   const std::string& peer) {
  const int code = static_cast<int>(response.result_int());
  if (code >= 200 && code < 300) return HttpReply{code, response.body()};
  Status status = status_from_http(code, "HTTP " + std::to_string(code) + " from " + peer);
  if (const auto hint = response.find(http::field::retry_after); hint != response.end()) {
    // The wall clock is read only to interpret an HTTP-date Retry-After.
    const std::string_view value(hint->value().data(), hint->value().size());
    if (const auto delay = parse_retry_after(value, std::chrono::system_clock::now())) {
      status.with_retry_after(*delay);
    }
  }
  return status;
}

}  // namespace

HttpClient::HttpClient(HttpClientConfig config, const Clock& clock)
    : config_(std::move(config)), clock_(clock) {
  FAULTLINE_ASSERT(config_.timeout_max > Duration::zero(), "timeout_max must be positive");
}

Result<HttpReply> HttpClient::get(std::string_view target, TimePoint deadline, std::stop_token stop,
                                  RequestTag tag) const {
  const std::string peer = config_.host + ":" + std::to_string(config_.port);
  if (stop.stop_requested())
    return Status::cancelled("request to " + peer + " cancelled before it started");
  const TimePoint start = clock_.now();
  const Duration budget = std::min(
      deadline == TimePoint::max() ? Duration::max() : deadline - start, config_.timeout_max);
  if (budget <= Duration::zero()) {
    return Status::deadline_exceeded("deadline passed before the request to " + peer + " started");
  }
  error_code ec;
  const auto address = net::ip::make_address_v4(config_.host, ec);
  if (ec) return Status::invalid_argument("not an IPv4 address: " + config_.host);

  const auto request = make_request(target, peer, config_.client_name, tag);
  http::response_parser<http::string_body> parser;
  parser.header_limit(kHeaderBytesMax);
  parser.body_limit(config_.body_bytes_max);

  // Declaration order is destruction order in reverse: the stop callback
  // goes first, so it can never post to a destroyed io_context.
  net::io_context io(1);
  beast::tcp_stream stream(io);
  std::atomic<bool> stopped{false};
  Exchange exchange;
  std::stop_callback on_stop(stop, [&] {
    stopped.store(true);
    // Runs on the requesting thread; the socket belongs to the io thread.
    net::post(io, [&stream] {
      error_code ignored;
      stream.socket().close(ignored);
    });
  });
  stream.expires_after(std::chrono::duration_cast<std::chrono::steady_clock::duration>(budget));
  net::co_spawn(io,
                run_exchange(stream, tcp::endpoint(address, config_.port), request, parser, stopped,
                             exchange),
                net::detached);
  io.run();

  if (exchange.stage == Stage::done) return response_outcome(parser.get(), peer);
  const Duration waited = clock_.now() - start;
  if (stopped.load()) {
    if (clock_.now() >= deadline) {
      return Status::deadline_exceeded("request to " + peer + " abandoned at its deadline after " +
                                       milliseconds_text(waited));
    }
    return Status::cancelled("request to " + peer + " cancelled after " +
                             milliseconds_text(waited));
  }
  if (exchange.error == beast::error::timeout) {
    return Status::deadline_exceeded("no answer from " + peer + " within " +
                                     milliseconds_text(budget) + " (" +
                                     std::string(stage_text(exchange.stage)) + ")");
  }
  return transport_status(exchange, peer);
}

}  // namespace faultline::demo
