// The flaky service's Beast server: C++20 coroutines on one io_context
// thread. Beast stays in this file (and http_client.cpp) because it is slow
// to compile; the header is Asio-free.
#include "demo/flaky_service.hpp"

#include <atomic>
#include <charconv>
#include <deque>
#include <mutex>
#include <string_view>
#include <thread>

#include "faultline/core/asio.hpp"
#include "faultline/core/assert.hpp"
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
constexpr std::size_t kClientNameBytesMax = 32;

// Not HTTP at all: what a client meets when a port is taken by something else.
constexpr std::string_view kGarbage = "\x16\x03\x01\x02 this is not HTTP \xff\xfe\r\n\r\n";
// A promised 64-byte body of which only 7 bytes ever arrive.
constexpr std::string_view kTruncated =
    "HTTP/1.1 200 OK\r\nContent-Length: 64\r\nConnection: close\r\n\r\npartial";

// Load counters per client name, bounded in names.
class LoadCounters {
 public:
  explicit LoadCounters(std::size_t phases) : phases_(phases) {}

  void record(std::string_view client, std::size_t phase) {
    std::lock_guard lock(mutex_);
    auto found = loads_.find(client);
    if (found == loads_.end()) {
      const bool room = loads_.size() < FlakyService::kClientNamesMax;
      const std::string name = room ? std::string(client) : std::string("other");
      found = loads_.try_emplace(name, ClientLoad{0, std::vector<std::uint64_t>(phases_, 0)}).first;
    }
    found->second.requests += 1;
    found->second.requests_per_phase[phase] += 1;
  }

  std::map<std::string, ClientLoad> snapshot() const {
    std::lock_guard lock(mutex_);
    return {loads_.begin(), loads_.end()};
  }

 private:
  const std::size_t phases_;
  mutable std::mutex mutex_;
  std::map<std::string, ClientLoad, std::less<>> loads_;
};

// One client's workers for GET /capacity. Touched only on the io thread.
struct CapacityPool {
  std::size_t busy = 0;
  // Requests waiting for a worker, oldest first; cancelling a timer wakes
  // its request with the slot already counted in `busy`.
  std::deque<net::steady_timer*> waiting;
};

// Who sent a request, and which attempt of which request it is.
struct RequestTag {
  std::string client = "-";
  std::uint64_t request_id = 0;
  std::uint32_t attempt = 1;
};

std::string_view fault_name(const FaultDecision& decision) {
  switch (decision.kind) {
    case FaultKind::none:
      return "ok";
    case FaultKind::http_error:
      return "http error";
    case FaultKind::reset:
      return "reset";
    case FaultKind::garbage:
      return "garbage";
    case FaultKind::truncated:
      return "truncated";
  }
  return "?";
}

template <class Integer>
bool parse_integer(std::string_view text, Integer& out) {
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), out);
  return error == std::errc() && end == text.data() + text.size();
}

}  // namespace

// Member order matters: the io_context is declared after everything its
// pending coroutines touch, so it is destroyed (destroying those coroutine
// frames) while the counters still exist.
struct FlakyService::Impl {
  Impl(const FaultSchedule& schedule_in, const Clock& clock_in, const FlakyServiceConfig& config_in)
      : schedule(schedule_in),
        clock(clock_in),
        config(config_in),
        load(schedule_in.phases().size()) {}

  const FaultSchedule& schedule;
  const Clock& clock;
  const FlakyServiceConfig config;
  LoadCounters load;
  std::atomic<std::size_t> connections{0};
  // Ids for requests without X-Request-Id, far from any a client would send.
  std::atomic<std::uint64_t> next_anonymous_id{std::uint64_t{1} << 62};
  TimePoint origin{};
  std::uint16_t port = 0;
  bool stopped = false;
  std::map<std::string, CapacityPool, std::less<>> capacity_pools;

  net::io_context io{1};
  tcp::acceptor acceptor{io};
  std::thread thread;

  RequestTag read_tag(const http::request<http::empty_body>& request);
  tracing::Span start_server_span(const http::request<http::empty_body>& request, const FaultDecision& decision);
  net::awaitable<void> accept_loop();
  net::awaitable<void> serve_connection(tcp::socket socket);
  net::awaitable<void> answer(beast::tcp_stream& stream, const FaultDecision& decision);
  net::awaitable<void> serve_within_capacity(beast::tcp_stream& stream, const RequestTag& tag);
  CapacityPool& capacity_pool(const std::string& client);
  void release_worker(CapacityPool& pool);
};

CapacityPool& FlakyService::Impl::capacity_pool(const std::string& client) {
  if (auto found = capacity_pools.find(client); found != capacity_pools.end()) return found->second;
  const bool room = capacity_pools.size() < FlakyService::kClientNamesMax;
  return capacity_pools[room ? client : std::string("other")];
}

