#include "faultline/resilience/circuit_breaker.hpp"

#include <algorithm>
#include <limits>
#include <string>

namespace faultline::resilience {

// What one locked step changed, kept so events are published after the
// lock is released (a listener may then read the breaker's metrics).
struct CircuitBreaker::Transition {
  bool happened = false;
  CircuitState from = CircuitState::closed;
  CircuitState to = CircuitState::closed;
  double failure_rate_percent = -1;
  double slow_call_rate_percent = -1;
  bool failure_rate_exceeded = false;
  bool slow_call_rate_exceeded = false;
};

// A decision taken under the lock, turned into a Permit after it.
struct CircuitBreaker::Admission {
  StateWord word = 0;
  bool admitted = false;
  std::optional<Duration> retry_after;
};

namespace {

double percent_of(std::uint64_t part, std::uint64_t whole) noexcept {
  FAULTLINE_ASSERT(part <= whole, "a part larger than its whole");
  return whole == 0 ? -1.0 : 100.0 * static_cast<double>(part) / static_cast<double>(whole);
}

TimePoint saturating_add(TimePoint at, Duration duration) noexcept {
  if (duration > TimePoint::max() - at) return TimePoint::max();
  return at + duration;
}

}  // namespace

std::string_view circuit_state_name(CircuitState state) noexcept {
  switch (state) {
    case CircuitState::closed:
      return "closed";
    case CircuitState::open:
      return "open";
    case CircuitState::half_open:
      return "half_open";
    case CircuitState::forced_open:
      return "forced_open";
    case CircuitState::disabled:
      return "disabled";
  }
  return "invalid";
}

CircuitBreaker::CircuitBreaker(CircuitBreakerConfig config, const Clock& clock)
    : config_(std::move(config)),
      clock_(&clock),
      minimum_calls_effective_(config_.minimum_calls),
      slow_call_threshold_(config_.slow_call_duration.value_or(Duration::max())),
      state_word_(static_cast<StateWord>(CircuitState::closed)) {
  throw_if_invalid(config_.validate());
  if (config_.window_type == SlidingWindowType::count_based) {
    count_window_.emplace(config_.window_size);
    // The window never holds more than its size; a larger minimum would
    // mean the breaker could never trip.
    minimum_calls_effective_ = std::min(config_.minimum_calls, config_.window_size);
  } else {
    time_window_.emplace(config_.window_size);
  }
  FAULTLINE_ASSERT(count_window_.has_value() != time_window_.has_value(), "exactly one window");
}

// ---- Acquiring ------------------------------------------------------------

CircuitBreaker::Permit CircuitBreaker::acquire_slow(CallContext& context, StateWord word) {
  switch (state_of(word)) {
    case CircuitState::closed:
    case CircuitState::disabled:
      return Permit(this, word);
    case CircuitState::forced_open:
      return reject(context, word, std::nullopt);
    case CircuitState::half_open:
      return acquire_locked(context);
    case CircuitState::open: {
      // Lock-free refusal while the wait runs: during an outage every
      // caller lands here, and they must not queue on the mutex.
      const TimePoint until = open_until();
      if (state_word_.load(std::memory_order_acquire) != word) return acquire_locked(context);
      const TimePoint now = context.now();
      if (now < until) return reject(context, word, until - now);
      return acquire_locked(context);
    }
  }
  FAULTLINE_ASSERT(false, "unknown circuit state");
  return acquire_locked(context);
}

CircuitBreaker::Permit CircuitBreaker::acquire_locked(CallContext& context) {
  Transition transition;
  Admission admission;
  {
    std::lock_guard lock(mutex_);
    admission = admit_locked(context, transition);
  }
  publish(transition, context);
  if (admission.admitted) return Permit(this, admission.word);
  return reject(context, admission.word, admission.retry_after);
}

CircuitBreaker::Admission CircuitBreaker::admit_locked(CallContext& context, Transition& transition) {
  const StateWord word = state_word_.load(std::memory_order_relaxed);
  switch (state_of(word)) {
    case CircuitState::closed:
    case CircuitState::disabled:
      return Admission{word, true, std::nullopt};
    case CircuitState::forced_open:
      return Admission{word, false, std::nullopt};
    case CircuitState::half_open:
      return admit_probe_locked(context, word, transition);
    case CircuitState::open: {
      const TimePoint now = context.now();
      if (now < open_until()) return Admission{word, false, open_until() - now};
      // The lazy half of the state machine: no timer moved us, this call does.
      transition_locked(CircuitState::half_open, context, transition);
      return admit_probe_locked(context, state_word_.load(std::memory_order_relaxed), transition);
    }
  }
  FAULTLINE_ASSERT(false, "unknown circuit state");
  return Admission{word, false, std::nullopt};
}

CircuitBreaker::Admission CircuitBreaker::admit_probe_locked(CallContext& context, StateWord word,
                                                             Transition& transition) {
  FAULTLINE_ASSERT(state_of(word) == CircuitState::half_open, "probes only in half-open");
  const std::uint32_t permitted = config_.permitted_calls_in_half_open;
  FAULTLINE_ASSERT(probes_in_flight_ + probes_reported_ <= permitted, "too many probes admitted");
  if (config_.max_wait_in_half_open.has_value() && context.now() >= half_open_until_) {
    // The probes took too long: count it as another trip.
    transition_locked(CircuitState::open, context, transition);
    return Admission{state_word_.load(std::memory_order_relaxed), false,
                     open_until() - context.now()};
  }
  if (probes_in_flight_ + probes_reported_ == permitted) return Admission{word, false, std::nullopt};
  ++probes_in_flight_;
  return Admission{word, true, std::nullopt};
}

CircuitBreaker::Permit CircuitBreaker::reject(CallContext& context, StateWord word,
                                              std::optional<Duration> retry_after) {
  rejected_calls_total_.fetch_add(1, std::memory_order_relaxed);
  const CircuitState state = state_of(word);
  events_.publish_lazy([&] {
    CircuitBreakerEvent event;
    event.kind = CircuitBreakerEvent::Kind::call_rejected;
    event.from = state;
    event.to = state;
    event.at = context.now();
    event.breaker_name = config_.name;
    return event;
  });
  return Permit(word, rejection_status(state, retry_after));
}

Status CircuitBreaker::rejection_status(CircuitState state, std::optional<Duration> retry_after) const {
  std::string message = "circuit breaker '" + config_.name + "' is ";
  switch (state) {
    case CircuitState::half_open:
      message += "half-open and its " + std::to_string(config_.permitted_calls_in_half_open) +
                 " probe calls are taken";
      break;
    case CircuitState::forced_open:
      message += "forced open";
      break;
    default:
      message += "open";
      break;
  }
  Status status = Status::unavailable(message).with_reason(kReasonCircuitOpen);
  if (retry_after.has_value()) status.with_retry_after(*retry_after);
  return status;
}

// ---- Recording ------------------------------------------------------------

bool CircuitBreaker::classify_failure(const Status& outcome) const {
  if (config_.record_as_failure) return config_.record_as_failure(outcome);
  return is_transient(outcome.code());
}

void CircuitBreaker::count_failed_or_slow(detail::CallOutcome outcome) noexcept {
  if (detail::outcome_failed(outcome)) failed_calls_total_.fetch_add(1, std::memory_order_relaxed);
  if (detail::outcome_slow(outcome)) slow_calls_total_.fetch_add(1, std::memory_order_relaxed);
}

void CircuitBreaker::on_outcome_slow(StateWord word, detail::CallOutcome outcome,
                                     CallContext& context) {
  switch (state_of(word)) {
    case CircuitState::disabled:
      return;  // a disabled breaker records nothing
    case CircuitState::closed:
      record_closed(word, outcome, context);
      return;
    case CircuitState::half_open:
      record_probe(word, outcome, context);
      return;
    default:
      FAULTLINE_ASSERT(false, "a permit admitted by a refusing state");
  }
}

void CircuitBreaker::record_closed(StateWord word, detail::CallOutcome outcome,
                                   CallContext& context) {
  if (state_word_.load(std::memory_order_acquire) != word) {
    ignored_calls_total_.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  count_failed_or_slow(outcome);
  // Only a failure or a slow call can raise a rate, so only they check.
  const bool may_trip = detail::outcome_failed(outcome) || detail::outcome_slow(outcome);
  if (count_window_.has_value()) {
    count_window_->record(outcome);
    if (may_trip) maybe_trip(word, count_window_->snapshot(), context);
    return;
  }
  time_window_->record(context.now(), outcome);
  if (may_trip) maybe_trip(word, time_window_->totals(), context);
}

void CircuitBreaker::maybe_trip(StateWord word, const detail::WindowSnapshot& totals,
                                CallContext& context) {
  if (totals.calls < minimum_calls_effective_) return;
  const double failure_rate = percent_of(totals.failed_calls, totals.calls);
  const double slow_rate = percent_of(totals.slow_calls, totals.calls);
  const bool failure_exceeded = failure_rate >= config_.failure_rate_threshold_percent;
  const bool slow_exceeded =
      tracks_slow_calls() && slow_rate >= config_.slow_call_rate_threshold_percent;
  if (!failure_exceeded && !slow_exceeded) return;
  Transition transition;
  {
    std::lock_guard lock(mutex_);
    // Double-checked: a concurrent caller may have tripped (or reset) it.
    if (state_word_.load(std::memory_order_relaxed) != word) return;
    transition_locked(CircuitState::open, context, transition);
  }
  transition.failure_rate_percent = failure_rate;
  transition.slow_call_rate_percent = slow_rate;
  transition.failure_rate_exceeded = failure_exceeded;
  transition.slow_call_rate_exceeded = slow_exceeded;
  publish(transition, context);
}

void CircuitBreaker::record_probe(StateWord word, detail::CallOutcome outcome,
                                  CallContext& context) {
  Transition transition;
  {
    std::lock_guard lock(mutex_);
    if (state_word_.load(std::memory_order_relaxed) != word) {
      ignored_calls_total_.fetch_add(1, std::memory_order_relaxed);
      return;
    }
    FAULTLINE_ASSERT(probes_in_flight_ > 0, "a probe reported that was never admitted");
    --probes_in_flight_;
    ++probes_reported_;
    probes_failed_ += detail::outcome_failed(outcome) ? 1 : 0;
    probes_slow_ += detail::outcome_slow(outcome) ? 1 : 0;
    count_failed_or_slow(outcome);
    probe_outcomes_total_.fetch_add(1, std::memory_order_release);
    if (probes_reported_ < config_.permitted_calls_in_half_open) return;
    judge_probes_locked(context, transition);
  }
  publish(transition, context);
}

void CircuitBreaker::judge_probes_locked(CallContext& context, Transition& transition) {
  FAULTLINE_ASSERT(probes_in_flight_ == 0 && probes_reported_ == config_.permitted_calls_in_half_open,
                   "the probes are judged once all have reported");
  const double failure_rate = percent_of(probes_failed_, probes_reported_);
  const double slow_rate = percent_of(probes_slow_, probes_reported_);
  const bool failure_exceeded = failure_rate >= config_.failure_rate_threshold_percent;
  const bool slow_exceeded =
      tracks_slow_calls() && slow_rate >= config_.slow_call_rate_threshold_percent;
  const bool reopen = failure_exceeded || slow_exceeded;
  transition_locked(reopen ? CircuitState::open : CircuitState::closed, context, transition);
  transition.failure_rate_percent = failure_rate;
  transition.slow_call_rate_percent = slow_rate;
  transition.failure_rate_exceeded = failure_exceeded;
  transition.slow_call_rate_exceeded = slow_exceeded;
}

void CircuitBreaker::release_probe(StateWord word) noexcept {
  std::lock_guard lock(mutex_);
  // A probe of an older half-open has nothing left to free.
  if (state_word_.load(std::memory_order_relaxed) != word) return;
  FAULTLINE_ASSERT(probes_in_flight_ > 0, "released a probe that was never admitted");
  --probes_in_flight_;
}

// ---- Changing state -------------------------------------------------------

void CircuitBreaker::transition_locked(CircuitState to, CallContext& context,
                                       Transition& transition) {
  FAULTLINE_ASSERT(!transition.happened, "one state change per locked step");
  const StateWord word = state_word_.load(std::memory_order_relaxed);
  const CircuitState from = state_of(word);
  switch (to) {
    case CircuitState::open:
      enter_open_locked(context.now());
      break;
    case CircuitState::half_open:
      enter_half_open_locked(context);
      break;
    case CircuitState::closed:
      // Whoever closes the breaker starts it afresh (the probes passed, or
      // an operator reset it), so the next trip waits the shortest time.
      consecutive_trips_ = 0;
      if (count_window_.has_value()) count_window_->clear();
      if (time_window_.has_value()) time_window_->clear();
      break;
    case CircuitState::forced_open:
    case CircuitState::disabled:
      break;
  }
  // Release: a caller that sees the new word also sees open_until_ns_ and
  // the cleared window.
  state_word_.store(next_word(word, to), std::memory_order_release);
  if (from != to) state_transitions_total_.fetch_add(1, std::memory_order_relaxed);
  transition.happened = true;
  transition.from = from;
  transition.to = to;
}

void CircuitBreaker::enter_open_locked(TimePoint now) {
  if (consecutive_trips_ < std::numeric_limits<std::uint32_t>::max()) ++consecutive_trips_;
  const Duration wait = config_.wait_in_open.for_trip(consecutive_trips_);
  FAULTLINE_ASSERT(wait >= Duration::zero(), "OpenWait answered a negative wait");
  open_until_ns_.store(saturating_add(now, wait).time_since_epoch().count(),
                       std::memory_order_release);
}

void CircuitBreaker::enter_half_open_locked(CallContext& context) {
  probes_in_flight_ = 0;
  probes_reported_ = 0;
  probes_failed_ = 0;
  probes_slow_ = 0;
  half_open_until_ = config_.max_wait_in_half_open.has_value()
                         ? saturating_add(context.now(), *config_.max_wait_in_half_open)
                         : TimePoint::max();
}

void CircuitBreaker::change_state(CircuitState to) {
  CallContext context(*clock_);
  Transition transition;
  {
    std::lock_guard lock(mutex_);
    const CircuitState from = state_of(state_word_.load(std::memory_order_relaxed));
    // reset() always starts afresh; forcing a state already held is a no-op.
    if (from == to && to != CircuitState::closed) return;
    transition_locked(to, context, transition);
  }
  publish(transition, context);
}

void CircuitBreaker::force_open() { change_state(CircuitState::forced_open); }
void CircuitBreaker::disable() { change_state(CircuitState::disabled); }
void CircuitBreaker::reset() { change_state(CircuitState::closed); }

void CircuitBreaker::publish(const Transition& transition, CallContext& context) {
  if (!transition.happened || transition.from == transition.to) return;
  auto make = [&](CircuitBreakerEvent::Kind kind) {
    CircuitBreakerEvent event;
    event.kind = kind;
    event.from = transition.from;
    event.to = transition.to;
    event.at = context.now();
    event.failure_rate_percent = transition.failure_rate_percent;
    event.slow_call_rate_percent = transition.slow_call_rate_percent;
    event.breaker_name = config_.name;
    return event;
  };
  using Kind = CircuitBreakerEvent::Kind;
  if (transition.failure_rate_exceeded) {
    events_.publish_lazy([&] { return make(Kind::failure_rate_exceeded); });
  }
  if (transition.slow_call_rate_exceeded) {
    events_.publish_lazy([&] { return make(Kind::slow_call_rate_exceeded); });
  }
  events_.publish_lazy([&] { return make(Kind::state_transition); });
}

// ---- Reading --------------------------------------------------------------

detail::WindowSnapshot CircuitBreaker::window_snapshot() const {
  if (count_window_.has_value()) return count_window_->snapshot();
  return time_window_->snapshot(clock_->now());
}

std::uint64_t CircuitBreaker::successful_calls_total() const noexcept {
  // Records before failures (see the fields): a failure in flight may be
  // in failed but not yet in the records, never the other way round.
  const std::uint64_t window_records =
      count_window_.has_value() ? count_window_->records_total() : time_window_->records_total();
  const std::uint64_t outcomes = window_records + probe_outcomes_total_.load(std::memory_order_acquire);
  const std::uint64_t failed = failed_calls_total_.load(std::memory_order_relaxed);
  const std::uint64_t successes = outcomes > failed ? outcomes - failed : 0;
  std::uint64_t reported = successful_calls_reported_max_.load(std::memory_order_relaxed);
  while (successes > reported &&
         !successful_calls_reported_max_.compare_exchange_weak(reported, successes,
                                                               std::memory_order_relaxed)) {
  }
  return std::max(successes, reported);
}

CircuitBreakerMetrics CircuitBreaker::metrics() const {
  CircuitBreakerMetrics metrics;
  const StateWord word = state_word_.load(std::memory_order_acquire);
  metrics.state = state_of(word);
  if (metrics.state == CircuitState::half_open) {
    std::lock_guard lock(mutex_);
    // Probes are judged (and the state left) the moment all have reported,
    // so in half-open the rates are never due yet.
    metrics.buffered_calls = probes_reported_;
    metrics.buffered_failed_calls = probes_failed_;
    metrics.buffered_slow_calls = probes_slow_;
  } else {
    const detail::WindowSnapshot totals = window_snapshot();
    metrics.buffered_calls = totals.calls;
    metrics.buffered_failed_calls = totals.failed_calls;
    metrics.buffered_slow_calls = totals.slow_calls;
    if (totals.calls >= minimum_calls_effective_) {
      metrics.failure_rate_percent = percent_of(totals.failed_calls, totals.calls);
      metrics.slow_call_rate_percent = percent_of(totals.slow_calls, totals.calls);
    }
  }
  metrics.successful_calls_total = successful_calls_total();
  metrics.failed_calls_total = failed_calls_total_.load(std::memory_order_relaxed);
  metrics.slow_calls_total = slow_calls_total_.load(std::memory_order_relaxed);
  metrics.rejected_calls_total = rejected_calls_total_.load(std::memory_order_relaxed);
  metrics.ignored_calls_total = ignored_calls_total_.load(std::memory_order_relaxed);
  metrics.state_transitions_total = state_transitions_total_.load(std::memory_order_relaxed);
  return metrics;
}

}  // namespace faultline::resilience
