// CircuitBreaker: stop calling a backend that keeps failing, and find out
// cheaply when it has healed.
//
// Use one breaker per backend (per host, per dependency) around the calls
// that would otherwise pile up on it. While closed, the breaker records each
// outcome in a sliding window (circuit_breaker_config.hpp says what counts as
// a failure or a slow call) and opens when, with at least minimum_calls in
// the window, the failure rate or the slow-call rate reaches its threshold.
// While open it fails every call fast with `unavailable`, reason
// CIRCUIT_OPEN and a retry_after() of exactly the time left until probes are
// allowed, so a retry policy around it waits just long enough (or gives up if
// that is past its deadline). After the wait, the next call moves it to
// half-open, where exactly permitted_calls_in_half_open probes go through;
// when all have reported, it closes with a fresh window or opens again (the
// next trip, a longer wait with OpenWait::exponential).
//
//   CircuitBreaker breaker(config);
//   Result<Reply> reply = breaker.execute(context, [&](CallContext& c) {
//     return client.get(key, c.deadline());
//   });
//   if (is_rejection(reply.status(), kReasonCircuitOpen)) serve_from_cache();
//
// No background timer: every change of state happens inside a call
// (try_acquire, a permit's record or destruction) or an explicit
// force_open(), disable() or reset(). A half-open breaker cannot get stuck:
// a permit destroyed without a recorded outcome frees its probe slot, and
// max_wait_in_half_open bounds how long probes may take.
//
// Cost: the closed path is lock-free and allocation-free with either window:
// one atomic load to admit, and to record a success one fetch_add and one
// load (count-based) or two fetch_adds (time-based), with no threshold check
// (a success cannot raise a rate). A count-based breaker reads no clock
// unless slow calls are tracked; a time-based one reads it once per call
// (and takes a mutex about once per second, to advance the window). No
// counter is bumped for successes: they are the window's records (which
// every call bumps anyway) minus the failures, see metrics().
//
// Exactness: every state change bumps a generation kept in the same atomic
// word as the state. An outcome reported on a permit from an older
// generation (the breaker tripped or was reset while the call ran) is
// ignored and counted in ignored_calls_total, so it never sways the probes'
// verdict (checked under the lock) and stays out of a later window. The one
// gap is a race by nanoseconds: a closed-state record whose lock-free check
// passed just before another thread tripped the breaker still lands in the
// window (kept while open, cleared on close); the window's totals remain an
// exact count of what it holds either way.
//
// Thread-safety: every member is safe from any thread, concurrently. Event
// listeners run on the thread that caused the event, outside the breaker's
// lock; events from concurrent calls may arrive in either order. A Permit
// belongs to one call; the breaker must outlive its permits.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string_view>
#include <utility>

#include "faultline/core/assert.hpp"
#include "faultline/core/clock.hpp"
#include "faultline/core/result.hpp"
#include "faultline/core/scheduler.hpp"
#include "faultline/core/status.hpp"
#include "faultline/resilience/async.hpp"
#include "faultline/resilience/call_context.hpp"
#include "faultline/resilience/circuit_breaker_config.hpp"
#include "faultline/resilience/config_error.hpp"
#include "faultline/resilience/detail/call_outcome.hpp"
#include "faultline/resilience/detail/count_window.hpp"
#include "faultline/resilience/detail/time_window.hpp"
#include "faultline/resilience/events.hpp"
#include "faultline/resilience/invoke.hpp"
#include "faultline/resilience/rejection.hpp"

