#include "demo/flaky_service_scene.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

#include "demo/breaker_narrator.hpp"
#include "demo/capacity_plan.hpp"
#include "demo/client_stats.hpp"
#include "demo/fault_schedule.hpp"
#include "demo/flaky_service.hpp"
#include "demo/http_client.hpp"
#include "demo/live_view.hpp"
#include "demo/load_generator.hpp"
#include "demo/protected_client.hpp"
#include "demo/replica_set.hpp"
#include "demo/scene_tracing.hpp"
#include "demo/summary.hpp"
#include "demo/timer_thread.hpp"
#include "faultline/core/assert.hpp"
#include "faultline/resilience/adaptive_concurrency_limiter.hpp"
#include "faultline/resilience/gradient_limit.hpp"
#include "faultline/resilience/rejection.hpp"

namespace faultline::demo {
namespace {

using namespace std::chrono_literals;
namespace rs = faultline::resilience;

constexpr std::string_view kBareName = "bare";
constexpr std::string_view kProtectedName = "protected";
constexpr std::string_view kStaticName = "static";
constexpr std::string_view kAdaptiveName = "adaptive";
constexpr std::string_view kCapacityPath = "/capacity";
constexpr std::string_view kReplicasName = "replicas";
// The replica lane gives up on a call after this long.
constexpr Duration kReplicaTimeout = 1s;
// Both capacity lanes give up on a call after this long.
constexpr Duration kCapacityTimeout = 2s;

// Latencies of one capacity lane per stretch of the run, for the summary.
class SegmentLatency {
 public:
  void record(CapacityPlan::Segment segment, Duration latency) {
    std::lock_guard lock(mutex_);
    by_segment_[static_cast<std::size_t>(segment)].record(latency);
  }
  [[nodiscard]] Duration p99(std::size_t segment) const {
    std::lock_guard lock(mutex_);
    return by_segment_[segment].percentile(99);
  }

 private:
  mutable std::mutex mutex_;
  std::array<LatencyRecorder, CapacityPlan::kSegments> by_segment_;
};

// The adaptive lane's limit through the run, sampled by the view thread.
struct LimitTrace {
  std::uint32_t at_drop = 0;  // the last sample before the drop
  std::uint32_t lowest_while_dropped = UINT32_MAX;
  std::uint32_t last = 0;
  void sample(CapacityPlan::Segment segment, std::uint32_t limit) {
    if (segment == CapacityPlan::Segment::before_drop) at_drop = limit;
    if (segment == CapacityPlan::Segment::dropped)
      lowest_while_dropped = std::min(lowest_while_dropped, limit);
    last = limit;
  }
};

// The adaptive lane's algorithm: a tolerance and queue allowance small
// enough for limits of a few calls (the defaults suit limits of tens).
std::unique_ptr<rs::LimitAlgorithm> make_adaptive_algorithm(const CapacityPlan& plan) {
  return std::make_unique<rs::GradientLimit>(rs::GradientLimitConfig{
      .initial_limit = static_cast<std::uint32_t>(plan.normal * 2),
      .min_limit = 1,
      .max_limit = 1000,
      .tolerance = 1.2,
      .queue_allowance = 1,
      .smoothing = 0.2});
}

// How often the view thread wakes to print notes and poll for Ctrl-C.
constexpr Duration kViewPollInterval = 50ms;

// Everything one run owns, wired together. Declared in dependency order:
// members are torn down in reverse, clients before the timers they use.
class Scene {
 public:
  // `tracing`, if not null, must outlive the scene.
  Scene(const SceneOptions& options, std::ostream& out, SceneTracing* tracing)
      : options_(options),
        out_(out),
        tracing_(tracing),
        schedule_(FaultSchedule::standard(options.seed, options.duration)),
        capacity_(CapacityPlan::standard(options.duration, options.rate_per_second)),
        service_(schedule_, clock_,
                 FlakyServiceConfig{.capacity = capacity_,
                                    .tracer = tracing ? &tracing->server_tracer() : nullptr}),
        view_(out, options.style,
              {{std::string(kBareName), false}, {std::string(kProtectedName), true}}),
        bare_stats_(schedule_.phases().size()),
        protected_stats_(schedule_.phases().size()),
        static_stats_(CapacityPlan::kSegments),
        adaptive_stats_(CapacityPlan::kSegments),
        limiter_(rs::AdaptiveConcurrencyLimiterConfig{.name = std::string(kAdaptiveName)},
                 make_adaptive_algorithm(capacity_), clock_) {}

