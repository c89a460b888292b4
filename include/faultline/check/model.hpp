// Model: the sequential specification a history is checked against.
//
// A model says, for one partition of a history (one key of a map, or the
// single register), which operations it accepts and how each changes the
// state. The state of every model here is one Value (nil = absent), which
// keeps the search's memo (linearized set, state) small and hashable.
//
// Contract every model keeps (the search relies on it): an operation whose
// result is unknown (an `info`) is accepted in every state — a cas with an
// unknown result either swaps or, when the value differs, has no effect.
// So an info operation can always be placed last, and the search stops as
// soon as every operation with a known result is placed.
//
// Use kv_model() or register_model() (kv_model.hpp, register_model.hpp);
// implement Model for another single-value specification.
//
//   const Model& model = kv_model();
//   Status valid = model.validate(op);
//   std::optional<Value> next = model.step(state, op);  // nullopt: illegal here
//
// Thread-safety: models are immutable; share them freely between threads.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "faultline/check/history.hpp"
#include "faultline/core/status.hpp"

namespace faultline::check {

class Model {
 public:
  virtual ~Model() = default;

  // "kv", "register".
  [[nodiscard]] virtual std::string_view name() const noexcept = 0;
  // Whether operations on different keys are independent (checked apart).
  [[nodiscard]] virtual bool partitioned_by_key() const noexcept = 0;
  // The state before any operation.
  [[nodiscard]] virtual Value initial_state() const { return std::nullopt; }
  // invalid_argument when the model has no such function, or a cas lacks
  // its expected value.
  [[nodiscard]] virtual Status validate(const Operation& op) const = 0;
  // The state after `op` in `state`, or nullopt when `op` (with its
  // recorded result) could not have happened in `state`.
  // Precondition: validate(op).ok().
  [[nodiscard]] virtual std::optional<Value> step(const Value& state,
                                                  const Operation& op) const = 0;
  // One line for timelines: "put x 1", "cas 1→2", "read → 3".
  [[nodiscard]] virtual std::string describe(const Operation& op) const;
};

}  // namespace faultline::check
