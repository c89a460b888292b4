#include "faultline/clocks/causal_order.hpp"

namespace faultline::clocks {

std::string_view causal_order_name(CausalOrder order) noexcept {
  switch (order) {
    case CausalOrder::before:
      return "before";
    case CausalOrder::after:
      return "after";
    case CausalOrder::equal:
      return "equal";
    case CausalOrder::concurrent:
      return "concurrent";
  }
  return "invalid_order";
}

std::ostream& operator<<(std::ostream& out, CausalOrder order) {
  return out << causal_order_name(order);
}

}  // namespace faultline::clocks