  Status start();
  void run();
  [[nodiscard]] RunReport report() const;
  void print_replica_summary(std::ostream& out) const {
    replicas_->traffic().print_summary(out, replicas_->plan(), options_.style);
  }

 private:
  void print_intro() const;
  void subscribe_to_policies();
  std::vector<LoadTarget> load_targets();
  void call_bare(std::uint64_t id, TimePoint due);
  void call_protected(std::uint64_t id, TimePoint due);
  void call_static(std::uint64_t id, TimePoint due);
  void call_adaptive(std::uint64_t id, TimePoint due);
  void print_capacity_tick(Duration second_end);
  [[nodiscard]] CapacityReport capacity_report() const;
  void note_budget_change();
  void watch(std::stop_token stop);
  void print_tick(Duration second_end);
  [[nodiscard]] Duration since_origin(TimePoint at) const { return at - service_.origin(); }

  const SceneOptions& options_;
  std::ostream& out_;
  SceneTracing* tracing_;
  const SteadyClock& clock_ = SteadyClock::instance();
  FaultSchedule schedule_;
  CapacityPlan capacity_;
  FlakyService service_;
  TimerThread timers_;
  LiveView view_;
  ClientStats bare_stats_;
  ClientStats protected_stats_;
  // The capacity lanes count per CapacityPlan::Segment, not per phase.
  ClientStats static_stats_;
  ClientStats adaptive_stats_;
  SegmentLatency static_latency_;
  SegmentLatency adaptive_latency_;
  rs::AdaptiveConcurrencyLimiter limiter_;
  LimitTrace limit_trace_;                          // the view thread's
  std::array<ClientSnapshot, 2> capacity_shown_{};  // the view thread's: static, adaptive
  std::optional<BreakerNarrator> narrator_;  // before the breaker that calls it
  std::optional<HttpClient> bare_;
  std::optional<ProtectedClient> protected_;
  std::optional<HttpClient> static_;
  std::optional<HttpClient> adaptive_;
  std::optional<ReplicaSet> replicas_;  // the health module's lane
  std::stop_source run_stop_;
  bool retries_allowed_shown_ = true;  // the view thread's
  bool capacity_drop_shown_ = false;    // the view thread's
  bool capacity_restore_shown_ = false;  // the view thread's
  bool interrupted_ = false;
  Duration load_ran_for_{};
};

Status Scene::start() {
  if (Status status = service_.start(); !status.ok()) return status;
  bare_.emplace(HttpClientConfig{.port = service_.port(), .client_name = std::string(kBareName)},
                clock_);
  protected_.emplace(HttpClient(HttpClientConfig{.port = service_.port(),
                                                 .client_name = std::string(kProtectedName)},
                                clock_),
                     clock_, timers_.scheduler(),
                     ProtectedClientConfig::for_run(options_.duration, options_.seed));
  static_.emplace(
      HttpClientConfig{.port = service_.port(), .client_name = std::string(kStaticName)}, clock_);
  adaptive_.emplace(
      HttpClientConfig{.port = service_.port(), .client_name = std::string(kAdaptiveName)}, clock_);
  if (tracing_) protected_->trace_with(tracing_->client_tracer());
  narrator_.emplace(view_, std::string(kProtectedName), protected_->config(), service_.origin());
  replicas_.emplace(timers_, clock_, ReplicaOutagePlan::standard(options_.duration),
                    [this](std::string text, Tone tone) {
                      view_.post_note(service_.elapsed(), std::move(text), tone);
                    });
  if (Status status = replicas_->start(); !status.ok()) return status;
  subscribe_to_policies();
  return Status();
}

void Scene::print_intro() const {
  const TextStyle style = options_.style;
  out_ << bold("Faultline demo: resilience policies against a flaky HTTP service", style) << "\n\n";
  out_ << fmt::format(
      "  service    http://127.0.0.1:{}/ (Boost.Beast), faults scheduled from seed {}\n",
      service_.port(), options_.seed);
  out_ << fmt::format(
      "  load       {:g} requests/s to each client for {} s: same request ids, same instants\n",
      options_.rate_per_second,
      std::chrono::duration_cast<std::chrono::seconds>(options_.duration).count());
  out_ << fmt::format("  {:<10} one attempt, {} socket timeout (what most code does)\n", kBareName,
                      format_duration(options_.bare_timeout));
  out_ << wrap(protected_->config().describe(), 100, fmt::format("  {:<10} ", kProtectedName),
               std::string(13, ' '))
       << "\n";
  out_ << fmt::format("  {:<10} GET {}, at most {} calls in flight (its workers), {} timeout\n",
                      kStaticName, kCapacityPath, options_.workers_per_client,
                      format_duration(kCapacityTimeout));
  out_ << fmt::format(
      "  {:<10} GET {} through an AdaptiveConcurrencyLimiter ({}, starts at {}), {} timeout\n",
      kAdaptiveName, kCapacityPath, "gradient", limiter_.limit(),
      format_duration(kCapacityTimeout));
  out_ << wrap(replicas_->describe(), 100, fmt::format("  {:<10} ", kReplicasName),
               std::string(13, ' '))
       << "\n\n";
  out_ << "  The service's fault schedule (GET /, the bare and protected clients):\n";
  for (const Phase& phase : schedule_.phases()) {
    out_ << fmt::format("    {:>6.1f} s - {:>4.1f} s  {:<15} {}\n",
                        std::chrono::duration<double>(phase.start).count(),
                        std::chrono::duration<double>(phase.end).count(), phase.name,
                        phase.description);
  }
  out_ << '\n'
       << wrap(fmt::format(
                   "The service's capacity (GET {}, the static and adaptive clients): {} workers "
                   "per client, {} a request, the rest queue; the load keeps {:.1f} busy. From "
                   "{:.1f} s to {:.1f} s only {} workers are left.",
                   kCapacityPath, capacity_.normal, format_duration(capacity_.service_time),
                   capacity_.demand(options_.rate_per_second),
                   std::chrono::duration<double>(capacity_.drop_at).count(),
                   std::chrono::duration<double>(capacity_.restore_at).count(),
                   capacity_.reduced),
               96, "  ")
       << "\n\n"
       << wrap(
              "Each second: ok/calls = calls that finished and how many succeeded; "
              "fail = failed calls; retries = extra attempts; fast-fail = calls the open breaker "
              "refused at once; p99 = latency of that second's slowest 1%; server = requests that "
              "reached the service. The indented line below it shows the static and "
              "adaptive clients in that second: the service's capacity, ok/calls, refused = calls "
              "the adaptive limit turned away at once, p99, and the adaptive limit.",
              96, "  ")
       << "\n\n";
  out_.flush();
}

void Scene::subscribe_to_policies() {
  protected_->retry_events().subscribe([this](const rs::RetryEvent& event) {
    if (event.kind == rs::RetryEvent::Kind::retry) protected_stats_.record_retry();
    if (event.kind == rs::RetryEvent::Kind::budget_exhausted)
      protected_stats_.record_budget_refusal();
  });
  // Listeners run on the worker that caused the event: only queue a note.
  protected_->breaker_events().subscribe(
      [this](const rs::CircuitBreakerEvent& event) { narrator_->on_event(event); });
}

// The budget has no events; the view polls it and notes each change.
void Scene::note_budget_change() {
  const bool allowed = protected_->retries_allowed();
  if (allowed == retries_allowed_shown_) return;
  retries_allowed_shown_ = allowed;
  view_.post_note(
      service_.elapsed(),
      allowed ? fmt::format("{} retry budget refilled: retries resume", kProtectedName)
              : fmt::format("{} retry budget below half: retries paused (too many attempts fail)",
                            kProtectedName),
      allowed ? Tone::good : Tone::warning);
}

void Scene::call_bare(std::uint64_t id, TimePoint due) {
  // No stop token: on Ctrl-C calls in flight finish (within their deadline)
  // so the summary counts real outcomes, not cancellations.
  const auto reply = bare_->get("/", clock_.now() + options_.bare_timeout, {}, RequestTag{id, 1});
  const std::size_t phase = schedule_.phase_index_at(since_origin(due));
  bare_stats_.record_call(phase, reply.ok() ? CallOutcome::success : CallOutcome::failure,
                          clock_.now() - due);
}

void Scene::call_protected(std::uint64_t id, TimePoint due) {
  const auto reply = protected_->get(id, {});
  const std::size_t phase = schedule_.phase_index_at(since_origin(due));
  CallOutcome outcome = CallOutcome::success;
  if (!reply.ok()) {
    outcome = rs::is_rejection(reply.status(), rs::kReasonCircuitOpen) ? CallOutcome::fast_fail
                                                                       : CallOutcome::failure;
  }
  protected_stats_.record_call(phase, outcome, clock_.now() - due);
}

void Scene::call_static(std::uint64_t id, TimePoint due) {
  const auto reply = static_->get(kCapacityPath, clock_.now() + kCapacityTimeout, {},
                                  RequestTag{id, 1});
  const CapacityPlan::Segment segment = capacity_.segment_at(since_origin(due));
  const Duration latency = clock_.now() - due;
  static_latency_.record(segment, latency);
  static_stats_.record_call(static_cast<std::size_t>(segment),
                            reply.ok() ? CallOutcome::success : CallOutcome::failure, latency);
}

void Scene::call_adaptive(std::uint64_t id, TimePoint due) {
  const CapacityPlan::Segment segment = capacity_.segment_at(since_origin(due));
  if (!limiter_.acquire().ok()) {
    adaptive_stats_.record_call(static_cast<std::size_t>(segment), CallOutcome::fast_fail,
                                clock_.now() - due);
    return;
  }
  const TimePoint start = clock_.now();
  const auto reply = adaptive_->get(kCapacityPath, start + kCapacityTimeout, {}, RequestTag{id, 1});
  const TimePoint end = clock_.now();
  limiter_.release(0, end - start,
                   reply.ok() ? rs::CallResult::success : rs::classify_for_limit(reply.status()));
  adaptive_latency_.record(segment, end - due);
  adaptive_stats_.record_call(static_cast<std::size_t>(segment),
                              reply.ok() ? CallOutcome::success : CallOutcome::failure, end - due);
}

std::vector<LoadTarget> Scene::load_targets() {
  auto shed = [this](ClientStats& stats) {
    return [this, &stats](std::uint64_t, TimePoint due) {
      stats.record_call(schedule_.phase_index_at(since_origin(due)), CallOutcome::shed,
                        Duration::zero());
    };
  };
  return {
      LoadTarget{std::string(kBareName),
                 [this](std::uint64_t id, TimePoint due) { call_bare(id, due); },
                 shed(bare_stats_)},
      LoadTarget{std::string(kProtectedName),
                 [this](std::uint64_t id, TimePoint due) { call_protected(id, due); },
                 shed(protected_stats_)},
      LoadTarget{std::string(kStaticName),
                 [this](std::uint64_t id, TimePoint due) { call_static(id, due); },
                 [this](std::uint64_t, TimePoint due) {
                   static_stats_.record_call(
                       static_cast<std::size_t>(capacity_.segment_at(since_origin(due))),
                       CallOutcome::shed, Duration::zero());
                 }},
      LoadTarget{std::string(kReplicasName),
                 [this](std::uint64_t id, TimePoint due) {
                   replicas_->call(id, since_origin(due), clock_.now() + kReplicaTimeout);
                 },
                 [](std::uint64_t, TimePoint) {}},
      LoadTarget{std::string(kAdaptiveName),
                 [this](std::uint64_t id, TimePoint due) { call_adaptive(id, due); },
                 [this](std::uint64_t, TimePoint due) {
                   adaptive_stats_.record_call(
                       static_cast<std::size_t>(capacity_.segment_at(since_origin(due))),
                       CallOutcome::shed, Duration::zero());
                 }},
  };
}

// The capacity lanes' second, on a line of its own under the main one.
void Scene::print_capacity_tick(Duration second_end) {
  const std::array<ClientSnapshot, 2> now = {static_stats_.snapshot(), adaptive_stats_.snapshot()};
  const std::array<LatencyRecorder, 2> second = {static_stats_.take_interval_latency(),
                                                 adaptive_stats_.take_interval_latency()};
  std::array<std::string, 2> cells;
  for (std::size_t i = 0; i < 2; ++i) {
    const ClientSnapshot& a = now[i];
    const ClientSnapshot& b = capacity_shown_[i];
    cells[i] = fmt::format(
        "{:>7} ok{}, p99 {:>6}", fmt::format("{}/{}", a.successes - b.successes, a.calls - b.calls),
        i == 1 ? fmt::format(", {:>2} refused", a.fast_fails - b.fast_fails) : std::string(),
        second[i].empty() ? std::string("-") : format_duration(second[i].percentile(99)));
  }
  capacity_shown_ = now;
  view_.print_detail(fmt::format("capacity {:>2} | {} {} | {} limit {:>2}: {}",
                                 capacity_.capacity_at(second_end - 500ms), kStaticName, cells[0],
                                 kAdaptiveName, limiter_.limit(), cells[1]));
}

void Scene::print_tick(Duration second_end) {
  const auto load = service_.load();
  auto server_requests = [&load](std::string_view name) -> std::uint64_t {
    const auto found = load.find(std::string(name));
    return found == load.end() ? 0 : found->second.requests;
  };
  std::vector<ClientTick> ticks(2);
  ticks[0] = ClientTick{bare_stats_.snapshot(), bare_stats_.take_interval_latency(),
                        server_requests(kBareName), ""};
  ticks[1] = ClientTick{protected_stats_.snapshot(), protected_stats_.take_interval_latency(),
                        server_requests(kProtectedName),
                        std::string(rs::circuit_state_name(protected_->breaker_state()))};
  // The phase in force for most of that second.
  view_.print_tick(second_end, schedule_.phase_at(second_end - 500ms).name, ticks);
}

// The view thread: notes as they come, a line each second, Ctrl-C polling.
void Scene::watch(std::stop_token stop) {
  std::size_t phase_shown = schedule_.phases().size();  // none yet
  Duration next_tick = 1s;
  while (!stop.stop_requested()) {
    if (!interrupted_ && options_.interrupted && options_.interrupted()) {
      interrupted_ = true;
      view_.post_note(service_.elapsed(),
                      "interrupted: stopping the load, letting calls in flight finish",
                      Tone::warning);
      run_stop_.request_stop();
    }
    const Duration elapsed = service_.elapsed();
    const std::size_t phase = schedule_.phase_index_at(elapsed);
    if (phase != phase_shown && elapsed < schedule_.total()) {
      const Phase& p = schedule_.phases()[phase];
      view_.post_note(p.start, fmt::format("phase '{}': {}", p.name, p.description), Tone::info);
      phase_shown = phase;
    }
    if (elapsed < schedule_.total()) replicas_->follow_plan(elapsed);
    note_budget_change();
    narrator_->poll(clock_.now());
    view_.flush_notes();
    if (elapsed < schedule_.total()) {
      limit_trace_.sample(capacity_.segment_at(elapsed), limiter_.limit());
    }
    if (elapsed >= capacity_.drop_at && !capacity_drop_shown_) {
      capacity_drop_shown_ = true;
      view_.post_note(capacity_.drop_at,
                      fmt::format("capacity: the service drops from {} to {} workers per client "
                                  "(adaptive limit now {})",
                                  capacity_.normal, capacity_.reduced, limiter_.limit()),
                      Tone::warning);
    }
    if (elapsed >= capacity_.restore_at && !capacity_restore_shown_) {
      capacity_restore_shown_ = true;
      view_.post_note(capacity_.restore_at,
                      fmt::format("capacity: back to {} workers per client (adaptive limit now {})",
                                  capacity_.normal, limiter_.limit()),
                      Tone::good);
    }
    if (elapsed >= next_tick && next_tick <= schedule_.total()) {
      print_tick(next_tick);
      print_capacity_tick(next_tick);
      view_.print_detail(ReplicaTraffic::format_interval(
          replicas_->traffic().names(), replicas_->traffic().take_interval(), replicas_->states()));
      next_tick += 1s;
    }
    clock_.sleep_for(kViewPollInterval, stop);
  }
  narrator_->poll(TimePoint::max());  // a probe round still waiting for its verdict
  view_.flush_notes();
}

void Scene::run() {
  print_intro();
  view_.print_header();
  LoadGenerator load(LoadConfig{.rate_per_second = options_.rate_per_second,
                                .duration = options_.duration,
                                .workers_per_target = options_.workers_per_client,
                                .queue_capacity_per_target = options_.workers_per_client},
                     clock_, load_targets());
  {
    std::jthread viewer([this](std::stop_token stop) { watch(stop); });
    load.run(service_.origin(), run_stop_.get_token());
    load_ran_for_ = std::min(service_.elapsed(), schedule_.total());
    // Calls can all be done before the last second is over; let the viewer
    // print it (it prints every second up to the end of the schedule).
    clock_.sleep_until(service_.origin() + schedule_.total() + kViewPollInterval * 2,
                       run_stop_.get_token());
  }  // the viewer stops and joins here, after every call has finished
  service_.stop();
}

RunReport Scene::report() const {
  const auto load = service_.load();
  auto client_report = [&](std::string_view name, const ClientStats& stats) {
    ClientReport report{std::string(name), stats.snapshot(), 0,
                        std::vector<std::uint64_t>(schedule_.phases().size(), 0)};
    if (const auto found = load.find(std::string(name)); found != load.end()) {
      report.server_requests = found->second.requests;
      report.server_requests_per_phase = found->second.requests_per_phase;
    }
    return report;
  };
  RunReport report;
  for (const Phase& phase : schedule_.phases()) report.phase_names.push_back(phase.name);
  report.bare = client_report(kBareName, bare_stats_);
  report.protected_client = client_report(kProtectedName, protected_stats_);
  report.run_length = load_ran_for_;
  report.breaker_wait_in_open = protected_->config().breaker_wait_in_open;
  report.seed = options_.seed;
  report.interrupted = interrupted_;
  report.capacity = capacity_report();
  return report;
}

CapacityReport Scene::capacity_report() const {
  CapacityReport report;
  report.normal = capacity_.normal;
  report.reduced = capacity_.reduced;
  report.demand = capacity_.demand(options_.rate_per_second);
  report.service_time = capacity_.service_time;
  report.drop_at = capacity_.drop_at;
  report.restore_at = capacity_.restore_at;
  report.static_limit = static_cast<std::uint32_t>(options_.workers_per_client);
  report.algorithm = "gradient";
  report.limit_before_drop = limit_trace_.at_drop;
  report.limit_lowest_while_dropped =
      limit_trace_.lowest_while_dropped == UINT32_MAX ? limit_trace_.last
                                                      : limit_trace_.lowest_while_dropped;
  report.limit_at_end = limit_trace_.last;
  auto lane = [](std::string_view name, const ClientStats& stats, const SegmentLatency& latency) {
    CapacityLaneReport lane_report{std::string(name), {}};
    const ClientSnapshot totals = stats.snapshot();
    for (std::size_t i = 0; i < CapacityPlan::kSegments; ++i) {
      const PhaseCounts& counts = totals.phases.at(i);
      lane_report.segments[i] =
          CapacityLaneSegment{counts.calls, counts.successes, counts.fast_fails, latency.p99(i)};
    }
    return lane_report;
  };
  report.static_lane = lane(kStaticName, static_stats_, static_latency_);
  report.adaptive_lane = lane(kAdaptiveName, adaptive_stats_, adaptive_latency_);
  return report;
}

}  // namespace

int run_flaky_service_scene(const SceneOptions& options, std::ostream& out, std::ostream& err) {
  FAULTLINE_ASSERT(
      options.duration >= FaultSchedule::kTotalMin && options.duration <= FaultSchedule::kTotalMax,
      "scene duration out of range");
  // Declared before the scene: the scene's client and service use it.
  std::unique_ptr<SceneTracing> tracing;
  if (!options.trace_file.empty()) {
    auto opened = SceneTracing::open(options.trace_file, options.seed);
    if (opened.ok()) {
      tracing = std::move(*opened);
    } else {
      err << "faultline demo: not tracing: " << opened.status().message() << '\n';
    }
  }
  Scene scene(options, out, tracing.get());
  if (Status status = scene.start(); !status.ok()) {
    err << "faultline demo: cannot start: " << status.message() << '\n';
    return 1;
  }
  scene.run();
  const RunReport report = scene.report();
  print_summary(out, report, options.style);
  scene.print_replica_summary(out);
  if (tracing) {
    tracing->finish();
    tracing->print_slowest_retried(out, options.style);
  }
  return report.interrupted ? kExitInterrupted : 0;
}

}  // namespace faultline::demo
