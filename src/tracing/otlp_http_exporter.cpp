#include "faultline/tracing/otlp_http_exporter.hpp"

#include "faultline/core/asio.hpp"

#include <algorithm>
#include <optional>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <nlohmann/json.hpp>

#include "faultline/core/http_status.hpp"
#include "faultline/tracing/otlp_json.hpp"

namespace faultline::tracing {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;

struct OtlpHttpExporter::Attempt {
  int http_status = 0;  // 0: no answer (see transport_error)
  std::string transport_error;
  std::string retry_after;
  std::string body;
};

namespace {

// The statuses OTLP/HTTP says to retry.
bool retryable_http_status(int status) { return status == 429 || status == 502 || status == 503 || status == 504; }

std::string collector_name(const OtlpHttpExporterConfig& config) {
  return config.host + ":" + std::to_string(config.port) + config.path;
}

}  // namespace

// The kept connection. Its io_context runs only inside post_once(), on the
// exporting thread, until the attempt's operations are done.
struct OtlpHttpExporter::Connection {
  net::io_context io{1};
  std::optional<beast::tcp_stream> stream;
  // Bytes read past one answer stay for the next on the same connection.
  beast::flat_buffer buffer;

  void close() noexcept {
    if (stream) {
      beast::error_code ignored;
      stream->socket().shutdown(tcp::socket::shutdown_both, ignored);
      stream->socket().close(ignored);
      stream.reset();
    }
    buffer.clear();
  }
};

namespace {

// What a kept connection meets when the collector closed it while idle.
bool closed_while_idle(const beast::error_code& error) {
  return error == http::error::end_of_stream || error == net::error::eof ||
         error == net::error::connection_reset || error == net::error::broken_pipe ||
         error == net::error::connection_aborted || error == net::error::not_connected;
}

}  // namespace

OtlpHttpExporter::OtlpHttpExporter(OtlpHttpExporterConfig config, const Clock& clock, const WallClock& wall_clock,
                                   SharedRandom& random)
    : config_(std::move(config)),
      clock_(clock),
      wall_clock_(wall_clock),
      random_(random),
      connection_(std::make_unique<Connection>()) {}

OtlpHttpExporter::~OtlpHttpExporter() = default;

OtlpHttpExporter::Attempt OtlpHttpExporter::post_once(const std::string& body, TimePoint deadline) {
  Attempt attempt;
  const TimePoint attempt_deadline = std::min(clock_.now() + config_.attempt_timeout, deadline);
  beast::error_code ec;
  const auto address = net::ip::make_address_v4(config_.host, ec);
  if (ec) {
    attempt.transport_error = "not an IPv4 address: " + config_.host;
    return attempt;
  }
  http::request<http::string_body> request{http::verb::post, config_.path, 11};
  request.set(http::field::host, config_.host + ":" + std::to_string(config_.port));
  request.set(http::field::content_type, "application/json");
  request.set(http::field::user_agent, "faultline-tracing");
  request.keep_alive(true);
  request.body() = body;
  request.prepare_payload();

  Connection& connection = *connection_;
  // Two rounds at most: the second only when a kept connection turned out
  // to have been closed by the collector before it read the request.
  for (int round = 0;; ++round) {
    const Duration budget = attempt_deadline - clock_.now();
    if (budget <= Duration::zero()) {
      connection.close();
      attempt.transport_error = "no time left for an attempt";
      return attempt;
    }
    const bool reused = connection.stream.has_value();
    if (!reused) {
      connection.stream.emplace(connection.io);
      connections_opened_total_.fetch_add(1, std::memory_order_relaxed);
    }
    beast::tcp_stream& stream = *connection.stream;
    stream.expires_after(std::chrono::duration_cast<std::chrono::steady_clock::duration>(budget));
    http::response_parser<http::string_body> parser;
    parser.body_limit(config_.response_bytes_max);
    beast::error_code failure;
    const char* failed_stage = nullptr;
    const auto fail = [&](beast::error_code error, const char* stage) {
      failure = error;
      failed_stage = stage;
    };
    const auto send = [&] {
      http::async_write(stream, request, [&](beast::error_code error, std::size_t) {
        if (error) return fail(error, "send");
        http::async_read(stream, connection.buffer, parser, [&](beast::error_code error, std::size_t) {
          if (error) fail(error, "receive");
        });
      });
    };
    if (reused) {
      send();
    } else {
      stream.async_connect(tcp::endpoint(address, config_.port), [&](beast::error_code error) {
        if (error) return fail(error, "connect");
        send();
      });
    }
    connection.io.restart();
    connection.io.run();

    if (failed_stage == nullptr) {
      const auto& response = parser.get();
      attempt.http_status = static_cast<int>(response.result_int());
      attempt.retry_after = std::string(response[http::field::retry_after]);
      attempt.body = response.body();
      if (!response.keep_alive()) connection.close();
      return attempt;
    }
    connection.close();
    if (reused && round == 0 && !parser.got_some() && closed_while_idle(failure)) continue;
    attempt.transport_error = std::string(failed_stage) + ": " + failure.message();
    return attempt;
  }
}

Status OtlpHttpExporter::read_success(const Attempt& attempt) {
  // A partial success says how many spans the collector rejected; they are
  // counted and not resent (the OTLP specification: never retry them).
  const auto json = nlohmann::json::parse(attempt.body, nullptr, false);
  if (json.is_object() && json.contains("partialSuccess") && json["partialSuccess"].is_object()) {
    const auto& rejected = json["partialSuccess"].value("rejectedSpans", nlohmann::json());
    std::uint64_t count = 0;
    if (rejected.is_number_unsigned()) count = rejected.get<std::uint64_t>();
    if (rejected.is_string()) count = std::strtoull(rejected.get<std::string>().c_str(), nullptr, 10);
    rejected_spans_total_.fetch_add(count, std::memory_order_relaxed);
  }
  batches_sent_total_.fetch_add(1, std::memory_order_relaxed);
  return Status();
}

Status OtlpHttpExporter::export_spans(SpanBatch spans, TimePoint deadline) {
  const std::lock_guard lock(connection_mutex_);
  Status status = export_locked(spans, deadline);
  // A shutdown() that came while this ran left the connection to us.
  if (stop_.stop_requested()) connection_->close();
  return status;
}

Status OtlpHttpExporter::export_locked(SpanBatch spans, TimePoint deadline) {
  if (stop_.stop_requested()) return Status::failed_precondition("OTLP exporter: already shut down");
  if (spans.empty()) return Status();
  body_.clear();
  append_otlp_json(body_, spans);
  Duration previous_delay = Duration::zero();
  Status last;
  // At least one attempt, whatever the config says.
  const std::uint32_t attempts_max = std::max<std::uint32_t>(1, config_.attempts_max);
  for (std::uint32_t attempt_number = 1; attempt_number <= attempts_max; ++attempt_number) {
    attempts_total_.fetch_add(1, std::memory_order_relaxed);
    const Attempt attempt = post_once(body_, deadline);
    if (attempt.http_status >= 200 && attempt.http_status < 300) return read_success(attempt);
    if (attempt.http_status != 0) {
      last = status_from_http(attempt.http_status, "collector " + collector_name(config_) + " answered " +
                                                       std::to_string(attempt.http_status));
      if (!retryable_http_status(attempt.http_status)) break;
    } else {
      last = Status::unavailable("collector " + collector_name(config_) + ": " + attempt.transport_error);
    }
    if (attempt_number == attempts_max) break;
    Duration delay = config_.backoff.delay(attempt_number, previous_delay, random_);
    if (!attempt.retry_after.empty()) {
      const auto wall_now = std::chrono::time_point_cast<std::chrono::system_clock::duration>(wall_clock_.now());
      if (const auto hint = parse_retry_after(attempt.retry_after, wall_now)) delay = std::max(delay, *hint);
    }
    previous_delay = delay;
    if (clock_.now() + delay >= deadline) {
      last = Status::deadline_exceeded("OTLP exporter: the next retry would pass the export deadline; last error: " +
                                       last.to_string());
      break;
    }
    retries_total_.fetch_add(1, std::memory_order_relaxed);
    if (!clock_.sleep_until(clock_.now() + delay, stop_.get_token())) {
      last = Status::cancelled("OTLP exporter: shut down while waiting to retry");
      break;
    }
  }
  batches_failed_total_.fetch_add(1, std::memory_order_relaxed);
  return last;
}

Status OtlpHttpExporter::shutdown() {
  stop_.request_stop();
  if (connection_mutex_.try_lock()) {
    connection_->close();
    connection_mutex_.unlock();
  }
  return Status();
}

OtlpHttpExporterMetrics OtlpHttpExporter::metrics() const noexcept {
  return OtlpHttpExporterMetrics{attempts_total_.load(std::memory_order_relaxed),
                                 retries_total_.load(std::memory_order_relaxed),
                                 batches_sent_total_.load(std::memory_order_relaxed),
                                 batches_failed_total_.load(std::memory_order_relaxed),
                                 rejected_spans_total_.load(std::memory_order_relaxed),
                                 connections_opened_total_.load(std::memory_order_relaxed)};
}

}  // namespace faultline::tracing