namespace faultline::resilience {

// closed: calls flow and are recorded. open: calls are refused until the
// wait passes. half_open: a fixed number of probes decide. forced_open:
// refused until reset(). disabled: admitted and not recorded until reset().
enum class CircuitState : std::uint8_t { closed, open, half_open, forced_open, disabled };

// "closed", "open", "half_open", "forced_open", "disabled"; "invalid" otherwise.
[[nodiscard]] std::string_view circuit_state_name(CircuitState state) noexcept;

struct CircuitBreakerEvent {
  // state_transition: from -> to. call_rejected: from == to, the state that
  // refused. *_rate_exceeded: published just before the transition to open
  // that they cause, with the rates that caused it.
  enum class Kind : std::uint8_t {
    state_transition,
    call_rejected,
    failure_rate_exceeded,
    slow_call_rate_exceeded,
  };
  Kind kind = Kind::state_transition;
  CircuitState from = CircuitState::closed;
  CircuitState to = CircuitState::closed;
  TimePoint at;
  // -1 when the event is not about rates.
  double failure_rate_percent = -1;
  double slow_call_rate_percent = -1;
  // Points into the breaker's config: valid while the breaker lives.
  std::string_view breaker_name;
};

// A snapshot for a metrics exporter. The *_total counters only grow (reset()
// does not clear them). Every recorded outcome counts in exactly one of
// successful, failed or ignored; slow calls count in addition. While calls
// are being recorded concurrently, successful_calls_total may lag behind by
// the failures in flight (it is derived, never overcounted); it is exact
// once they have been recorded.
struct CircuitBreakerMetrics {
  CircuitState state = CircuitState::closed;
  // -1 below minimum_calls (in half-open: until every probe reported).
  double failure_rate_percent = -1;
  double slow_call_rate_percent = -1;
  // What the window holds now (in half-open: the probes reported so far).
  std::uint64_t buffered_calls = 0;
  std::uint64_t buffered_failed_calls = 0;
  std::uint64_t buffered_slow_calls = 0;
  std::uint64_t successful_calls_total = 0;
  std::uint64_t failed_calls_total = 0;
  std::uint64_t slow_calls_total = 0;
  std::uint64_t rejected_calls_total = 0;
  std::uint64_t ignored_calls_total = 0;
  std::uint64_t state_transitions_total = 0;
};

class CircuitBreaker {
 public:
  class Permit;

  // Throws ConfigError if config.validate() fails. `clock` must outlive the
  // breaker; it is read only when the breaker needs the time and the caller
  // gave no CallContext.
  explicit CircuitBreaker(CircuitBreakerConfig config,
                          const Clock& clock = SteadyClock::instance());
  CircuitBreaker(const CircuitBreaker&) = delete;
  CircuitBreaker& operator=(const CircuitBreaker&) = delete;

  // Asks to make one call. Reads context.now() (the call's shared reading)
  // only when the decision depends on the time: open, or half-open with
  // max_wait_in_half_open.
  [[nodiscard]] Permit try_acquire(CallContext& context);

  // try_acquire, then the function, then its outcome recorded; or the
  // rejection as the function's own outcome type, without calling it. With
  // slow_call_duration set, the call is timed as context.now() to
  // context.refresh(). An exception from the function propagates and its
  // call is not recorded (a half-open probe slot is freed).
  template <ProtectedFunction F>
  outcome_of_t<F> execute(CallContext& context, F&& function);
  // The same, with a CallContext on the breaker's clock and no deadline.
  template <ProtectedFunction F>
  outcome_of_t<F> execute(F&& function);

  // try_acquire, then `operation`; its outcome is recorded in the completion
  // (timed on context.scheduler's clock if slow calls are tracked), then
  // `done` runs. A rejection calls done(rejection) synchronously. If the
  // operation drops its completion without calling it, the permit is
  // released unrecorded.
  template <Outcome R>
  void async_execute(const AsyncCallContext& context, AsyncOperation<R> operation,
                     Completion<R> done);

  [[nodiscard]] CircuitState state() const noexcept {
    return state_of(state_word_.load(std::memory_order_acquire));
  }
  // Refuses every call until reset(), without retry_after.
  void force_open();
  // Admits every call and records nothing until reset().
  void disable();
  // Back to closed with an empty window and the trip count restarted;
  // in-flight permits become an older generation and are ignored.
  void reset();

