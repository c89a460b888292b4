// Random walks through the breaker's life (time passes, calls start, finish
// well or badly, or are abandoned), checked against the promises it makes:
// no call in open before the wait has passed, never more half-open probes
// out than permitted, never stuck in half-open, every outcome counted once.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <cstdint>
#include <optional>
#include <tuple>
#include <vector>

#include "faultline/core/manual_clock.hpp"
#include "faultline/resilience/circuit_breaker.hpp"

namespace faultline::resilience {
namespace {

using namespace std::chrono_literals;

CircuitBreakerConfig random_config() {
  CircuitBreakerConfig config;
  config.name = "walk";
  config.window_type = *rc::gen::element(SlidingWindowType::count_based, SlidingWindowType::time_based);
  config.window_size = *rc::gen::inRange<std::uint32_t>(1, 7);
  config.minimum_calls = *rc::gen::inRange<std::uint32_t>(1, 7);
  config.failure_rate_threshold_percent = *rc::gen::element(25.0, 50.0, 100.0);
  config.permitted_calls_in_half_open = *rc::gen::inRange<std::uint32_t>(1, 4);
  config.wait_in_open = *rc::gen::element(OpenWait::fixed(2s), OpenWait::exponential(1s, 2.0, 8s));
  if (*rc::gen::arbitrary<bool>()) config.max_wait_in_half_open = 3s;
  return config;
}

struct HeldPermit {
  CircuitBreaker::Permit permit;
  // The half-open period that admitted it as a probe; none for other calls.
  std::optional<int> probe_epoch;
};

// What the test knows from the outside: the events the breaker published,
// and the permits it handed out.
class Model {
 public:
  Model(CircuitBreaker& breaker, ManualClock& clock) : breaker_(breaker), clock_(clock) {
    breaker.events().subscribe([this](const CircuitBreakerEvent& event) { observe(event); });
  }

  void advance(Duration duration) { clock_.advance(duration); }
  // Lands on the edges that matter: just before the open wait ends, or on it.
  void advance_to_open_deadline(bool one_short) {
    const Duration edge = one_short ? Duration(1ms) : Duration::zero();
    if (breaker_.state() == CircuitState::open && open_deadline_ - edge > clock_.now()) {
      clock_.set(open_deadline_ - edge);
    }
  }

  void acquire() {
    const CircuitState before = breaker_.state();
    const TimePoint now = clock_.now();
    CallContext context(clock_);
    CircuitBreaker::Permit permit = breaker_.try_acquire(context);
    if (before == CircuitState::closed) RC_ASSERT(permit.admitted());
    if (before == CircuitState::open) check_open(permit, now);
    if (before == CircuitState::half_open && !permit.admitted() && breaker_.state() == CircuitState::half_open) {
      // Refused while staying half-open: only because every slot is taken.
      RC_ASSERT(outstanding_probes_ + reported_probes_ == permitted());
    }
    if (!permit.admitted()) return;
    std::optional<int> epoch;
    if (permit.state() == CircuitState::half_open) {
      epoch = half_open_epoch_;
      ++outstanding_probes_;
      RC_ASSERT(outstanding_probes_ + reported_probes_ <= permitted());
    }
    held_.push_back(HeldPermit{std::move(permit), epoch});
  }

  void finish(std::size_t pick, bool ok, bool record) {
    if (held_.empty()) return;
    const std::size_t index = pick % held_.size();
    HeldPermit held = std::move(held_[index]);
    held_.erase(held_.begin() + static_cast<std::ptrdiff_t>(index));
    const bool current_probe = held.probe_epoch == half_open_epoch_ && breaker_.state() == CircuitState::half_open;
    if (current_probe) --outstanding_probes_;
    if (!record) return;  // dropped: the permit's destructor runs here
    if (current_probe) ++reported_probes_;
    if (held.permit.state() != CircuitState::disabled) ++recorded_;
    held.permit.record(ok ? Status() : Status::unavailable("down"));
  }

  void check_totals() const {
    const CircuitBreakerMetrics metrics = breaker_.metrics();
    RC_ASSERT(metrics.successful_calls_total + metrics.failed_calls_total +
                  metrics.ignored_calls_total == recorded_);
    RC_ASSERT(metrics.state_transitions_total == transitions_);
  }

 private:
  std::uint32_t permitted() const { return breaker_.config().permitted_calls_in_half_open; }

  void check_open(const CircuitBreaker::Permit& permit, TimePoint now) {
    if (now < open_deadline_) {
      RC_ASSERT(!permit.admitted());
      RC_ASSERT(permit.rejection().retry_after() == std::optional<Duration>(open_deadline_ - now));
    } else {
      RC_ASSERT(permit.admitted());  // the first call after the wait is a probe
      RC_ASSERT(permit.state() == CircuitState::half_open);
    }
  }

  void observe(const CircuitBreakerEvent& event) {
    if (event.kind != CircuitBreakerEvent::Kind::state_transition) return;
    ++transitions_;
    if (event.to == CircuitState::open) {
      ++trips_;
      open_deadline_ = event.at + breaker_.config().wait_in_open.for_trip(trips_);
    }
    if (event.to == CircuitState::closed) trips_ = 0;
    if (event.to == CircuitState::half_open) {
      ++half_open_epoch_;
      outstanding_probes_ = 0;
      reported_probes_ = 0;
    }
  }

  CircuitBreaker& breaker_;
  ManualClock& clock_;
  std::vector<HeldPermit> held_;
  int half_open_epoch_ = 0;
  std::uint32_t outstanding_probes_ = 0;
  std::uint32_t reported_probes_ = 0;
  std::uint32_t trips_ = 0;
  TimePoint open_deadline_ = TimePoint::min();
  std::uint64_t recorded_ = 0;
  std::uint64_t transitions_ = 0;
};

RC_GTEST_PROP(CircuitBreakerProperty, NeverAdmitsTooEarlyOrTooManyAndNeverSticks,
              (const std::vector<std::tuple<std::uint8_t, std::uint16_t, bool>>& steps)) {
  ManualClock clock;
  CircuitBreaker breaker(random_config(), clock);
  Model model(breaker, clock);
  for (const auto& [kind, value, ok] : steps) {
    switch (kind % 8) {
      case 0:
        model.advance(std::chrono::milliseconds(value % 4000));
        break;
      case 1:
        model.advance_to_open_deadline(ok);
        break;
      case 2:
      case 3:
      case 4:
        model.acquire();
        break;
      case 5:
      case 6:
        model.finish(value, ok, /*record=*/true);
        break;
      default:
        model.finish(value, ok, /*record=*/false);
        break;
    }
    model.check_totals();
  }
}

}  // namespace
}  // namespace faultline::resilience
