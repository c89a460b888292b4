#include "faultline/health/http_server.hpp"

#include "faultline/core/asio.hpp"

#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <charconv>
#include <optional>

namespace faultline::health {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;

namespace {

struct Shared {
  HttpHandler handler;
  HttpServerConfig config;
  std::size_t connections = 0;  // touched on the server thread only
};

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, std::shared_ptr<Shared> shared) : stream_(std::move(socket)), shared_(std::move(shared)) {
    ++shared_->connections;
  }
  ~Session() { --shared_->connections; }

  void read() {
    parser_.emplace();
    parser_->body_limit(shared_->config.request_bytes_max);
    parser_->header_limit(static_cast<std::uint32_t>(std::min<std::size_t>(shared_->config.request_bytes_max, 64 * 1024)));
    stream_.expires_after(std::chrono::duration_cast<std::chrono::steady_clock::duration>(shared_->config.idle_timeout));
    http::async_read_header(stream_, buffer_, *parser_, [self = shared_from_this()](beast::error_code error,
                                                                                     std::size_t) {
      if (error) return self->failed_read(error);
      // Boost 1.74's parser does not apply body_limit to a Content-Length
      // body under C++20 (its optional comparison misfires), so check here.
      const auto field = self->parser_->get()[http::field::content_length];
      std::uint64_t length = 0;  // validated by the parser; read from the field (see socket_probe.cpp)
      std::from_chars(field.data(), field.data() + field.size(), length);
      if (length > self->shared_->config.request_bytes_max) return self->reject(413);
      http::async_read(self->stream_, self->buffer_, *self->parser_, [self](beast::error_code error, std::size_t) {
        if (error) return self->failed_read(error);
        self->answer();
      });
    });
  }

 private:
  void failed_read(const beast::error_code& error) {
    // A request we could not parse gets a 400 before the close; a vanished
    // or idle client just the close.
    const bool gone = error == http::error::end_of_stream || error == beast::error::timeout ||
                      error == net::error::operation_aborted || error == net::error::connection_reset ||
                      error == net::error::eof;
    if (gone) return close();
    reject(error == http::error::body_limit || error == http::error::header_limit ? 413 : 400);
  }

  void answer() {
    const auto& request = parser_->get();
    HttpRequest view{std::string(request.method_string()), std::string(request.target()), request.body()};
    HttpAnswer answer;
    try {
      answer = shared_->handler(view);
    } catch (const std::exception& error) {
      answer = HttpAnswer{500, "text/plain; charset=utf-8", std::string("handler failed: ") + error.what() + "\n"};
    }
    const bool head = request.method() == http::verb::head;
    send(std::move(answer), request.keep_alive(), head, request.version());
  }

  void reject(int status) {
    send(HttpAnswer{status, "text/plain; charset=utf-8", status == 413 ? "request too large\n" : "bad request\n"},
         false, false, 11);
  }

  void send(HttpAnswer answer, bool keep_alive, bool head, unsigned version) {
    if (answer.status < 100 || answer.status > 999) {
      answer = HttpAnswer{500, "text/plain; charset=utf-8", "handler answered an invalid status\n"};
    }
    response_.emplace(static_cast<http::status>(answer.status), version);
    response_->set(http::field::content_type, answer.content_type);
    response_->set(http::field::cache_control, "no-store");
    for (const auto& [name, value] : answer.headers) response_->set(name, value);
    response_->keep_alive(keep_alive);
    // HTTP forbids a body on 1xx, 204 and 304; Beast throws if given one.
    const int status = answer.status;
    const bool bodiless = (status >= 100 && status < 200) || status == 204 || status == 304;
    const std::size_t length = answer.body.size();
    if (!head && !bodiless) response_->body() = std::move(answer.body);
    response_->prepare_payload();
    if (head && !bodiless) response_->content_length(length);
    http::async_write(stream_, *response_, [self = shared_from_this(), keep_alive](beast::error_code error, std::size_t) {
      if (error || !keep_alive) return self->close();
      self->read();
    });
  }

  void close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream_.close();
  }

  beast::tcp_stream stream_;
  std::shared_ptr<Shared> shared_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::optional<http::response<http::string_body>> response_;
};

}  // namespace

struct HttpServer::Loop {
  net::io_context io{1};
  tcp::acceptor acceptor{io};
  std::shared_ptr<Shared> shared;

  void accept() {
    acceptor.async_accept([this](beast::error_code error, tcp::socket socket) {
      if (error) {
        if (error == net::error::operation_aborted || !acceptor.is_open()) return;
        return accept();  // e.g. out of descriptors: keep serving the rest
      }
      if (shared->connections >= shared->config.connections_max) {
        beast::error_code ignored;
        socket.close(ignored);
      } else {
        std::make_shared<Session>(std::move(socket), shared)->read();
      }
      accept();
    });
  }
};

HttpServer::HttpServer(HttpHandler handler, HttpServerConfig config)
    : handler_(std::move(handler)), config_(std::move(config)) {
  port_ = config_.port;
}

HttpServer::~HttpServer() { stop(); }

Status HttpServer::start() {
  if (running_) return Status::failed_precondition("http server: already running");
  beast::error_code ec;
  const auto address = net::ip::make_address(config_.address, ec);
  if (ec) return Status::invalid_argument("http server: not an IP address: '" + config_.address + "'");
  auto loop = std::make_unique<Loop>();
  loop->shared = std::make_shared<Shared>(Shared{handler_, config_, 0});
  const tcp::endpoint endpoint(address, port_.load());
  loop->acceptor.open(endpoint.protocol(), ec);
  if (!ec) loop->acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) loop->acceptor.bind(endpoint, ec);
  if (!ec) loop->acceptor.listen(net::socket_base::max_listen_connections, ec);
  if (ec) {
    return Status::unavailable("http server: cannot listen on " + config_.address + ":" +
                               std::to_string(port_.load()) + ": " + ec.message());
  }
  port_ = loop->acceptor.local_endpoint().port();
  loop->accept();
  loop_ = std::move(loop);
  running_ = true;
  thread_ = std::thread([loop = loop_.get()] { loop->io.run(); });
  return Status();
}

void HttpServer::stop() {
  if (!running_) return;
  loop_->io.stop();
  thread_.join();
  beast::error_code ignored;
  loop_->acceptor.close(ignored);
  // Destroying the io_context destroys the pending handlers, and with them
  // the sessions and their sockets: every connection is closed here.
  loop_.reset();
  running_ = false;
}

std::string HttpServer::base_url() const { return "http://" + config_.address + ":" + std::to_string(port_.load()); }

}  // namespace faultline::health
