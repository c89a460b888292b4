#include "faultline/check/model.hpp"

namespace faultline::check {

// Built with append() rather than `"literal" + string`: GCC 12 at -O3
// reports a false -Wrestrict on the latter.
std::string Model::describe(const Operation& op) const {
  std::string text = op.function;
  if (!op.key.empty() && partitioned_by_key()) text.append(" ").append(op.key);
  if (op.function == "cas") {
    text.append(" ").append(value_to_string(op.expected)).append("->");
    text.append(value_to_string(op.value));
  } else if (op.is_read()) {
    text.append(" -> ").append(op.result_known ? value_to_string(op.value) : std::string("?"));
  } else {
    text.append(" ").append(value_to_string(op.value));
  }
  if (!op.result_known && !op.is_read()) text.append(" (info)");
  return text;
}

}  // namespace faultline::check