  [[nodiscard]] CircuitBreakerMetrics metrics() const;
  EventHub<CircuitBreakerEvent>& events() noexcept { return events_; }
  [[nodiscard]] const CircuitBreakerConfig& config() const noexcept { return config_; }

 private:
  // The state in the low 8 bits, the generation above: one atomic word, so
  // a permit knows with a single comparison whether its state still holds.
  using StateWord = std::uint64_t;
  struct Transition;
  struct Admission;

  static constexpr CircuitState state_of(StateWord word) noexcept {
    return static_cast<CircuitState>(word & 0xffU);
  }
  static constexpr StateWord next_word(StateWord word, CircuitState to) noexcept {
    return (((word >> 8) + 1) << 8) | static_cast<StateWord>(to);
  }

  [[nodiscard]] bool tracks_slow_calls() const noexcept { return config_.slow_call_duration.has_value(); }
  [[nodiscard]] bool is_slow(std::optional<Duration> elapsed) const noexcept {
    return tracks_slow_calls() && elapsed.has_value() && *elapsed >= slow_call_threshold_;
  }

  // Acquiring outside the closed fast path.
  Permit acquire_slow(CallContext& context, StateWord word);
  Permit acquire_locked(CallContext& context);
  Admission admit_locked(CallContext& context, Transition& transition);
  Admission admit_probe_locked(CallContext& context, StateWord word, Transition& transition);
  Permit reject(CallContext& context, StateWord word, std::optional<Duration> retry_after);
  Status rejection_status(CircuitState state, std::optional<Duration> retry_after) const;

  // Recording.
  void on_outcome(StateWord word, const Status& outcome, std::optional<Duration> elapsed,
                  CallContext& context);
  void on_outcome_slow(StateWord word, detail::CallOutcome outcome, CallContext& context);
  void record_closed(StateWord word, detail::CallOutcome outcome, CallContext& context);
  void record_probe(StateWord word, detail::CallOutcome outcome, CallContext& context);
  void judge_probes_locked(CallContext& context, Transition& transition);
  void release_probe(StateWord word) noexcept;
  // Before the outcome enters the window or the probe count (see metrics()).
  void count_failed_or_slow(detail::CallOutcome outcome) noexcept;
  [[nodiscard]] bool classify_failure(const Status& outcome) const;

  // State changes; *_locked run under mutex_.
  void maybe_trip(StateWord word, const detail::WindowSnapshot& totals, CallContext& context);
  void transition_locked(CircuitState to, CallContext& context, Transition& transition);
  void enter_open_locked(TimePoint now);
  void enter_half_open_locked(CallContext& context);
  void change_state(CircuitState to);
  void publish(const Transition& transition, CallContext& context);
  [[nodiscard]] TimePoint open_until() const noexcept {
    return TimePoint(Duration(open_until_ns_.load(std::memory_order_acquire)));
  }
  [[nodiscard]] detail::WindowSnapshot window_snapshot() const;
  [[nodiscard]] std::uint64_t successful_calls_total() const noexcept;

  CircuitBreakerConfig config_;
  const Clock* clock_;
  // minimum_calls, capped at the size of a count-based window.
  std::uint64_t minimum_calls_effective_;
  // config_.slow_call_duration, or Duration::max() when untracked.
  Duration slow_call_threshold_;
  // Exactly one of the two is engaged, per config_.window_type.
  std::optional<detail::CountWindow> count_window_;
  std::optional<detail::TimeWindow> time_window_;

  // Read on every call; written only on a state change (under mutex_).
  alignas(64) std::atomic<StateWord> state_word_;
  // When an open breaker allows probes (nanoseconds since the clock's
  // epoch). Written before the state word that makes it current, so a reader
  // that sees the same word before and after reading it has a matching pair.
  std::atomic<Duration::rep> open_until_ns_{0};

