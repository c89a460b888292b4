#include "faultline/health/pickers.hpp"

#include <string>

namespace faultline::health {

const EndpointView* RoundRobinPicker::pick(const EndpointSnapshot& snapshot) {
  const auto routable = snapshot.routable();
  if (routable.empty()) return nullptr;
  const std::uint64_t n = next_.fetch_add(1, std::memory_order_relaxed);
  return routable[n % routable.size()];
}

const EndpointView* RandomPicker::pick(const EndpointSnapshot& snapshot) {
  const auto routable = snapshot.routable();
  if (routable.empty()) return nullptr;
  return routable[random_->uniform(routable.size())];
}

const EndpointView* LeastOutstandingPicker::pick(const EndpointSnapshot& snapshot) {
  const auto routable = snapshot.routable();
  if (routable.empty()) return nullptr;
  const std::size_t n = routable.size();
  // Start the scan where the last one started plus one, so ties rotate.
  const std::size_t start = start_.fetch_add(1, std::memory_order_relaxed) % n;
  const EndpointView* best = routable[start];
  std::int64_t best_load = best->outstanding();
  for (std::size_t i = 1; i < n && best_load > 0; ++i) {
    const EndpointView* candidate = routable[(start + i) % n];
    const std::int64_t load = candidate->outstanding();
    if (load < best_load) {
      best = candidate;
      best_load = load;
    }
  }
  return best;
}

const EndpointView* PowerOfTwoChoicesPicker::pick(const EndpointSnapshot& snapshot) {
  const auto routable = snapshot.routable();
  const std::size_t n = routable.size();
  if (n == 0) return nullptr;
  if (n == 1) return routable[0];
  // Two distinct indices: the second drawn from the n - 1 others.
  const std::size_t first = random_->uniform(n);
  std::size_t second = random_->uniform(n - 1);
  if (second >= first) ++second;
  const EndpointView* a = routable[first];
  const EndpointView* b = routable[second];
  return b->outstanding() < a->outstanding() ? b : a;
}

std::string_view picker_kind_name(PickerKind kind) noexcept {
  switch (kind) {
    case PickerKind::round_robin: return "round_robin";
    case PickerKind::random: return "random";
    case PickerKind::least_outstanding: return "least_outstanding";
    case PickerKind::power_of_two_choices: return "power_of_two_choices";
  }
  return "invalid";
}

Result<PickerKind> parse_picker_kind(std::string_view name) {
  for (PickerKind kind : {PickerKind::round_robin, PickerKind::random, PickerKind::least_outstanding,
                          PickerKind::power_of_two_choices}) {
    if (picker_kind_name(kind) == name) return kind;
  }
  return Status::invalid_argument(
      "unknown picker '" + std::string(name) +
      "': expected round_robin, random, least_outstanding or power_of_two_choices");
}

std::unique_ptr<Picker> make_picker(PickerKind kind, Random& random) {
  switch (kind) {
    case PickerKind::round_robin: return std::make_unique<RoundRobinPicker>();
    case PickerKind::random: return std::make_unique<RandomPicker>(random);
    case PickerKind::least_outstanding: return std::make_unique<LeastOutstandingPicker>();
    case PickerKind::power_of_two_choices: return std::make_unique<PowerOfTwoChoicesPicker>(random);
  }
  return std::make_unique<RoundRobinPicker>();
}

}  // namespace faultline::health
