#include "faultline/health/health_registry.hpp"

#include <exception>
#include <map>
#include <mutex>

#include "check_worker.hpp"

namespace faultline::health {

namespace {

std::string millis(Duration d) {
  return std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(d).count()) + "ms";
}

}  // namespace

std::string_view probe_kind_name(ProbeKind kind) noexcept {
  switch (kind) {
    case ProbeKind::liveness:
      return "liveness";
    case ProbeKind::readiness:
      return "readiness";
    case ProbeKind::startup:
      return "startup";
  }
  return "unknown";
}

std::string_view check_state_name(CheckState state) noexcept {
  switch (state) {
    case CheckState::pending:
      return "pending";
    case CheckState::passing:
      return "pass";
    case CheckState::failing:
      return "fail";
  }
  return "unknown";
}

Status CheckOptions::validate(std::string_view check_name) const {
  const std::string where = "health check '" + std::string(check_name) + "': ";
  if (timeout <= Duration::zero()) return Status::invalid_argument(where + "timeout must be > 0, got " + millis(timeout));
  if (period <= Duration::zero()) return Status::invalid_argument(where + "period must be > 0, got " + millis(period));
  return Status();
}

struct HealthRegistry::State : std::enable_shared_from_this<HealthRegistry::State> {
  struct Check {
    CheckReport report;
    CheckOptions options;
    AsyncCheck run;
    std::shared_ptr<detail::CheckWorker> worker;  // blocking checks only
    bool passed_once = false;
    bool timed_out = false;  // the run in flight has been reported failed
    std::uint64_t run_seq = 0;
    TimePoint started_at;
    TimerId timeout_timer = 0;
    TimerId tick_timer = 0;
  };

  State(Scheduler& s, const WallClock& w) : scheduler(s), wall_clock(w) {}

  Scheduler& scheduler;
  const WallClock& wall_clock;
  mutable std::mutex mutex;
  std::map<std::string, Check, std::less<>> checks;
  bool started = false;

  // Precondition: mutex held.
  bool startup_done() const {
    for (const auto& [name, check] : checks) {
      if (check.report.kind == ProbeKind::startup && !check.passed_once) return false;
    }
    return true;
  }

  // Precondition: mutex held.
  bool eligible(const Check& check) const {
    if (check.report.kind == ProbeKind::startup) return !check.passed_once;
    return startup_done();
  }

  // Precondition: mutex held. Returns the launches to make once unlocked.
  void begin_run(Check& check, std::vector<std::function<void()>>& launches) {
    if (check.report.running || !eligible(check)) return;
    check.report.running = true;
    check.timed_out = false;
    const std::uint64_t seq = ++check.run_seq;
    check.started_at = scheduler.clock().now();
    const std::string name = check.report.name;
    std::weak_ptr<State> weak = weak_from_this();
    check.timeout_timer = scheduler.schedule_after(check.options.timeout, [weak, name, seq] {
      if (const auto self = weak.lock()) self->time_out(name, seq);
    });
    launches.push_back([weak, name, seq, run = check.run] {
      CheckDone done = [weak, name, seq](Status status) {
        if (const auto self = weak.lock()) self->complete(name, seq, std::move(status));
      };
      try {
        run(done);
      } catch (const std::exception& error) {
        done(Status::internal(std::string("check threw: ") + error.what()));
      } catch (...) {
        done(Status::internal("check threw a non-standard exception"));
      }
    });
  }

  // Precondition: mutex held.
  void schedule_tick(Check& check) {
    std::weak_ptr<State> weak = weak_from_this();
    check.tick_timer = scheduler.schedule_after(check.options.period, [weak, name = check.report.name] {
      if (const auto self = weak.lock()) self->tick(name);
    });
  }

  static void launch_all(std::vector<std::function<void()>>& launches) {
    for (auto& launch : launches) launch();
  }

  Status insert(std::string name, ProbeKind kind, AsyncCheck check, CheckOptions options,
                std::shared_ptr<detail::CheckWorker> worker) {
    if (name.empty()) return Status::invalid_argument("health check name must not be empty");
    if (!check) return Status::invalid_argument("health check '" + name + "': no function");
    if (Status s = options.validate(name); !s.ok()) return s;
    std::vector<std::function<void()>> launches;
    {
      std::lock_guard lock(mutex);
      if (checks.contains(name)) return Status::already_exists("health check '" + name + "' already exists");
      Check entry;
      entry.report.name = name;
      entry.report.kind = kind;
      entry.options = options;
      entry.run = std::move(check);
      entry.worker = std::move(worker);
      auto& stored = checks.emplace(name, std::move(entry)).first->second;
      if (started) {
        begin_run(stored, launches);
        schedule_tick(stored);
      }
    }
    launch_all(launches);
    return Status();
  }

  void tick(const std::string& name) {
    std::vector<std::function<void()>> launches;
    {
      std::lock_guard lock(mutex);
      const auto found = checks.find(name);
      if (found == checks.end()) return;
      Check& check = found->second;
      check.tick_timer = 0;
      // A startup check that has passed is done for good (Kubernetes
      // stops its startup probe after the first success).
      if (check.report.kind == ProbeKind::startup && check.passed_once) return;
      begin_run(check, launches);
      schedule_tick(check);
    }
    launch_all(launches);
  }

