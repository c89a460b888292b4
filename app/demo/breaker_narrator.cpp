#include "demo/breaker_narrator.hpp"

#include <fmt/format.h>

#include <cmath>

#include "demo/text_format.hpp"

namespace faultline::demo {
namespace {

using resilience::circuit_state_name;
using resilience::CircuitBreakerEvent;
using resilience::CircuitState;

}  // namespace

BreakerNarrator::BreakerNarrator(LiveView& view, std::string client_name,
                                 const ProtectedClientConfig& config, TimePoint origin)
    : view_(view), client_name_(std::move(client_name)), config_(config), origin_(origin) {}

std::string BreakerNarrator::reason(CircuitState from, CircuitState to) const {
  const double rate = trip_failure_rate_percent_;
  const std::string wait = format_duration(config_.breaker_wait_in_open);
  if (to == CircuitState::open && from == CircuitState::closed) {
    return fmt::format("{:.0f}% of the last {} attempts failed; failing fast for {}", rate,
                       config_.breaker_window_calls, wait);
  }
  if (to == CircuitState::open) {
    const auto failed = std::lround(rate * config_.breaker_probes / 100.0);
    return fmt::format("{} of {} probes failed; failing fast for {} more", failed,
                       config_.breaker_probes, wait);
  }
  if (to == CircuitState::half_open)
    return fmt::format("letting {} probes through", config_.breaker_probes);
  if (to == CircuitState::closed) return "the probes succeeded: calls flow again";
  return "";
}

void BreakerNarrator::post(TimePoint at, const std::string& states, CircuitState to,
                           const std::string& why) {
  view_.post_note(at - origin_, fmt::format("{} breaker: {}  ({})", client_name_, states, why),
                  LiveView::breaker_tone(circuit_state_name(to)));
}

void BreakerNarrator::on_event(const CircuitBreakerEvent& event) {
  std::lock_guard lock(mutex_);
  if (event.kind == CircuitBreakerEvent::Kind::failure_rate_exceeded) {
    trip_failure_rate_percent_ = event.failure_rate_percent;
    return;
  }
  if (event.kind != CircuitBreakerEvent::Kind::state_transition) return;
  if (event.to == CircuitState::half_open) {
    half_open_at_ = event.at;  // held back for the verdict
    return;
  }
  if (event.from == CircuitState::half_open && half_open_at_) {
    narrate_probe_round(event);
    return;
  }
  post(event.at,
       fmt::format("{} -> {}", circuit_state_name(event.from), circuit_state_name(event.to)),
       event.to, reason(event.from, event.to));
}

// One line for a whole probe round. While the service stays down, only the
// first failed round is told; the rows show the breaker open and the few
// probes reaching the server, and the closing line says how many failed.
void BreakerNarrator::narrate_probe_round(const CircuitBreakerEvent& event) {
  const std::string took = format_duration(event.at - *half_open_at_);
  const std::string states = fmt::format("open -> half_open -> {}", circuit_state_name(event.to));
  if (event.to == CircuitState::closed) {
    const std::string after = failed_rounds_in_a_row_ > 0
                                  ? fmt::format(" after {} failed rounds", failed_rounds_in_a_row_)
                                  : "";
    post(*half_open_at_, states, event.to,
         fmt::format("{} probes succeeded in {}{}: calls flow again", config_.breaker_probes, took,
                     after));
    failed_rounds_in_a_row_ = 0;
  } else if (failed_rounds_in_a_row_++ == 0) {
    post(*half_open_at_, states, event.to,
         fmt::format("probes failed in {}; probing again every {}", took,
                     format_duration(config_.breaker_wait_in_open)));
  }
  half_open_at_.reset();
}

void BreakerNarrator::poll(TimePoint now) {
  std::lock_guard lock(mutex_);
  if (!half_open_at_ || now - *half_open_at_ < kVerdictWait) return;
  post(*half_open_at_, "open -> half_open", CircuitState::half_open,
       reason(CircuitState::open, CircuitState::half_open));
  half_open_at_.reset();  // the verdict will get a line of its own
}

}  // namespace faultline::demo
