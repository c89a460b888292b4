#include "faultline/health/endpoint_snapshot.hpp"

#include <algorithm>
#include <utility>

namespace faultline::health {

OutstandingRequest::OutstandingRequest(const EndpointView& endpoint) : load_(endpoint.load) {
  load_->outstanding.fetch_add(1, std::memory_order_relaxed);
}

OutstandingRequest::OutstandingRequest(OutstandingRequest&& other) noexcept
    : load_(std::move(other.load_)) {}

OutstandingRequest& OutstandingRequest::operator=(OutstandingRequest&& other) noexcept {
  if (this != &other) {
    finish();
    load_ = std::move(other.load_);
  }
  return *this;
}

void OutstandingRequest::finish() noexcept {
  if (!load_) return;
  load_->outstanding.fetch_sub(1, std::memory_order_relaxed);
  load_.reset();
}

EndpointSnapshot::EndpointSnapshot(std::uint64_t version, std::vector<EndpointView> endpoints,
                                   std::uint32_t panic_threshold_percent)
    : version_(version), endpoints_(std::move(endpoints)) {
  all_.reserve(endpoints_.size());
  for (const EndpointView& endpoint : endpoints_) {
    all_.push_back(&endpoint);
    if (endpoint.usable()) usable_.push_back(&endpoint);
  }
  // usable / all < threshold / 100, in integers.
  panic_ = !endpoints_.empty() &&
           usable_.size() * 100 < static_cast<std::size_t>(panic_threshold_percent) * endpoints_.size();
}

const EndpointView* EndpointSnapshot::find(std::string_view name) const noexcept {
  const auto it = std::lower_bound(endpoints_.begin(), endpoints_.end(), name,
                                   [](const EndpointView& e, std::string_view n) { return e.name < n; });
  return it != endpoints_.end() && it->name == name ? &*it : nullptr;
}

}  // namespace faultline::health
