#include "faultline/check/register_model.hpp"

namespace faultline::check {
namespace {

class RegisterModel final : public Model {
 public:
  std::string_view name() const noexcept override { return "register"; }
  bool partitioned_by_key() const noexcept override { return false; }

  Status validate(const Operation& op) const override {
    const std::string& f = op.function;
    if (f != "read" && f != "write" && f != "cas") {
      return Status::invalid_argument("the register model has read/write/cas, not '" + f + "'");
    }
    if (f == "write" && !op.value) return Status::invalid_argument("write needs a value");
    if (f == "cas" && (!op.expected || !op.value)) {
      return Status::invalid_argument("cas needs [expected new]");
    }
    return Status();
  }

  std::optional<Value> step(const Value& state, const Operation& op) const override {
    if (op.function == "read") {
      if (!op.result_known || op.value == state) return state;
      return std::nullopt;
    }
    if (op.function == "write") return op.value;
    if (state == op.expected) return op.value;
    if (!op.result_known) return state;  // an info cas that found another value: no effect
    return std::nullopt;
  }
};

}  // namespace

const Model& register_model() noexcept {
  static const RegisterModel model;
  return model;
}

}  // namespace faultline::check
