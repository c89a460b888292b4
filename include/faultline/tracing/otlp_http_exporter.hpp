// OtlpHttpExporter: sends each batch as OTLP/JSON in an HTTP POST to a
// collector's /v1/traces (OTLP/HTTP, `Content-Type: application/json`).
//
// Retries follow the OTLP/HTTP specification: only 429, 502, 503 and 504
// are retried, waiting the server's Retry-After when it gives one (never
// less), else the resilience module's backoff; a failed connection or an
// attempt that times out is retried the same way. Any other answer is
// final: a 400 is a bad request that will not get better, and a 200 with a
// partial success is a success whose rejected spans are counted, never
// resent. Every attempt and every wait fits within the export deadline
// the batch processor gives; what does not fit is given up and the batch
// counted as failed by the processor. Nothing here blocks the traced
// program: it runs on the processor's worker thread.
//
// The connection is kept open between exports (HTTP/1.1 keep-alive), so a
// steady stream of batches costs one TCP handshake, not one per batch. It
// is closed after an error, a timeout, or an answer that says
// `Connection: close`, and the next attempt connects afresh. A kept
// connection the collector closed while idle (the request then meets a
// reset or end of stream before any byte of an answer) is reconnected
// once at once, within the same attempt: that is not a retry, since the
// collector never saw the request.
//
//   OtlpHttpExporter exporter({.port = 4318}, SteadyClock::instance(),
//                             SystemWallClock::instance(), random);
//   auto processor = *BatchSpanProcessor::create({}, exporter, SteadyClock::instance());
//
// Beast and Asio stay in the .cpp (slow to compile).
//
// Thread-safety: export_spans() from one thread at a time (the
// processor's worker); shutdown() and metrics() from any thread.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <stop_token>
#include <string>

#include "faultline/core/clock.hpp"
#include "faultline/core/random.hpp"
#include "faultline/core/wall_clock.hpp"
#include "faultline/resilience/backoff.hpp"
#include "faultline/tracing/span_exporter.hpp"

namespace faultline::tracing {

struct OtlpHttpExporterConfig {
  std::string host = "127.0.0.1";  // an IPv4 literal; names are not resolved
  std::uint16_t port = 4318;       // the OTLP/HTTP default
  std::string path = "/v1/traces";
  // One attempt's limit: connect, send, and the whole answer.
  Duration attempt_timeout = std::chrono::seconds(10);
  std::uint32_t attempts_max = 5;
  resilience::Backoff backoff = resilience::Backoff::exponential(std::chrono::milliseconds(100), 2.0)
                                    .with_jitter(resilience::Jitter::full)
                                    .with_max_delay(std::chrono::seconds(5));
  std::size_t response_bytes_max = 64 * 1024;
};

struct OtlpHttpExporterMetrics {
  std::uint64_t attempts_total = 0;
  std::uint64_t retries_total = 0;
  std::uint64_t batches_sent_total = 0;
  std::uint64_t batches_failed_total = 0;
  // Spans the collector answered as rejected in a partial success.
  std::uint64_t rejected_spans_total = 0;
  // TCP connections made (keep-alive: one for many batches).
  std::uint64_t connections_opened_total = 0;
};

class OtlpHttpExporter final : public SpanExporter {
 public:
  // `clock` must be the batch processor's (deadlines are on it).
  OtlpHttpExporter(OtlpHttpExporterConfig config, const Clock& clock, const WallClock& wall_clock,
                   SharedRandom& random);
  ~OtlpHttpExporter() override;
  OtlpHttpExporter(const OtlpHttpExporter&) = delete;
  OtlpHttpExporter& operator=(const OtlpHttpExporter&) = delete;

  Status export_spans(SpanBatch spans, TimePoint deadline) override;
  // Interrupts a retry wait and closes the kept connection (at once if no
  // export is running, else when it ends); later exports fail with
  // failed_precondition.
  Status shutdown() override;

  [[nodiscard]] OtlpHttpExporterMetrics metrics() const noexcept;

 private:
  struct Attempt;
  struct Connection;
  [[nodiscard]] Attempt post_once(const std::string& body, TimePoint deadline);
  [[nodiscard]] Status export_locked(SpanBatch spans, TimePoint deadline);
  [[nodiscard]] Status read_success(const Attempt& attempt);

  OtlpHttpExporterConfig config_;
  const Clock& clock_;
  const WallClock& wall_clock_;
  SharedRandom& random_;
  std::stop_source stop_;
  std::string body_;
  // Held by export_spans() while it uses the connection; shutdown() closes
  // the connection only if it can take it without waiting.
  std::mutex connection_mutex_;
  std::unique_ptr<Connection> connection_;

  std::atomic<std::uint64_t> attempts_total_{0};
  std::atomic<std::uint64_t> retries_total_{0};
  std::atomic<std::uint64_t> batches_sent_total_{0};
  std::atomic<std::uint64_t> batches_failed_total_{0};
  std::atomic<std::uint64_t> rejected_spans_total_{0};
  std::atomic<std::uint64_t> connections_opened_total_{0};
};

}  // namespace faultline::tracing
