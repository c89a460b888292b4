#include "faultline/check/kv_model.hpp"

namespace faultline::check {
namespace {

class KvModel final : public Model {
 public:
  std::string_view name() const noexcept override { return "kv"; }
  bool partitioned_by_key() const noexcept override { return true; }

  Status validate(const Operation& op) const override {
    const std::string& f = op.function;
    if (f != "get" && f != "put" && f != "append" && f != "cas") {
      return Status::invalid_argument("the kv model has get/put/append/cas, not '" + f + "'");
    }
    if ((f == "put" || f == "append") && !op.value) {
      return Status::invalid_argument(f + " needs a value");
    }
    if (f == "cas" && (!op.expected || !op.value)) {
      return Status::invalid_argument("cas needs [expected new]");
    }
    return Status();
  }

  std::optional<Value> step(const Value& state, const Operation& op) const override {
    const std::string& f = op.function;
    if (f == "get") {
      // An unknown get result constrains nothing and changes nothing.
      if (!op.result_known || op.value == state) return state;
      return std::nullopt;
    }
    if (f == "put") return op.value;
    if (f == "append") return Value(state.value_or("") + *op.value);
    // cas: a known (ok) cas swapped; an unknown one swapped if it could.
    if (state == op.expected) return op.value;
    if (!op.result_known) return state;
    return std::nullopt;
  }
};

}  // namespace

const Model& kv_model() noexcept {
  static const KvModel model;
  return model;
}

}  // namespace faultline::check