// Hands freed workers to the oldest waiters, as many as the capacity now
// in force allows: after a drop, waiters are held back until the busy count
// is under the new capacity; after a restore, several are woken at once.
void FlakyService::Impl::release_worker(CapacityPool& pool) {
  pool.busy -= 1;
  const std::size_t capacity = config.capacity->capacity_at(clock.now() - origin);
  while (pool.busy < capacity && !pool.waiting.empty()) {
    pool.busy += 1;
    pool.waiting.front()->cancel();
    pool.waiting.pop_front();
  }
}

net::awaitable<void> FlakyService::Impl::serve_within_capacity(beast::tcp_stream& stream,
                                                               const RequestTag& tag) {
  CapacityPool& pool = capacity_pool(tag.client);
  const CapacityPlan& plan = *config.capacity;
  error_code ec;
  if (pool.busy < plan.capacity_at(clock.now() - origin)) {
    pool.busy += 1;
  } else {
    // Woken by release_worker() cancelling the wait. If the server stops
    // first, this frame is destroyed with the io_context, pools and all.
    net::steady_timer turn(io, net::steady_timer::time_point::max());
    pool.waiting.push_back(&turn);
    co_await turn.async_wait(net::redirect_error(net::use_awaitable, ec));
  }
  net::steady_timer work(io, plan.service_time);
  co_await work.async_wait(net::redirect_error(net::use_awaitable, ec));
  release_worker(pool);
  stream.expires_after(config.read_timeout);
  co_await answer(stream, FaultDecision{});
}

RequestTag FlakyService::Impl::read_tag(const http::request<http::empty_body>& request) {
  RequestTag tag;
  if (const auto client = request.find("X-Faultline-Client"); client != request.end()) {
    const std::string_view name(client->value().data(), client->value().size());
    if (!name.empty()) tag.client = std::string(name.substr(0, kClientNameBytesMax));
  }
  bool have_id = false;
  if (const auto id = request.find("X-Request-Id"); id != request.end()) {
    have_id =
        parse_integer(std::string_view(id->value().data(), id->value().size()), tag.request_id);
  }
  if (!have_id) tag.request_id = next_anonymous_id.fetch_add(1, std::memory_order_relaxed);
  if (const auto attempt = request.find("X-Attempt"); attempt != request.end()) {
    std::uint32_t value = 1;
    const std::string_view text(attempt->value().data(), attempt->value().size());
    if (parse_integer(text, value) && value >= 1) tag.attempt = value;
  }
  return tag;
}

tracing::Span FlakyService::Impl::start_server_span(const http::request<http::empty_body>& request,
                                                    const FaultDecision& decision) {
  if (config.tracer == nullptr) return {};
  const tracing::ExtractedTraceContext incoming = tracing::extract_trace_context(request);
  if (!incoming.context.valid()) return {};
  const std::string outcome = decision.kind == FaultKind::http_error ? std::to_string(decision.http_status)
                                                                       : std::string(fault_name(decision));
  tracing::Span span = config.tracer->start_span("GET / -> " + outcome,
                                                 {.kind = tracing::SpanKind::server, .parent = &incoming.context});
  span.set_attribute("faultline.phase", schedule.phases()[decision.phase_index].name);
  if (decision.delay > Duration::zero()) {
    span.set_attribute("faultline.delay_ms",
                       static_cast<std::int64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(decision.delay).count()));
  }
  if (decision.kind != FaultKind::none) span.set_status(tracing::SpanStatusCode::error, "injected " + outcome);
  return span;
}

net::awaitable<void> FlakyService::Impl::accept_loop() {
  for (;;) {
    error_code ec;
    tcp::socket socket =
        co_await acceptor.async_accept(net::redirect_error(net::use_awaitable, ec));
    if (ec == net::error::operation_aborted || !acceptor.is_open()) co_return;
    if (ec) {
      // Out of descriptors or similar: pause instead of spinning.
      net::steady_timer pause(io, std::chrono::milliseconds(10));
      co_await pause.async_wait(net::redirect_error(net::use_awaitable, ec));
      continue;
    }
    if (connections.load(std::memory_order_relaxed) >= config.connections_max) {
      socket.close(ec);  // over the bound: refuse by closing
      continue;
    }
    connections.fetch_add(1, std::memory_order_relaxed);
    net::co_spawn(io, serve_connection(std::move(socket)), net::detached);
  }
}

