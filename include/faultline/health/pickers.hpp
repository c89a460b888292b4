// Pickers: which endpoint of a snapshot's routable() set gets the next
// call. Four policies:
//
// - RoundRobinPicker: each in turn (a shared atomic counter).
// - RandomPicker: uniformly at random.
// - LeastOutstandingPicker: the endpoint with the fewest requests in
//   flight (OutstandingRequest counts them); ties go round robin, so equal
//   endpoints share the load. Scans the whole set: exact, O(n).
// - PowerOfTwoChoicesPicker: two distinct endpoints at random, the one with
//   fewer requests in flight (Mitzenmacher's "power of two choices"): close
//   to least-outstanding at O(1).
//
// pick() returns null only when routable() is empty. The pointer is valid
// as long as the snapshot it came from.
//
// Thread-safety: RoundRobinPicker and LeastOutstandingPicker are safe from
// any thread. RandomPicker and PowerOfTwoChoicesPicker draw from the
// injected faultline::Random, which is not synchronized: use one per
// thread (each with its own Random), like the Random itself.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string_view>

#include "faultline/core/random.hpp"
#include "faultline/core/result.hpp"
#include "faultline/health/endpoint_snapshot.hpp"

namespace faultline::health {

class Picker {
 public:
  virtual ~Picker() = default;
  [[nodiscard]] virtual const EndpointView* pick(const EndpointSnapshot& snapshot) = 0;
};

class RoundRobinPicker final : public Picker {
 public:
  [[nodiscard]] const EndpointView* pick(const EndpointSnapshot& snapshot) override;

 private:
  std::atomic<std::uint64_t> next_{0};
};

class RandomPicker final : public Picker {
 public:
  // `random` must outlive the picker.
  explicit RandomPicker(Random& random) noexcept : random_(&random) {}
  [[nodiscard]] const EndpointView* pick(const EndpointSnapshot& snapshot) override;

 private:
  Random* random_;
};

class LeastOutstandingPicker final : public Picker {
 public:
  [[nodiscard]] const EndpointView* pick(const EndpointSnapshot& snapshot) override;

 private:
  std::atomic<std::uint64_t> start_{0};
};

class PowerOfTwoChoicesPicker final : public Picker {
 public:
  // `random` must outlive the picker.
  explicit PowerOfTwoChoicesPicker(Random& random) noexcept : random_(&random) {}
  [[nodiscard]] const EndpointView* pick(const EndpointSnapshot& snapshot) override;

 private:
  Random* random_;
};

enum class PickerKind : std::uint8_t { round_robin, random, least_outstanding, power_of_two_choices };

// "round_robin", "random", "least_outstanding", "power_of_two_choices".
[[nodiscard]] std::string_view picker_kind_name(PickerKind kind) noexcept;
// The inverse; invalid_argument listing the valid names otherwise.
[[nodiscard]] Result<PickerKind> parse_picker_kind(std::string_view name);
// `random` is used by the random pickers only and must outlive the picker.
[[nodiscard]] std::unique_ptr<Picker> make_picker(PickerKind kind, Random& random);

}  // namespace faultline::health
