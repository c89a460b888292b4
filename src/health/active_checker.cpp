#include "faultline/health/active_checker.hpp"

#include <algorithm>
#include <map>
#include <mutex>

#include "socket_probe.hpp"

namespace faultline::health {

namespace {

std::string millis(Duration d) {
  return std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(d).count()) + "ms";
}

}  // namespace

struct ActiveChecker::State : std::enable_shared_from_this<ActiveChecker::State> {
  struct Endpoint {
    std::uint64_t id = 0;
    EndpointCheckConfig config;
    ThresholdTracker tracker;
    std::shared_ptr<detail::SocketProbe> socket;  // null for custom probes
    TimerId next_probe = 0;
    TimerId timeout_timer = 0;
    std::uint64_t probe_seq = 0;  // which probe a late result belongs to
    bool in_flight = false;
    std::uint64_t probes = 0;
    std::uint64_t failed_probes = 0;
    std::string last_error;
  };

  State(Scheduler& s, boost::asio::io_context* context, Random r, VerdictCallback callback)
      : scheduler(s), io(context), random(r), on_verdict(std::move(callback)) {}

  Scheduler& scheduler;
  boost::asio::io_context* io;
  mutable std::mutex mutex;
  // Held while the callback runs, so the destructor can wait for one in
  // progress and no callback starts after it returns.
  std::mutex callback_mutex;
  bool closed = false;  // under callback_mutex
  Random random;
  VerdictCallback on_verdict;
  std::map<std::string, Endpoint, std::less<>> endpoints;
  std::uint64_t next_id = 1;
  ActiveCheckerStats stats;

  // Precondition: mutex held.
  void schedule_probe(Endpoint& endpoint, Duration delay) {
    std::weak_ptr<State> weak = weak_from_this();
    endpoint.next_probe = scheduler.schedule_after(delay, [weak, name = endpoint.config.name, id = endpoint.id] {
      if (const auto self = weak.lock()) self->probe(name, id);
    });
  }

  Duration jitter(Duration most) { return most > Duration::zero() ? random.uniform_duration(Duration::zero(), most) : most; }

  void probe(const std::string& name, std::uint64_t id) {
    std::function<void()> launch;
    {
      std::lock_guard lock(mutex);
      const auto found = endpoints.find(name);
      if (found == endpoints.end() || found->second.id != id || found->second.in_flight) return;
      Endpoint& endpoint = found->second;
      endpoint.next_probe = 0;
      endpoint.in_flight = true;
      const std::uint64_t seq = ++endpoint.probe_seq;
      ++stats.probes_started;
      std::weak_ptr<State> weak = weak_from_this();
      if (endpoint.socket) {
        launch = [weak, socket = endpoint.socket, name, id, seq] {
          socket->start([weak, name, id, seq](Status status) {
            if (const auto self = weak.lock()) self->finish(name, id, seq, std::move(status));
          });
        };
      } else {
        const Duration timeout = endpoint.config.timeout;
        endpoint.timeout_timer = scheduler.schedule_after(timeout, [weak, name, id, seq, timeout] {
          if (const auto self = weak.lock()) {
            self->finish(name, id, seq, Status::deadline_exceeded("no answer within " + millis(timeout)));
          }
        });
        // The result is handed back through the scheduler so every
        // custom probe's verdict is taken on the scheduler's thread.
        launch = [weak, start = std::get<CustomProbe>(endpoint.config.probe).start, name, id, seq] {
          start([weak, name, id, seq](Status status) {
            const auto self = weak.lock();
            if (!self) return;
            self->scheduler.post([weak, name, id, seq, status = std::move(status)]() mutable {
              if (const auto again = weak.lock()) again->finish(name, id, seq, std::move(status));
            });
          });
        };
      }
    }
    launch();
  }

  void finish(const std::string& name, std::uint64_t id, std::uint64_t seq, Status status) {
    bool flipped = false;
    bool healthy = false;
    VerdictCallback callback;
    {
      std::lock_guard lock(mutex);
      const auto found = endpoints.find(name);
      if (found == endpoints.end() || found->second.id != id) return;
      Endpoint& endpoint = found->second;
      if (!endpoint.in_flight || endpoint.probe_seq != seq) return;  // late: already timed out
      endpoint.in_flight = false;
      if (endpoint.timeout_timer != 0) {
        scheduler.cancel(endpoint.timeout_timer);
        endpoint.timeout_timer = 0;
      }
      ++endpoint.probes;
      if (status.ok()) {
        ++stats.probes_succeeded;
        endpoint.last_error.clear();
      } else {
        ++stats.probes_failed;
        ++endpoint.failed_probes;
        endpoint.last_error = status.to_string();
      }
      flipped = endpoint.tracker.record(status.ok());
      healthy = endpoint.tracker.healthy();
      if (flipped) {
        ++stats.verdict_flips;
        callback = on_verdict;
      }
      // Envoy's rule: the next interval starts when this probe ended, so a
      // slow endpoint is never probed twice at once.
      schedule_probe(endpoint, endpoint.config.interval_for(healthy) + jitter(endpoint.config.interval_jitter));
    }
    if (!callback) return;
    std::lock_guard callback_lock(callback_mutex);
    if (!closed) callback(name, healthy);
  }
};