  // Precondition: mutex held.
  void record(Check& check, CheckState state, std::string error, Duration duration) {
    if (state != check.report.state) {
      check.report.state = state;
      check.report.last_change = wall_clock.now();
    }
    check.report.last_error = std::move(error);
    check.report.last_duration = duration;
    ++check.report.runs;
  }

  void time_out(const std::string& name, std::uint64_t seq) {
    std::lock_guard lock(mutex);
    const auto found = checks.find(name);
    if (found == checks.end()) return;
    Check& check = found->second;
    if (!check.report.running || check.run_seq != seq || check.timed_out) return;
    check.timed_out = true;
    check.timeout_timer = 0;
    record(check, CheckState::failing, "timed out after " + millis(check.options.timeout), check.options.timeout);
  }

  void complete(const std::string& name, std::uint64_t seq, Status status) {
    std::vector<std::function<void()>> launches;
    {
      std::lock_guard lock(mutex);
      const auto found = checks.find(name);
      if (found == checks.end()) return;
      Check& check = found->second;
      if (!check.report.running || check.run_seq != seq) return;
      check.report.running = false;
      if (check.timeout_timer != 0) {
        scheduler.cancel(check.timeout_timer);
        check.timeout_timer = 0;
      }
      // A run that outlived its timeout was already reported failed; its
      // late answer is stale, and the next period asks again.
      if (check.timed_out) return;
      const bool was_startup_done = startup_done();
      record(check, status.ok() ? CheckState::passing : CheckState::failing,
             status.ok() ? std::string() : status.to_string(), scheduler.clock().now() - check.started_at);
      if (status.ok()) check.passed_once = true;
      if (!was_startup_done && startup_done() && started) {
        for (auto& [other_name, other] : checks) begin_run(other, launches);
      }
    }
    launch_all(launches);
  }
};

HealthRegistry::HealthRegistry(Scheduler& scheduler, const WallClock& wall_clock)
    : state_(std::make_shared<State>(scheduler, wall_clock)) {}

HealthRegistry::~HealthRegistry() {
  std::map<std::string, State::Check, std::less<>> checks;
  {
    std::lock_guard lock(state_->mutex);
    for (auto& [name, check] : state_->checks) {
      if (check.tick_timer != 0) state_->scheduler.cancel(check.tick_timer);
      if (check.timeout_timer != 0) state_->scheduler.cancel(check.timeout_timer);
    }
    checks.swap(state_->checks);
  }
  // Workers are joined (or detached, if hung) outside the lock: a check
  // finishing now must be able to take it and find nothing.
}

Status HealthRegistry::add(std::string name, ProbeKind kind, BlockingCheck check, CheckOptions options) {
  if (!check) return Status::invalid_argument("health check '" + name + "': no function");
  // The check's own thread: one run at a time, so one thread is enough, and
  // a hung run holds only this one.
  auto worker = std::make_shared<detail::CheckWorker>();
  AsyncCheck run = [worker, blocking = std::move(check)](CheckDone done) {
    worker->run([blocking, done = std::move(done)] {
      Status status;
      try {
        status = blocking();
      } catch (const std::exception& error) {
        status = Status::internal(std::string("check threw: ") + error.what());
      } catch (...) {
        status = Status::internal("check threw a non-standard exception");
      }
      done(std::move(status));
    });
  };
  return state_->insert(std::move(name), kind, std::move(run), options, std::move(worker));
}

Status HealthRegistry::add_async(std::string name, ProbeKind kind, AsyncCheck check, CheckOptions options) {
  return state_->insert(std::move(name), kind, std::move(check), options, nullptr);
}

void HealthRegistry::start() {
  std::vector<std::function<void()>> launches;
  {
    std::lock_guard lock(state_->mutex);
    if (state_->started) return;
    state_->started = true;
    for (auto& [name, check] : state_->checks) {
      state_->begin_run(check, launches);
      state_->schedule_tick(check);
    }
  }
  State::launch_all(launches);
}

void HealthRegistry::run_now() {
  std::vector<std::function<void()>> launches;
  {
    std::lock_guard lock(state_->mutex);
    for (auto& [name, check] : state_->checks) state_->begin_run(check, launches);
  }
  State::launch_all(launches);
}

bool HealthRegistry::startup_complete() const {
  std::lock_guard lock(state_->mutex);
  return state_->startup_done();
}

ProbeVerdict HealthRegistry::verdict(ProbeKind kind) const {
  std::lock_guard lock(state_->mutex);
  ProbeVerdict verdict;
  verdict.startup_complete = state_->startup_done();
  bool all_pass = true;
  bool none_fail = true;
  for (const auto& [name, check] : state_->checks) {
    if (check.report.kind != kind) continue;
    verdict.checks.push_back(check.report);
    if (check.report.state != CheckState::passing) all_pass = false;
    if (check.report.state == CheckState::failing) none_fail = false;
  }
  switch (kind) {
    case ProbeKind::startup:
      verdict.ok = verdict.startup_complete;
      break;
    case ProbeKind::liveness:
      verdict.ok = none_fail;
      break;
    case ProbeKind::readiness:
      verdict.ok = verdict.startup_complete && all_pass;
      break;
  }
  return verdict;
}

std::vector<CheckReport> HealthRegistry::reports() const {
  std::lock_guard lock(state_->mutex);
  std::vector<CheckReport> all;
  all.reserve(state_->checks.size());
  for (const auto& [name, check] : state_->checks) all.push_back(check.report);
  return all;
}

}  // namespace faultline::health
