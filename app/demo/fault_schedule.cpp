#include "demo/fault_schedule.hpp"

#include <algorithm>
#include <array>
#include <utility>

#include "faultline/core/assert.hpp"
#include "faultline/core/random.hpp"

namespace faultline::demo {
namespace {

using namespace std::chrono_literals;

bool is_probability(double p) noexcept { return p >= 0.0 && p <= 1.0; }

bool profile_is_valid(const FaultProfile& p) noexcept {
  return is_probability(p.reset_rate) && is_probability(p.garbage_rate) &&
         is_probability(p.truncate_rate) && is_probability(p.error_rate) &&
         is_probability(p.retry_after_rate) && is_probability(p.spike_rate) &&
         is_probability(p.hang_rate) && p.latency_min <= p.latency_max &&
         p.spike_min <= p.spike_max && p.latency_min >= Duration::zero() &&
         p.retry_after_seconds >= 0;
}

FaultProfile healthy_profile() {
  return FaultProfile{.latency_min = 2ms, .latency_max = 5ms, .error_rate = 0.01};
}

// The five phases of the standard schedule with their share of the run.
struct PhaseTemplate {
  const char* name;
  const char* description;
  double share;
  FaultProfile profile;
};

std::array<PhaseTemplate, 5> standard_templates() {
  return {{
      {"healthy", "2-5 ms answers, 1% errors", 0.20, healthy_profile()},
      {"errors", "30% of answers are 503 (1 in 10 with Retry-After: 1), 2% cut mid-body", 0.20,
       FaultProfile{.latency_min = 2ms,
                    .latency_max = 6ms,
                    .truncate_rate = 0.02,
                    .error_rate = 0.30,
                    .retry_after_rate = 0.10,
                    .retry_after_seconds = 1}},
      {"latency spikes", "15% of answers take 0.4-1.2 s, 5% hang for 3 s", 0.17,
       FaultProfile{.latency_min = 2ms,
                    .latency_max = 5ms,
                    .error_rate = 0.02,
                    .spike_rate = 0.15,
                    .spike_min = 400ms,
                    .spike_max = 1200ms,
                    .hang_rate = 0.05,
                    .hang = 3s}},
      {"outage", "every request fails: half the connections reset, the rest 503", 0.20,
       FaultProfile{.latency_min = 0ms, .latency_max = 1ms, .reset_rate = 0.5, .error_rate = 1.0}},
      {"recovery", "healthy again: 2-5 ms answers, 1% errors", 0.23, healthy_profile()},
  }};
}

}  // namespace

FaultSchedule FaultSchedule::standard(std::uint64_t seed, Duration total) {
  FAULTLINE_ASSERT(total >= kTotalMin && total <= kTotalMax, "schedule length out of range");
  Random random(splitmix64(seed));
  const auto templates = standard_templates();
  // Each inner boundary moves by up to 2% of the run, so a seed changes the
  // run's shape a little but never the order or existence of a phase.
  const Duration nudge_max = total / 50;
  std::vector<Phase> phases;
  phases.reserve(templates.size());
  Duration start = Duration::zero();
  double share_so_far = 0;
  for (std::size_t i = 0; i < templates.size(); ++i) {
    share_so_far += templates[i].share;
    Duration end = std::chrono::duration_cast<Duration>(total * share_so_far);
    if (i + 1 == templates.size()) {
      end = total;
    } else {
      end += random.uniform_duration(-nudge_max, nudge_max);
    }
    phases.push_back(
        Phase{templates[i].name, templates[i].description, start, end, templates[i].profile});
    start = end;
  }
  return FaultSchedule(seed, std::move(phases));
}

FaultSchedule::FaultSchedule(std::uint64_t seed, std::vector<Phase> phases)
    : seed_(seed), phases_(std::move(phases)) {
  FAULTLINE_ASSERT(!phases_.empty(), "a fault schedule needs at least one phase");
  FAULTLINE_ASSERT(phases_.front().start == Duration::zero(), "phases must start at zero");
  for (std::size_t i = 0; i < phases_.size(); ++i) {
    FAULTLINE_ASSERT(phases_[i].start < phases_[i].end, "a phase must have a positive length");
    FAULTLINE_ASSERT(i == 0 || phases_[i].start == phases_[i - 1].end, "phases must be contiguous");
    FAULTLINE_ASSERT(profile_is_valid(phases_[i].profile), "fault rates must be in [0, 1]");
  }
}

std::size_t FaultSchedule::phase_index_at(Duration elapsed) const noexcept {
  // Few phases: a linear scan is clearer than a binary search.
  for (std::size_t i = 0; i < phases_.size(); ++i) {
    if (elapsed < phases_[i].end) return i;
  }
  return phases_.size() - 1;
}

FaultDecision FaultSchedule::decide(Duration elapsed, std::uint64_t request_id,
                                    std::uint32_t attempt) const noexcept {
  FaultDecision decision;
  decision.phase_index = phase_index_at(elapsed);
  const FaultProfile& p = phases_[decision.phase_index].profile;
  // One generator per (request, attempt): the decision does not depend on
  // what other requests arrived first.
  Random random(splitmix64(seed_ ^ splitmix64(request_id ^ splitmix64(attempt))));
  decision.delay = random.uniform_duration(p.latency_min, p.latency_max);
  if (random.bernoulli(p.reset_rate)) {
    decision.kind = FaultKind::reset;
  } else if (random.bernoulli(p.garbage_rate)) {
    decision.kind = FaultKind::garbage;
  } else if (random.bernoulli(p.truncate_rate)) {
    decision.kind = FaultKind::truncated;
  } else if (random.bernoulli(p.error_rate)) {
    decision.kind = FaultKind::http_error;
    decision.http_status = 503;
    if (random.bernoulli(p.retry_after_rate)) decision.retry_after_seconds = p.retry_after_seconds;
  } else if (random.bernoulli(p.hang_rate)) {
    decision.delay = p.hang;
  } else if (random.bernoulli(p.spike_rate)) {
    decision.delay = random.uniform_duration(p.spike_min, p.spike_max);
  }
  return decision;
}

}  // namespace faultline::demo