ActiveChecker::ActiveChecker(Scheduler& scheduler, boost::asio::io_context* io, Random random,
                             VerdictCallback on_verdict)
    : state_(std::make_shared<State>(scheduler, io, random, std::move(on_verdict))) {}

ActiveChecker::~ActiveChecker() {
  {
    std::lock_guard callback_lock(state_->callback_mutex);
    state_->closed = true;
  }
  std::lock_guard lock(state_->mutex);
  for (auto& [name, endpoint] : state_->endpoints) {
    if (endpoint.next_probe != 0) state_->scheduler.cancel(endpoint.next_probe);
    if (endpoint.timeout_timer != 0) state_->scheduler.cancel(endpoint.timeout_timer);
    if (endpoint.socket) endpoint.socket->close();
  }
  state_->endpoints.clear();
}

Status ActiveChecker::add(EndpointCheckConfig config) {
  if (Status s = config.validate(); !s.ok()) return s;
  std::shared_ptr<detail::SocketProbe> socket;
  if (!std::holds_alternative<CustomProbe>(config.probe)) {
    if (state_->io == nullptr) {
      return Status::failed_precondition("health endpoint '" + config.name +
                                         "': HTTP and TCP probes need an io_context; this checker has none");
    }
    if (const auto* http = std::get_if<HttpProbe>(&config.probe)) {
      socket = detail::make_http_probe(*state_->io, *http, *parse_http_url(http->url), config.timeout);
    } else {
      const auto& tcp = std::get<TcpProbe>(config.probe);
      socket = detail::make_tcp_probe(*state_->io, tcp.host == "localhost" ? "127.0.0.1" : tcp.host, tcp.port,
                                      config.timeout);
    }
  }
  std::lock_guard lock(state_->mutex);
  if (state_->endpoints.contains(config.name)) {
    return Status::already_exists("health endpoint '" + config.name + "' is already checked");
  }
  State::Endpoint endpoint;
  endpoint.id = state_->next_id++;
  endpoint.tracker = ThresholdTracker(config.thresholds);
  endpoint.socket = std::move(socket);
  endpoint.config = std::move(config);
  const std::string name = endpoint.config.name;
  const Duration first = state_->jitter(endpoint.config.initial_jitter);
  auto& stored = state_->endpoints.emplace(name, std::move(endpoint)).first->second;
  state_->schedule_probe(stored, first);
  return Status();
}

Status ActiveChecker::remove(const std::string& name) {
  std::lock_guard lock(state_->mutex);
  const auto found = state_->endpoints.find(name);
  if (found == state_->endpoints.end()) return Status::not_found("health endpoint '" + name + "' is not checked");
  auto& endpoint = found->second;
  if (endpoint.next_probe != 0) state_->scheduler.cancel(endpoint.next_probe);
  if (endpoint.timeout_timer != 0) state_->scheduler.cancel(endpoint.timeout_timer);
  if (endpoint.socket) endpoint.socket->close();
  state_->endpoints.erase(found);
  return Status();
}

namespace {

EndpointHealth describe(const std::string& name, const auto& endpoint) {
  return EndpointHealth{name,
                        endpoint.tracker.healthy(),
                        endpoint.tracker.consecutive_successes(),
                        endpoint.tracker.consecutive_failures(),
                        endpoint.probes,
                        endpoint.failed_probes,
                        endpoint.last_error};
}

}  // namespace

std::optional<EndpointHealth> ActiveChecker::health(const std::string& name) const {
  std::lock_guard lock(state_->mutex);
  const auto found = state_->endpoints.find(name);
  if (found == state_->endpoints.end()) return std::nullopt;
  return describe(name, found->second);
}

std::vector<EndpointHealth> ActiveChecker::endpoints() const {
  std::lock_guard lock(state_->mutex);
  std::vector<EndpointHealth> all;
  all.reserve(state_->endpoints.size());
  for (const auto& [name, endpoint] : state_->endpoints) all.push_back(describe(name, endpoint));
  return all;
}

std::size_t ActiveChecker::size() const {
  std::lock_guard lock(state_->mutex);
  return state_->endpoints.size();
}

ActiveCheckerStats ActiveChecker::stats() const {
  std::lock_guard lock(state_->mutex);
  return state_->stats;
}

}  // namespace faultline::health
