#include "socket_probe.hpp"

#include "faultline/core/asio.hpp"

#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <charconv>
#include <optional>
#include <string>

namespace faultline::health::detail {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;

namespace {

constexpr std::uint32_t kHeaderBytesMax = 8 * 1024;

std::string millis(Duration d) {
  return std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(d).count()) + "ms";
}

Status transport_failure(const beast::error_code& error, const char* stage, Duration timeout) {
  if (error == beast::error::timeout) {
    return Status::deadline_exceeded(std::string("no answer within ") + millis(timeout) + " (" + stage + ")");
  }
  return Status::unavailable(std::string(stage) + ": " + error.message());
}

// The Content-Length the parser has already validated; 0 when absent.
// Read from the field rather than parser.content_length(), whose
// boost::optional GCC 12 misreports as uninitialized under ASan.
template <class Message>
std::uint64_t declared_length(const Message& message) {
  const auto field = message[http::field::content_length];
  std::uint64_t length = 0;
  std::from_chars(field.data(), field.data() + field.size(), length);
  return length;
}

tcp::endpoint endpoint_of(const std::string& address, std::uint16_t port) {
  return {net::ip::make_address_v4(address), port};
}

void drop_connection(beast::tcp_stream& stream) {
  beast::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
  stream.close();
}

class HttpSocketProbe final : public SocketProbe, public std::enable_shared_from_this<HttpSocketProbe> {
 public:
  HttpSocketProbe(net::io_context& io, HttpProbe probe, HttpTarget target, Duration timeout)
      : io_(io),
        probe_(std::move(probe)),
        target_(std::move(target)),
        timeout_(timeout),
        stream_(io),
        endpoint_(endpoint_of(target_.address, target_.port)) {
    // Written once: every probe of this endpoint sends the same bytes.
    request_ = "GET " + target_.path + " HTTP/1.1\r\nHost: " + target_.host + ":" + std::to_string(target_.port) +
               "\r\nUser-Agent: faultline-health\r\nAccept: */*\r\nConnection: " +
               (probe_.reuse_connection ? "keep-alive" : "close") + "\r\n\r\n";
  }

  void start(Done done) override {
    net::post(io_, [self = shared_from_this(), done = std::move(done)]() mutable { self->begin(std::move(done)); });
  }
  void close() override {
    net::post(io_, [self = shared_from_this()] { self->drop(); });
  }

 private:
  void begin(Done done) {
    done_ = std::move(done);
    retried_ = false;
    stream_.expires_after(std::chrono::duration_cast<std::chrono::steady_clock::duration>(timeout_));
    if (connected_) {
      reused_ = true;
      send();
    } else {
      connect();
    }
  }

  void connect() {
    reused_ = false;
    buffer_.clear();
    stream_.async_connect(endpoint_, [self = shared_from_this()](beast::error_code error) {
      if (error) return self->fail(error, "connect");
      self->connected_ = true;
      self->send();
    });
  }

  void send() {
    net::async_write(stream_, net::buffer(request_), [self = shared_from_this()](beast::error_code error, std::size_t) {
      if (error) return self->retry_or_fail(error, "send");
      self->receive();
    });
  }

  void receive() {
    parser_.emplace();
    parser_->body_limit(probe_.response_bytes_max);
    parser_->header_limit(kHeaderBytesMax);
    http::async_read_header(stream_, buffer_, *parser_, [self = shared_from_this()](beast::error_code error,
                                                                                     std::size_t) {
      if (error) return self->retry_or_fail(error, "receive");
      // Boost 1.74's parser does not apply body_limit to a Content-Length
      // body under C++20 (its optional comparison misfires), so check here.
      if (declared_length(self->parser_->get()) > self->probe_.response_bytes_max) {
        return self->fail(http::error::body_limit, "receive");
      }
      http::async_read(self->stream_, self->buffer_, *self->parser_,
                       [self](beast::error_code error, std::size_t) {
                         if (error) return self->retry_or_fail(error, "receive");
                         self->judge();
                       });
    });
  }

  // A kept-alive connection the server has since closed fails on first use;
  // that says nothing about the server's health, so try once more on a
  // fresh connection within the same timeout.
  void retry_or_fail(const beast::error_code& error, const char* stage) {
    const bool stale = reused_ && !retried_ && error != beast::error::timeout && buffer_.size() == 0 &&
                       (!parser_ || !parser_->got_some());
    if (stale) {
      retried_ = true;
      close_socket();
      connect();
      return;
    }
    fail(error, stage);
  }

  void fail(const beast::error_code& error, const char* stage) {
    close_socket();
    finish(transport_failure(error, stage, timeout_));
  }

  void judge() {
    const auto& response = parser_->get();
    const int status = static_cast<int>(response.result_int());
    if (probe_.reuse_connection && response.keep_alive()) {
      stream_.expires_never();
    } else {
      close_socket();
    }
    if (status < probe_.status_min || status > probe_.status_max) {
      return finish(Status::unavailable("HTTP " + std::to_string(status) + " from " + probe_.url));
    }
    if (!probe_.body_contains.empty() && response.body().find(probe_.body_contains) == std::string::npos) {
      return finish(Status::unavailable("body of " + probe_.url + " lacks '" + probe_.body_contains + "'"));
    }
    finish(Status());
  }

  void finish(Status status) {
    if (!done_) return;
    auto done = std::move(done_);
    done_ = nullptr;
    done(std::move(status));
  }

  void close_socket() {
    drop_connection(stream_);
    connected_ = false;
    buffer_.clear();
  }

  void drop() { close_socket(); }

  net::io_context& io_;
  HttpProbe probe_;
  HttpTarget target_;
  Duration timeout_;
  beast::tcp_stream stream_;
  tcp::endpoint endpoint_;
  std::string request_;
  beast::flat_buffer buffer_;
  std::optional<http::response_parser<http::string_body>> parser_;
  Done done_;
  bool connected_ = false;
  bool reused_ = false;
  bool retried_ = false;
};

class TcpSocketProbe final : public SocketProbe, public std::enable_shared_from_this<TcpSocketProbe> {
 public:
  TcpSocketProbe(net::io_context& io, const std::string& address, std::uint16_t port, Duration timeout)
      : io_(io), timeout_(timeout), stream_(io), endpoint_(endpoint_of(address, port)) {}

  void start(Done done) override {
    net::post(io_, [self = shared_from_this(), done = std::move(done)]() mutable {
      self->stream_.expires_after(std::chrono::duration_cast<std::chrono::steady_clock::duration>(self->timeout_));
      self->stream_.async_connect(self->endpoint_, [self, done = std::move(done)](beast::error_code error) {
        drop_connection(self->stream_);
        done(error ? transport_failure(error, "connect", self->timeout_) : Status());
      });
    });
  }
  void close() override {
    net::post(io_, [self = shared_from_this()] { drop_connection(self->stream_); });
  }

 private:
  net::io_context& io_;
  Duration timeout_;
  beast::tcp_stream stream_;
  tcp::endpoint endpoint_;
};

}  // namespace

std::shared_ptr<SocketProbe> make_http_probe(net::io_context& io, HttpProbe probe, HttpTarget target,
                                             Duration timeout) {
  return std::make_shared<HttpSocketProbe>(io, std::move(probe), std::move(target), timeout);
}

std::shared_ptr<SocketProbe> make_tcp_probe(net::io_context& io, std::string address, std::uint16_t port,
                                            Duration timeout) {
  return std::make_shared<TcpSocketProbe>(io, address, port, timeout);
}

}  // namespace faultline::health::detail