net::awaitable<void> FlakyService::Impl::serve_connection(tcp::socket socket) {
  struct Release {
    std::atomic<std::size_t>& count;
    ~Release() { count.fetch_sub(1, std::memory_order_relaxed); }
  } release{connections};

  beast::tcp_stream stream(std::move(socket));
  beast::flat_buffer buffer(kHeaderBytesMax);
  http::request_parser<http::empty_body> parser;
  parser.header_limit(kHeaderBytesMax);
  stream.expires_after(config.read_timeout);
  error_code ec;
  co_await http::async_read(stream, buffer, parser, net::redirect_error(net::use_awaitable, ec));
  if (ec) co_return;
  stream.expires_never();

  const RequestTag tag = read_tag(parser.get());
  if (config.capacity && parser.get().target() == "/capacity") {
    load.record(tag.client, schedule.phase_index_at(clock.now() - origin));
    co_await serve_within_capacity(stream, tag);
    co_return;
  }
  const FaultDecision decision = schedule.decide(clock.now() - origin, tag.request_id, tag.attempt);
  load.record(tag.client, decision.phase_index);
  // Ends when this coroutine does: after the answer, or with the server.
  tracing::Span span = start_server_span(parser.get(), decision);
  if (decision.delay > Duration::zero()) {
    // Real time: this is a real server on a real socket.
    net::steady_timer timer(io, decision.delay);
    co_await timer.async_wait(net::redirect_error(net::use_awaitable, ec));
  }
  stream.expires_after(config.read_timeout);  // bounds the write to a slow reader
  co_await answer(stream, decision);
}

net::awaitable<void> FlakyService::Impl::answer(beast::tcp_stream& stream,
                                                const FaultDecision& decision) {
  error_code ec;
  auto& socket = stream.socket();
  switch (decision.kind) {
    case FaultKind::reset:
      // Linger zero turns close() into a TCP reset: the client sees
      // "connection reset by peer", as when a process dies mid-request.
      socket.set_option(tcp::socket::linger(true, 0), ec);
      socket.close(ec);
      co_return;
    case FaultKind::garbage:
      co_await net::async_write(stream, net::buffer(kGarbage),
                                net::redirect_error(net::use_awaitable, ec));
      break;
    case FaultKind::truncated:
      co_await net::async_write(stream, net::buffer(kTruncated),
                                net::redirect_error(net::use_awaitable, ec));
      break;
    case FaultKind::http_error:
    case FaultKind::none: {
      const bool ok = decision.kind == FaultKind::none;
      http::response<http::string_body> response(
          ok ? http::status::ok : static_cast<http::status>(decision.http_status), 11);
      response.set(http::field::server, "faultline-flaky-service");
      response.set(http::field::content_type, "text/plain");
      if (decision.retry_after_seconds) {
        response.set(http::field::retry_after, std::to_string(*decision.retry_after_seconds));
      }
      response.keep_alive(false);
      response.body() = ok ? "ok\n" : "service unavailable (injected fault)\n";
      response.prepare_payload();
      co_await http::async_write(stream, response, net::redirect_error(net::use_awaitable, ec));
      break;
    }
  }
  socket.shutdown(tcp::socket::shutdown_send, ec);
}

FlakyService::FlakyService(FaultSchedule schedule, const Clock& clock, FlakyServiceConfig config)
    : schedule_(std::move(schedule)), clock_(clock), config_(config) {}

FlakyService::~FlakyService() { stop(); }

Status FlakyService::start() {
  FAULTLINE_ASSERT(impl_ == nullptr, "FlakyService::start() called twice");
  auto impl = std::make_unique<Impl>(schedule_, clock_, config_);
  const tcp::endpoint endpoint(net::ip::make_address_v4("127.0.0.1"), config_.port);
  error_code ec;
  impl->acceptor.open(endpoint.protocol(), ec);
  if (!ec) impl->acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) impl->acceptor.bind(endpoint, ec);
  if (!ec) impl->acceptor.listen(net::socket_base::max_listen_connections, ec);
  if (ec) {
    return Status::unavailable("flaky service cannot listen on 127.0.0.1:" +
                               std::to_string(config_.port) + ": " + ec.message());
  }
  impl->port = impl->acceptor.local_endpoint().port();
  impl->origin = clock_.now();
  net::co_spawn(impl->io, impl->accept_loop(), net::detached);
  impl->thread = std::thread([io = &impl->io] { io->run(); });
  impl_ = std::move(impl);
  return Status();
}

void FlakyService::stop() {
  if (!impl_ || impl_->stopped) return;
  impl_->stopped = true;
  impl_->io.stop();
  if (impl_->thread.joinable()) impl_->thread.join();
  error_code ec;
  impl_->acceptor.close(ec);  // refuse from now on; the thread is gone, so no race
}

std::uint16_t FlakyService::port() const noexcept {
  FAULTLINE_ASSERT(impl_ != nullptr, "FlakyService not started");
  return impl_->port;
}

TimePoint FlakyService::origin() const noexcept {
  FAULTLINE_ASSERT(impl_ != nullptr, "FlakyService not started");
  return impl_->origin;
}

Duration FlakyService::elapsed() const noexcept { return clock_.now() - origin(); }

std::map<std::string, ClientLoad> FlakyService::load() const {
  if (!impl_) return {};
  return impl_->load.snapshot();
}

}  // namespace faultline::demo
