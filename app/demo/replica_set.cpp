#include "demo/replica_set.hpp"

#include <fmt/format.h>

#include <future>

#include "faultline/core/assert.hpp"
#include "faultline/core/random.hpp"

namespace faultline::demo {
namespace {

using namespace std::chrono_literals;

// Fast enough that a 5 s run shows the whole story. Passive checking is
// the quick one: five failed calls in a row (Envoy's default) eject a
// replica within a fraction of a second, for 2 s at first. Active checking
// confirms it: a probe every 500 ms, three failures mark the replica
// unhealthy, which keeps it out after the ejection ends; while unhealthy it
// is probed every 200 ms and two successes bring it back.
health::OutlierDetectionConfig outlier_config() {
  health::OutlierDetectionConfig config;
  config.consecutive_failures = 5;
  config.interval = 1s;
  config.base_ejection_time = 2s;
  config.max_ejection_time = 10s;
  config.name = "replicas";
  return config;
}

health::EndpointCheckConfig probe_config(const std::string& name, const std::string& base_url) {
  health::EndpointCheckConfig config;
  config.name = name;
  config.probe = health::HttpProbe{.url = base_url + "/readyz"};
  config.interval = 500ms;
  config.unhealthy_interval = 200ms;
  config.timeout = 150ms;
  config.thresholds = {.healthy_threshold = 2, .unhealthy_threshold = 3, .initially_healthy = true};
  return config;
}

// A healthy replica answers everything at once.
health::HttpAnswer answer(const health::HttpRequest& request) {
  return health::HttpAnswer{.status = 200, .body = request.target == "/readyz" ? "ok" : "hello"};
}

}  // namespace

ReplicaSet::ReplicaSet(TimerThread& timers, const Clock& clock, ReplicaOutagePlan plan,
                       NoteSink notes)
    : timers_(timers),
      clock_(clock),
      plan_(plan),
      notes_(std::move(notes)),
      traffic_([] {
        std::vector<std::string> names;
        for (std::size_t i = 0; i < kReplicas; ++i) names.push_back(fmt::format("replica-{}", i + 1));
        return names;
      }()),
      set_(health::EndpointSetConfig{.panic_threshold_percent = 50}),
      detector_(std::make_unique<health::OutlierDetector>(outlier_config(), timers.scheduler())) {
  FAULTLINE_ASSERT(plan_.replica < kReplicas, "outage plan names no replica");
  for (const std::string& name : traffic_.names()) {
    auto replica = std::make_unique<Replica>();
    replica->name = name;
    replica->server = std::make_unique<health::HttpServer>(answer);
    replicas_.push_back(std::move(replica));
    (void)set_.add(name);
    (void)detector_->add_endpoint(name);
  }
  detector_->connect_to(set_);
  // Runs under the detector's lock: only queue a note.
  detector_->subscribe([this](const health::OutlierEvent& event) {
    if (event.ejected) {
      notes_(fmt::format("{} ejected by the outlier detector ({} failed calls in a row) for {}",
                         event.endpoint, detector_->config().consecutive_failures,
                         format_duration(event.until - event.at)),
             Tone::bad);
    } else {
      const bool healthy = set_.snapshot()->find(event.endpoint)->active_healthy;
      notes_(fmt::format("{} ejection over{}", event.endpoint,
                         healthy ? ": back in rotation" : ", but its health checks still fail: no traffic yet"),
             healthy ? Tone::good : Tone::warning);
    }
  });
}

ReplicaSet::~ReplicaSet() {
  checker_.reset();  // no verdicts after this
  for (auto& replica : replicas_) replica->server->stop();
  std::promise<void> done;
  timers_.scheduler().schedule_at(clock_.now(), [this, &done] {
    detector_.reset();
    done.set_value();
  });
  done.get_future().wait();
}

Status ReplicaSet::start() {
  for (auto& replica : replicas_) {
    if (Status status = replica->server->start(); !status.ok()) return status;
    replica->up = true;
    replica->client = std::make_unique<HttpClient>(
        HttpClientConfig{.port = replica->server->port(), .client_name = "replicas"}, clock_);
  }
  checker_ = std::make_unique<health::ActiveChecker>(
      timers_.scheduler(), &timers_.io(), Random(0x5eed),
      [this](const std::string& endpoint, bool healthy) {
        (void)set_.set_active_healthy(endpoint, healthy);
        notes_(fmt::format("{} {}", endpoint,
                           healthy ? "passes its health checks again (GET /readyz): traffic returns"
                                   : "fails its health checks (GET /readyz): marked unhealthy"),
               healthy ? Tone::good : Tone::bad);
      });
  for (auto& replica : replicas_) {
    if (Status status = checker_->add(probe_config(replica->name, replica->server->base_url()));
        !status.ok())
      return status;
  }
  return Status();
}

void ReplicaSet::take_down(std::size_t replica) {
  replicas_.at(replica)->up = false;
  replicas_.at(replica)->server->stop();
}

Status ReplicaSet::bring_back(std::size_t replica) {
  Status status = replicas_.at(replica)->server->start();
  if (status.ok()) replicas_.at(replica)->up = true;
  return status;
}

void ReplicaSet::follow_plan(Duration since_start) {
  const std::string& name = replicas_[plan_.replica]->name;
  if (!taken_down_ && since_start >= plan_.down_at) {
    taken_down_ = true;
    take_down(plan_.replica);
    notes_(fmt::format("{} goes down: its listener closes, calls to it are refused", name),
           Tone::warning);
  }
  if (!brought_back_ && since_start >= plan_.up_at) {
    brought_back_ = true;
    const Status status = bring_back(plan_.replica);
    notes_(status.ok() ? fmt::format("{} is back up on the same port", name)
                       : fmt::format("{} could not come back: {}", name, status.message()),
           status.ok() ? Tone::info : Tone::bad);
  }
}

std::size_t ReplicaSet::index_of(std::string_view name) const {
  for (std::size_t i = 0; i < replicas_.size(); ++i)
    if (replicas_[i]->name == name) return i;
  return replicas_.size();
}

void ReplicaSet::call(std::uint64_t request_id, Duration since_start, TimePoint deadline) {
  const auto snapshot = set_.snapshot();
  const health::EndpointView* endpoint = picker_.pick(*snapshot);
  if (endpoint == nullptr) return;  // an empty set; never with three replicas
  const std::size_t index = index_of(endpoint->name);
  // Checked against the detector itself, not the snapshot the pick came
  // from: this is the count of calls that slipped past an ejection.
  const bool while_ejected = detector_->is_ejected(endpoint->name);
  const TimePoint start = clock_.now();
  health::OutstandingRequest outstanding(*endpoint);
  const auto reply = replicas_[index]->client->get("/", deadline, {}, RequestTag{request_id, 1});
  outstanding.finish();
  (void)detector_->record(endpoint->name, reply.status(), clock_.now() - start);
  traffic_.record(index, plan_.window_at(since_start), reply.ok(), while_ejected);
}

std::vector<std::string> ReplicaSet::states() const {
  const auto snapshot = set_.snapshot();
  std::vector<std::string> states;
  for (const auto& replica : replicas_) {
    std::string state;
    auto add = [&state](std::string_view part) { state += (state.empty() ? "" : ", ") + std::string(part); };
    if (!replica->up) add("down");
    if (const health::EndpointView* view = snapshot->find(replica->name)) {
      if (!view->active_healthy) add("unhealthy");
      if (view->ejected) add("ejected");
    }
    states.push_back(std::move(state));
  }
  return states;
}

std::vector<std::uint16_t> ReplicaSet::ports() const {
  std::vector<std::uint16_t> ports;
  for (const auto& replica : replicas_) ports.push_back(replica->server->port());
  return ports;
}

std::string ReplicaSet::describe() const {
  const auto ports_now = ports();
  return fmt::format(
      "GET / on one of {} replicas (127.0.0.1:{}, :{}, :{}) picked by an EndpointSet "
      "(least outstanding); {} failed calls in a row eject a replica (OutlierDetector), an "
      "ActiveChecker probes each /readyz every 500 ms (3 failures: unhealthy)",
      kReplicas, ports_now[0], ports_now[1], ports_now[2],
      detector_->config().consecutive_failures);
}

}  // namespace faultline::demo