  // Successes are not counted, they are derived: every outcome recorded in
  // closed state is one of the window's records_total(), every counted
  // probe is one of probe_outcomes_total_, and each of them is a success
  // unless it is in failed_calls_total_. A failure bumps failed_calls_total_
  // before the release increment that records it, so a reader that loads
  // the records (acquire) before the failures never counts a failure as a
  // success. Invariant, once writers are quiet: successes + failed_calls_total_
  // == window records_total() + probe_outcomes_total_.
  alignas(64) std::atomic<std::uint64_t> failed_calls_total_{0};
  std::atomic<std::uint64_t> probe_outcomes_total_{0};
  // The largest successful_calls_total a metrics() call reported, so the
  // derived count never goes backwards while failures are in flight.
  mutable std::atomic<std::uint64_t> successful_calls_reported_max_{0};
  std::atomic<std::uint64_t> slow_calls_total_{0};
  std::atomic<std::uint64_t> rejected_calls_total_{0};
  std::atomic<std::uint64_t> ignored_calls_total_{0};
  std::atomic<std::uint64_t> state_transitions_total_{0};

  // Guards every state change and the fields below.
  mutable std::mutex mutex_;
  // Trips since the last successful close; OpenWait's argument.
  std::uint32_t consecutive_trips_ = 0;
  // Half-open bookkeeping. Invariant: probes_in_flight_ + probes_reported_
  // <= permitted_calls_in_half_open.
  TimePoint half_open_until_ = TimePoint::max();
  std::uint32_t probes_in_flight_ = 0;
  std::uint32_t probes_reported_ = 0;
  std::uint32_t probes_failed_ = 0;
  std::uint32_t probes_slow_ = 0;

  EventHub<CircuitBreakerEvent> events_;
};

// The right to make one call, and the duty to say how it went. Move-only.
// Record the outcome once with record(); a permit destroyed unrecorded (an
// exception, a cancelled call) frees its half-open probe slot and records
// nothing.
class CircuitBreaker::Permit {
 public:
  Permit(Permit&& other) noexcept
      : breaker_(std::exchange(other.breaker_, nullptr)),
        state_word_(other.state_word_),
        rejection_(std::move(other.rejection_)) {}
  Permit& operator=(Permit&& other) noexcept {
    if (this != &other) {
      release();
      breaker_ = std::exchange(other.breaker_, nullptr);
      state_word_ = other.state_word_;
      rejection_ = std::move(other.rejection_);
    }
    return *this;
  }
  Permit(const Permit&) = delete;
  Permit& operator=(const Permit&) = delete;
  ~Permit() { release(); }

  [[nodiscard]] bool admitted() const noexcept { return rejection_.ok(); }
  // What to answer instead of calling: unavailable with reason CIRCUIT_OPEN
  // (and retry_after() when open). Ok when admitted.
  [[nodiscard]] const Status& rejection() const noexcept { return rejection_; }
  // The state that admitted (closed, half_open, disabled) or refused the call.
  [[nodiscard]] CircuitState state() const noexcept { return state_of(state_word_); }

  // Precondition: admitted() and not yet recorded. Without `elapsed` the
  // call is never counted slow.
  void record(const Status& outcome) {
    CallContext context(*checked_breaker().clock_);
    record_in(outcome, std::nullopt, context);
  }
  void record(const Status& outcome, Duration elapsed) {
    CallContext context(*checked_breaker().clock_);
    record_in(outcome, elapsed, context);
  }

 private:
  friend class CircuitBreaker;

  Permit(CircuitBreaker* breaker, StateWord word) noexcept : breaker_(breaker), state_word_(word) {}
  Permit(StateWord word, Status rejection) noexcept
      : state_word_(word), rejection_(std::move(rejection)) {
    FAULTLINE_ASSERT(!rejection_.ok(), "a refused permit needs an error");
  }

