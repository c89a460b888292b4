#include "faultline/resilience/adaptive_throttle.hpp"

#include <algorithm>
#include <string>

#include "faultline/resilience/config_error.hpp"

namespace faultline::resilience {

Status AdaptiveThrottleConfig::validate() const {
  // A positive test, so NaN fails it too.
  if (!(k >= 1 && k <= 100)) {
    return Status::invalid_argument("adaptive_throttle.k must be in [1, 100], got " +
                                    std::to_string(k));
  }
  if (buckets < 1 || buckets > 1000) {
    return Status::invalid_argument("adaptive_throttle.buckets must be in [1, 1000], got " +
                                    std::to_string(buckets));
  }
  if (window <= Duration::zero() || window / buckets < std::chrono::microseconds(1)) {
    return Status::invalid_argument(
        "adaptive_throttle.window must be > 0 and at least 1us per bucket, got " +
        std::to_string(window.count()) + "ns for " + std::to_string(buckets) + " buckets");
  }
  return Status();
}

AdaptiveThrottle::AdaptiveThrottle(AdaptiveThrottleConfig config, const Clock& clock)
    : config_(std::move(config)), clock_(&clock), random_(config_.seed) {
  throw_if_invalid(config_.validate());
  bucket_ns_ = (config_.window / config_.buckets).count();
  buckets_ = std::make_unique<Bucket[]>(config_.buckets);
}

std::int64_t AdaptiveThrottle::period_of(TimePoint now) const noexcept {
  return now.time_since_epoch().count() / bucket_ns_;
}

AdaptiveThrottle::Bucket& AdaptiveThrottle::bucket_for(std::int64_t period) noexcept {
  Bucket& bucket = buckets_[static_cast<std::uint64_t>(period) % config_.buckets];
  std::int64_t seen = bucket.period.load(std::memory_order_acquire);
  // The first call of a new period recycles the bucket. A caller whose time
  // lags a whole window behind finds it already recycled and counts into
  // the newer period rather than erase it.
  if (seen < period && bucket.period.compare_exchange_strong(seen, period, std::memory_order_acq_rel)) {
    bucket.requests.store(0, std::memory_order_relaxed);
    bucket.accepts.store(0, std::memory_order_relaxed);
  }
  return bucket;
}

AdaptiveThrottle::Totals AdaptiveThrottle::totals(std::int64_t period) const noexcept {
  Totals sum;
  const std::int64_t oldest = period - static_cast<std::int64_t>(config_.buckets) + 1;
  for (std::uint32_t i = 0; i < config_.buckets; ++i) {
    const Bucket& bucket = buckets_[i];
    const std::int64_t counted = bucket.period.load(std::memory_order_acquire);
    if (counted < oldest || counted > period) continue;
    sum.requests += bucket.requests.load(std::memory_order_relaxed);
    sum.accepts += bucket.accepts.load(std::memory_order_relaxed);
  }
  return sum;
}

double AdaptiveThrottle::probability_of(const Totals& totals) const noexcept {
  const double requests = static_cast<double>(totals.requests);
  const double excess = requests - config_.k * static_cast<double>(totals.accepts);
  return std::max(0.0, excess / (requests + 1));
}

bool AdaptiveThrottle::try_admit(TimePoint now) noexcept {
  const std::int64_t period = period_of(now);
  const double p = probability_of(totals(period));
  bucket_for(period).requests.fetch_add(1, std::memory_order_relaxed);
  // A healthy backend (p == 0) costs no random draw.
  return p <= 0 || !random_.bernoulli(p);
}

Status AdaptiveThrottle::admit(TimePoint now) {
  if (try_admit(now)) return Status();
  throttled_total_.fetch_add(1, std::memory_order_relaxed);
  const double p = probability(now);
  events_.publish_lazy([&] {
    return AdaptiveThrottleEvent{AdaptiveThrottleEvent::Kind::throttled, p, config_.name};
  });
  return Status::resource_exhausted("adaptive throttle '" + config_.name +
                                    "' rejected the request locally (backend overloaded, p=" +
                                    std::to_string(p) + ")")
      .with_reason(kReasonClientThrottled);
}

void AdaptiveThrottle::record_accepted(TimePoint now) noexcept {
  bucket_for(period_of(now)).accepts.fetch_add(1, std::memory_order_relaxed);
}

double AdaptiveThrottle::probability(TimePoint now) const noexcept {
  return probability_of(totals(period_of(now)));
}

AdaptiveThrottleMetrics AdaptiveThrottle::metrics(TimePoint now) const noexcept {
  const Totals sum = totals(period_of(now));
  AdaptiveThrottleMetrics m;
  m.requests = sum.requests;
  m.accepts = sum.accepts;
  m.probability = probability_of(sum);
  m.throttled_total = throttled_total_.load(std::memory_order_relaxed);
  return m;
}

}  // namespace faultline::resilience