  CircuitBreaker& checked_breaker() const noexcept {
    FAULTLINE_ASSERT(breaker_ != nullptr, "record() on a permit refused, recorded or moved from");
    return *breaker_;
  }
  void record_in(const Status& outcome, std::optional<Duration> elapsed, CallContext& context) {
    CircuitBreaker& breaker = checked_breaker();
    breaker_ = nullptr;
    breaker.on_outcome(state_word_, outcome, elapsed, context);
  }
  Status take_rejection() noexcept { return std::move(rejection_); }
  void release() noexcept {
    // Only a probe holds something worth giving back.
    if (breaker_ != nullptr && state_of(state_word_) == CircuitState::half_open) {
      breaker_->release_probe(state_word_);
    }
    breaker_ = nullptr;
  }

  // Non-null while admitted and unrecorded.
  CircuitBreaker* breaker_ = nullptr;
  StateWord state_word_ = 0;
  Status rejection_;
};

inline CircuitBreaker::Permit CircuitBreaker::try_acquire(CallContext& context) {
  const StateWord word = state_word_.load(std::memory_order_acquire);
  if (state_of(word) == CircuitState::closed) [[likely]] return Permit(this, word);
  return acquire_slow(context, word);
}

// GCC 12 misreads CallContext::now()'s std::optional, once inlined here, as
// possibly uninitialized (a known false positive of -Wmaybe-uninitialized).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
inline void CircuitBreaker::on_outcome(StateWord word, const Status& outcome,
                                       std::optional<Duration> elapsed, CallContext& context) {
  const bool slow = is_slow(elapsed);
  // The hot path: a fast success in a still-current closed state. A success
  // cannot raise a rate, so it checks no threshold.
  if (outcome.ok() && !slow && word == state_word_.load(std::memory_order_acquire) &&
      state_of(word) == CircuitState::closed) [[likely]] {
    constexpr detail::CallOutcome kSuccess = detail::make_outcome(false, false);
    if (count_window_.has_value()) {
      count_window_->record(kSuccess);
    } else {
      time_window_->record(context.now(), kSuccess);
    }
    return;
  }
  const bool failed = !outcome.ok() && classify_failure(outcome);
  on_outcome_slow(word, detail::make_outcome(failed, slow), context);
}
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

template <ProtectedFunction F>
outcome_of_t<F> CircuitBreaker::execute(CallContext& context, F&& function) {
  using R = outcome_of_t<F>;
  Permit permit = try_acquire(context);
  if (!permit.admitted()) return R(permit.take_rejection());
  if (!tracks_slow_calls()) {
    R outcome = invoke_protected(function, context);
    permit.record_in(status_of(outcome), std::nullopt, context);
    return outcome;
  }
  const TimePoint start = context.now();
  R outcome = invoke_protected(function, context);
  const TimePoint end = context.refresh();
  permit.record_in(status_of(outcome), end - start, context);
  return outcome;
}

template <ProtectedFunction F>
outcome_of_t<F> CircuitBreaker::execute(F&& function) {
  CallContext context(*clock_);
  return execute(context, std::forward<F>(function));
}

template <Outcome R>
void CircuitBreaker::async_execute(const AsyncCallContext& context, AsyncOperation<R> operation,
                                   Completion<R> done) {
  FAULTLINE_ASSERT(operation != nullptr && done != nullptr, "async_execute needs an operation and done");
  const Clock* clock = context.scheduler != nullptr ? &context.scheduler->clock() : clock_;
  CallContext call(*clock, context.deadline, context.stop);
  Permit permit = try_acquire(call);
  if (!permit.admitted()) {
    done(R(permit.take_rejection()));
    return;
  }
  std::optional<TimePoint> start;
  if (tracks_slow_calls()) start = call.now();
  // Shared because a Completion must be copyable; the permit is released
  // unrecorded when the last copy of the completion goes away uncalled.
  auto shared_permit = std::make_shared<Permit>(std::move(permit));
  operation(context, [shared_permit, start, clock, done = std::move(done)](R outcome) {
    CallContext finish(*clock);
    std::optional<Duration> elapsed;
    if (start) elapsed = finish.now() - *start;
    shared_permit->record_in(status_of(outcome), elapsed, finish);
    done(std::move(outcome));
  });
}

}  // namespace faultline::resilience
